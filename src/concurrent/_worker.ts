/**
 * The program a pool worker runs (a `worker_threads` Worker or a child process). Internal module.
 *
 * It waits for an `init` message (name, initializer), then runs one call at a time: finds the
 * function (imports its module once, or compiles its source text), calls it with the arguments,
 * awaits a promise it returns, and sends back the result or the error. `exit` ends it.
 */
import { writeSync } from "node:fs";
import { parentPort } from "node:worker_threads";
import { _contextVarNamed, Context } from "../contextvars.ts";
import { isThenable } from "../coroutines.ts";
import { pyTypeName } from "../format.ts";
import { _explainError, _resolveFunction, type FunctionRef } from "./_function.ts";
import {
  decode,
  describeError,
  encode,
  forPost,
  type Payload,
  transferList,
  type WireError,
} from "./_serialize.ts";

/** Messages from the pool. */
export type ToWorker =
  | { t: "init"; name: string; initializer: FunctionRef | null; initargs: Payload | null }
  | { t: "run"; id: number; fn: FunctionRef; args: Payload; chunk: boolean }
  | { t: "exit" };

/** Messages to the pool. */
export type FromWorker =
  | { t: "ready" }
  | { t: "init-failed"; error: Payload }
  | { t: "done"; id: number; ok: true; value: Payload }
  | { t: "done"; id: number; ok: false; error: Payload };

/** The outcome of one call of a thread pool's chunk (map with chunksize). */
export type ChunkOutcome = { ok: true; value: unknown } | { ok: false; error: WireError };

const port = parentPort;
const crossProcess = port === null;

/**
 * A worker thread's output goes to the process's stdout/stderr at once, as a Python thread's
 * print() does. Node would forward it through the main thread, asynchronously: after the main
 * thread's own later output.
 */
function writeThrough(stream: NodeJS.WriteStream, fd: number): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  stream.write = ((chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
    if (typeof encoding === "function") [cb, encoding] = [encoding, undefined];
    const buf =
      typeof chunk === "string"
        ? Buffer.from(chunk, (encoding as BufferEncoding | undefined) ?? "utf8")
        : Buffer.from(chunk as Uint8Array);
    for (let off = 0; off < buf.length; ) {
      try {
        off += writeSync(fd, buf, off);
      } catch (e) {
        // A full non-blocking pipe: wait a little, as a blocking write would.
        if ((e as { code?: string }).code !== "EAGAIN") throw e;
        Atomics.wait(pause, 0, 0, 1);
      }
    }
    if (typeof cb === "function") process.nextTick(cb as () => void);
    return true;
  }) as typeof stream.write;
}

if (port !== null) {
  writeThrough(process.stdout, 1);
  writeThrough(process.stderr, 2);
}
// For isMainModule(): the modules this worker imports are not the program.
(globalThis as { __asyncioPoolWorker?: boolean }).__asyncioPoolWorker = true;

function send(msg: FromWorker): void {
  if (port !== null) {
    const payload = msg.t === "done" && msg.ok ? msg.value : undefined;
    port.postMessage(msg, transferList(payload));
  } else {
    process.send?.(msg);
  }
}

/** A context holding the caller's values for the variables of this thread with those names. */
function makeContext(entries: [string, unknown][]): Context {
  const ctx = new Context();
  ctx.run(() => {
    for (const [name, value] of entries) _contextVarNamed(name)?.set(value);
  });
  return ctx;
}

async function call(
  fn: (...args: unknown[]) => unknown,
  args: unknown[],
  context: [string, unknown][] | null,
): Promise<unknown> {
  const r = context === null ? fn(...args) : makeContext(context).run(fn, ...args);
  return isThenable(r) ? await r : r;
}

/** The thrown value `e` ready to be sent; never throws (see `describeError`). */
function errorPayload(e: unknown): Payload {
  try {
    return encode(describeError(e, crossProcess), crossProcess);
  } catch (err) {
    const why = err instanceof Error ? err.message : "";
    const w: WireError = {
      kind: "error",
      name: "TypeError",
      type: "TypeError",
      message: `the value thrown in the worker cannot be sent back: ${why}`,
    };
    return encode(w, crossProcess);
  }
}

async function run(msg: Extract<ToWorker, { t: "run" }>): Promise<void> {
  let value: unknown;
  try {
    const fn = await _resolveFunction(msg.fn);
    const [args, context] = decode(msg.args) as [unknown[], [string, unknown][] | null];
    if (msg.chunk && !crossProcess) {
      // A thread pool's chunk: every call runs and has its own outcome, as each call of
      // CPython's ThreadPoolExecutor.map (which has no chunks) has its own future.
      const out: ChunkOutcome[] = [];
      for (const a of args as unknown[][]) {
        try {
          out.push({ ok: true, value: await call(fn, a, context) });
        } catch (e) {
          out.push({ ok: false, error: describeError(_explainError(e, msg.fn), crossProcess) });
        }
      }
      value = out;
    } else if (msg.chunk) {
      // A process pool's chunk fails as a whole at its first error (CPython's _process_chunk).
      const out: unknown[] = [];
      for (const a of args as unknown[][]) out.push(await call(fn, a, context));
      value = out;
    } else {
      value = await call(fn, args, context);
    }
  } catch (e) {
    send({ t: "done", id: msg.id, ok: false, error: errorPayload(_explainError(e, msg.fn)) });
    return;
  }
  try {
    send({ t: "done", id: msg.id, ok: true, value: forPost(value, crossProcess) });
  } catch (e) {
    const err = new TypeError(
      `cannot send the result of ${msg.fn.name}() back: ${(e as Error).message ?? String(e)}`,
    );
    send({ t: "done", id: msg.id, ok: false, error: errorPayload(err) });
  }
}

async function init(msg: Extract<ToWorker, { t: "init" }>): Promise<void> {
  (globalThis as { __asyncioThreadName?: string }).__asyncioThreadName = msg.name;
  if (msg.initializer !== null) {
    try {
      const fn = await _resolveFunction(msg.initializer);
      const initargs = msg.initargs === null ? [] : decode(msg.initargs);
      if (typeof (initargs as Iterable<unknown> | null)?.[Symbol.iterator] !== "function") {
        throw new TypeError(
          `${msg.initializer.name}() argument after * must be an iterable, not ${pyTypeName(initargs)}`,
        );
      }
      await call(fn, [...(initargs as Iterable<unknown>)], null);
    } catch (e) {
      send({ t: "init-failed", error: errorPayload(_explainError(e, msg.initializer)) });
      return;
    }
  }
  send({ t: "ready" });
}

function onMessage(msg: ToWorker): void {
  switch (msg.t) {
    case "init":
      void init(msg);
      break;
    case "run":
      void run(msg);
      break;
    case "exit":
      process.exit(0);
  }
}

if (port !== null) {
  port.on("message", onMessage);
} else {
  process.on("message", (m) => onMessage(m as ToWorker));
  // The pool's process went away: nobody is left to answer.
  process.on("disconnect", () => process.exit(0));
}
