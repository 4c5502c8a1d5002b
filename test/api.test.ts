/**
 * The public surface is exactly the documented one: every name API.md gives the package root is
 * exported, and every export of the package root is listed in docs/api-mapping.md.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
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

test("every root export is listed in docs/api-mapping.md", () => {
  const unlisted = Object.keys(asyncio).filter((n) => !new RegExp(`\\b${n}\\b`).test(mapping));
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
