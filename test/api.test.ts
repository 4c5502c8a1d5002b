/**
 * The public surface is exactly the documented one: every name API.md gives the package root is
 * exported, and every export of every entry point (the package root and its subpaths) is listed
 * in the asyncio-ts column of docs/api-mapping.md.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import * as concurrent from "../src/concurrent.ts";
import * as db from "../src/db.ts";
import * as asyncio from "../src/index.ts";
import * as testing from "../src/testing.ts";

const mapping = readFileSync(join(import.meta.dirname, "..", "docs", "api-mapping.md"), "utf8");

/** The names API.md uses as `asyncio.X` (the package root). */
const API_ROOT = [
  "ALL_COMPLETED",
  "AbstractEventLoop",
  "AbstractEventLoopPolicy",
  "Context",
  "ContextVar",
  "DefaultEventLoopPolicy",
  "EventLoop",
  "FIRST_COMPLETED",
  "FIRST_EXCEPTION",
  "Future",
  "Runner",
  "Task",
  "TaskGroup",
  "allTasks",
  "asCompleted",
  "copyContext",
  "createEagerTaskFactory",
  "createSubprocessExec",
  "createSubprocessShell",
  "createTask",
  "currentSignal",
  "currentTask",
  "eagerTaskFactory",
  "ensureFuture",
  "gather",
  "getEventLoop",
  "getEventLoopPolicy",
  "getRunningLoop",
  "isCoroutine",
  "isCoroutineFunction",
  "isFuture",
  "newEventLoop",
  "openConnection",
  "openUnixConnection",
  "run",
  "runCoroutineThreadsafe",
  "setEventLoop",
  "setEventLoopPolicy",
  "shield",
  "sleep",
  "startServer",
  "startUnixServer",
  "timeout",
  "timeoutAt",
  "toThread",
  "wait",
  "waitFor",
  "wrapFuture",
  // section 1 errors, section 4/6/7 classes and constants
  "CancelledError",
  "InvalidStateError",
  "TimeoutError",
  "IncompleteReadError",
  "LimitOverrunError",
  "QueueEmpty",
  "QueueFull",
  "QueueShutDown",
  "BrokenBarrierError",
  "SendfileNotAvailableError",
  "ExceptionGroup",
  "RuntimeError",
  "ValueError",
  "Handle",
  "TimerHandle",
  "Lock",
  "Event",
  "Condition",
  "Semaphore",
  "BoundedSemaphore",
  "Barrier",
  "Queue",
  "LifoQueue",
  "PriorityQueue",
  "StreamReader",
  "StreamWriter",
  "Server",
  "Protocol",
  "BufferedProtocol",
  "DatagramProtocol",
  "SubprocessProtocol",
  "Transport",
  "DatagramTransport",
  "Process",
  "PIPE",
  "STDOUT",
  "DEVNULL",
  "Timeout",
];

test("every root name of API.md is exported", () => {
  const missing = API_ROOT.filter((n) => !(n in asyncio));
  assert.deepEqual(missing, []);
});

/**
 * The text of the mapping table's asyncio-ts column (the second cell of each row; where it says
 * "same" or "same names", the Python cell, whose names are then the TypeScript ones).
 */
const tsColumn = mapping
  .split("\n")
  .filter((line) => line.startsWith("|"))
  .map((line) => {
    const [, py = "", ts = ""] = line.split("|");
    return /^\s*same( names)?\s*$/.test(ts) ? py : ts;
  })
  .join("\n");

test("every export of every entry point is listed in docs/api-mapping.md", () => {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8"));
  const modules: Record<string, object> = {
    ".": asyncio,
    "./testing": testing,
    "./concurrent": concurrent,
    "./db": db,
  };
  // A new subpath must be added here (and to the table).
  assert.deepEqual(
    Object.keys(pkg.exports).filter((k) => k !== "./package.json"),
    Object.keys(modules),
  );
  const unlisted = Object.entries(modules).flatMap(([sub, mod]) =>
    Object.keys(mod)
      .filter((n) => !new RegExp(`\\b${n}\\b`).test(tsColumn))
      .map((n) => `${sub}: ${n}`),
  );
  assert.deepEqual(unlisted, []);
});

test("asyncio-ts/testing exports VirtualTimeLoop", () => {
  assert.equal(typeof testing.VirtualTimeLoop, "function");
});

test("errors are real classes named after Python's", () => {
  for (const name of [
    "CancelledError",
    "InvalidStateError",
    "TimeoutError",
    "QueueEmpty",
    "QueueFull",
    "QueueShutDown",
    "BrokenBarrierError",
    "RuntimeError",
    "ValueError",
    "IncompleteReadError",
    "LimitOverrunError",
    "SendfileNotAvailableError",
    "ExceptionGroup",
  ] as const) {
    // biome-ignore lint/performance/noDynamicNamespaceImportAccess: the test walks the exports by name
    const cls = asyncio[name] as unknown as new (...a: unknown[]) => Error;
    assert.equal(typeof cls, "function", name);
    assert.equal(cls.name, name);
  }
  assert.ok(new asyncio.BrokenBarrierError() instanceof asyncio.RuntimeError);
  assert.ok(new asyncio.ExceptionGroup("m", [new Error("x")]) instanceof AggregateError);
});
