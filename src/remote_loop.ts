/**
 * Reaching an event loop that runs in another thread: `loop.threadsafePort()` and `RemoteLoop`.
 *
 * In CPython any thread can hold the loop object of another thread and call its thread-safe
 * methods (`call_soon_threadsafe`, `run_coroutine_threadsafe(coro, loop)`). Node's threads share
 * no objects, so a loop hands out a *port* instead: `loop.threadsafePort()` returns a new
 * `MessagePort` connected to the loop. Send it to another thread (in a `postMessage` or
 * `workerData` transfer list, or as an argument of `submit`/`runInExecutor`/`toThread`, which
 * transfer ports for you) and wrap it there:
 *
 * ```ts
 * const main = new asyncio.RemoteLoop(port);
 * const cf = main.runCoroutineThreadsafe(fetchUser, 42);   // runs fetchUser(42) as a task there
 * console.log(await cf);                                     // a concurrent Future
 * main.callSoonThreadsafe(log, "hello");                      // log("hello") in that loop's thread
 * ```
 *
 * The function is a worker function (see `asyncio-ts/concurrent`'s `workerFunction`): the loop's
 * thread imports its module and calls it there; the arguments and the result travel by
 * structured clone. Cancelling the concurrent Future cancels the task (or the callback, if it has
 * not run). When the loop closes (or its thread ends), its ports close: the calls still pending
 * fail with `RuntimeError('Event loop is closed')`, and new calls throw it.
 */
import { MessageChannel, MessagePort, receiveMessageOnPort } from "node:worker_threads";
import { Future as ConcurrentFuture } from "./concurrent/_base.ts";
import {
  _explainError,
  _resolveFunction,
  _toRef,
  type AnyFunction,
  type FunctionRef,
  type WorkerFunction,
} from "./concurrent/_function.ts";
import { encodeOrThrow } from "./concurrent/_pool.ts";
import {
  decode,
  describeError,
  encode,
  forPost,
  type Payload,
  rebuildError,
  transferList,
  type WireError,
} from "./concurrent/_serialize.ts";
import { Context } from "./contextvars.ts";
import type { AbstractEventLoop, Handle } from "./events.ts";
import { RuntimeError } from "./exceptions.ts";
import { customRepr, functionName, libraryClasses, pyNamed, pyRepr } from "./format.ts";
import { NO_EXC } from "./futures.ts";
import type { Task, TaskBody } from "./tasks.ts";
import { _convertFutureExc } from "./wrap_future.ts";

/** `fn`, shown in handle reprs and slow-callback warnings as CPython's callback `name`. */
function named<F extends (...args: never[]) => unknown>(name: string, fn: F): F {
  return Object.assign(fn, { [customRepr]: () => name });
}

type Request =
  | { t: "call" | "coro"; id: number; fn: FunctionRef; args: Payload }
  | { t: "cancel"; id: number };

type Reply =
  | { t: "done"; id: number; state: "ok"; value: Payload }
  | { t: "done"; id: number; state: "error"; error: Payload }
  | { t: "done"; id: number; state: "cancelled" };

type ServedLoop = AbstractEventLoop & {
  createTask<T>(coro: TaskBody<T>): Task<T>;
};

// ---- the loop's side ----

interface Call {
  cancelled: boolean;
  handle: Handle | null;
  task: Task<unknown> | null;
}

const servers = new WeakMap<AbstractEventLoop, Set<LoopServer>>();

/**
 * A loop's closed flag, shared with every thread holding one of its ports: a thread busy or
 * blocked while the loop closes has not seen its ports close yet, yet its next call must throw
 * at once, as CPython's `call_soon_threadsafe` on a closed loop does.
 */
const closedFlags = new WeakMap<AbstractEventLoop, Int32Array>();

/** The first message on a loop's port: the loop's closed flag. */
interface FlagMessage {
  t: "flag";
  flag: Int32Array;
}

/** Serves one port of a loop: runs what arrives on it in the loop's thread. */
class LoopServer {
  private readonly calls = new Map<number, Call>();
  private readonly names = new Map<number, string>();
  /** Requests are accepted in order, though their modules load asynchronously. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly loop: ServedLoop,
    readonly port: MessagePort,
  ) {
    port.on("message", (m: Request) => this.onMessage(m));
    port.on("close", () => servers.get(loop)?.delete(this));
    // The loop keeps its thread alive while it runs; an idle port must not.
    port.unref();
  }

  private onMessage(m: Request): void {
    if (m.t === "cancel") {
      this.cancel(m.id);
      return;
    }
    const call: Call = { cancelled: false, handle: null, task: null };
    this.calls.set(m.id, call);
    this.chain = this.chain.then(() => this.accept(m, call));
  }

  private reply(msg: Reply): void {
    this.calls.delete(msg.id);
    try {
      this.port.postMessage(msg, transferList(msg.state === "ok" ? msg.value : undefined));
    } catch (e) {
      if (msg.state !== "ok") return; // the other side is gone
      const name = this.names.get(msg.id) ?? "call";
      this.replyError(
        msg.id,
        new TypeError(`cannot send the result of ${name}() back: ${(e as Error).message}`),
      );
    }
    this.names.delete(msg.id);
  }

  private replyError(id: number, e: unknown): void {
    this.reply({ t: "done", id, state: "error", error: encode(describeError(e, false), false) });
  }

  private replyValue(id: number, name: string, value: unknown): void {
    this.names.set(id, name);
    this.reply({ t: "done", id, state: "ok", value: forPost(value, false) });
  }

  private async accept(m: Extract<Request, { t: "call" | "coro" }>, call: Call): Promise<void> {
    let fn: (...args: unknown[]) => unknown;
    let args: unknown[];
    try {
      fn = await _resolveFunction(m.fn);
      args = decode(m.args) as unknown[];
    } catch (e) {
      this.replyError(m.id, e);
      return;
    }
    const loop = this.loop;
    if (call.cancelled) {
      this.reply({ t: "done", id: m.id, state: "cancelled" });
      return;
    }
    if (loop.isClosed()) {
      this.replyError(m.id, new RuntimeError("Event loop is closed"));
      return;
    }
    // The callback (and the task it makes) runs in a copy of the calling thread's context in
    // CPython: that thread's values cannot cross, so an empty one, as a new thread's is in 3.13
    // (the promise chain here would otherwise pass on the context of the task that made the port).
    const context = new Context();
    if (m.t === "call") {
      // Shown as the function it calls, with its arguments (debug mode), as CPython's handle.
      const callFn = named(functionName(fn) || "<callback>", (...a: unknown[]) => {
        call.handle = null;
        let r: unknown;
        try {
          r = fn(...a);
        } catch (e) {
          // The caller gets the error through its future (the loop does not log it too).
          this.replyError(m.id, _explainError(e, m.fn));
          return;
        }
        this.replyValue(m.id, m.fn.name, r);
      });
      call.handle = context.run(loop.callSoonThreadsafe.bind(loop), callFn, ...args);
      return;
    }
    // Python's run_coroutine_threadsafe callback: ensure_future(coro) chained to the future.
    const callback = named("run_coroutine_threadsafe.<locals>.callback", () => {
      call.handle = null;
      let task: Task<unknown>;
      try {
        // Named as the coroutine function it calls (the task's repr shows `coro=<name() ...>`).
        const body = pyNamed(functionName(fn), () => fn(...args));
        task = loop.createTask(body as TaskBody<unknown>);
      } catch (e) {
        this.replyError(m.id, e);
        throw e;
      }
      call.task = task;
      if (call.cancelled) loop.callSoonThreadsafe(cancelTask, task);
      task.addDoneCallback(
        named("_chain_future.<locals>._call_set_state", (t: Task<unknown>) => {
          if (t.cancelled()) {
            this.reply({ t: "done", id: m.id, state: "cancelled" });
            return;
          }
          if (t._exception !== NO_EXC) {
            t._retrieved();
            this.replyError(m.id, _explainError(t._exception, m.fn));
            return;
          }
          this.replyValue(m.id, m.fn.name, t.result());
        }),
      );
    });
    call.handle = context.run(loop.callSoonThreadsafe.bind(loop), callback);
  }

  private cancel(id: number): void {
    const call = this.calls.get(id);
    if (call === undefined || call.cancelled) return;
    call.cancelled = true;
    if (call.task !== null) {
      this.loop.callSoonThreadsafe(cancelTask, call.task);
    } else if (call.handle !== null) {
      call.handle.cancel();
      call.handle = null;
      this.reply({ t: "done", id, state: "cancelled" });
    }
  }
}

function cancelTask(task: Task<unknown>): void {
  task.cancel();
}

/**
 * @internal `loop.threadsafePort()`: a new MessagePort connected to `loop`, to transfer to
 * another thread and wrap there in a `RemoteLoop`. `RuntimeError('Event loop is closed')` if it is.
 */
export function _loopPort(loop: AbstractEventLoop): MessagePort {
  if (loop.isClosed()) throw new RuntimeError("Event loop is closed");
  const { port1, port2 } = new MessageChannel();
  let flag = closedFlags.get(loop);
  if (flag === undefined) {
    flag = new Int32Array(new SharedArrayBuffer(4));
    closedFlags.set(loop, flag);
  }
  port1.postMessage({ t: "flag", flag } satisfies FlagMessage);
  const server = new LoopServer(loop as ServedLoop, port1);
  let set = servers.get(loop);
  if (set === undefined) {
    set = new Set();
    servers.set(loop, set);
  }
  set.add(server);
  return port2;
}

/** @internal The loop is closing: close its ports (the other sides see it). */
export function _closeLoopPorts(loop: AbstractEventLoop): void {
  const flag = closedFlags.get(loop);
  if (flag !== undefined) Atomics.store(flag, 0, 1);
  const set = servers.get(loop);
  if (set === undefined) return;
  servers.delete(loop);
  for (const server of set) server.port.close();
}

// ---- the other thread's side ----

let requestIds = 0;

/**
 * A handle to an event loop of another thread (or of this one), made from a port that the loop
 * handed out with `loop.threadsafePort()`. Its methods are the loop's thread-safe ones, taking a
 * worker function and its arguments instead of a callback or coroutine object, and returning a
 * concurrent Future.
 */
export class RemoteLoop {
  private readonly _port: MessagePort;
  private _closed = false;
  /** the loop's closed flag (see closedFlags) */
  private readonly _loopClosed: Int32Array | null = null;
  private readonly _pending = new Map<number, ConcurrentFuture<unknown>>();

  constructor(port: MessagePort) {
    if (!(port instanceof MessagePort)) {
      throw new TypeError(
        `RemoteLoop() needs a port from loop.threadsafePort(), got ${pyRepr(port)}`,
      );
    }
    this._port = port;
    const first = receiveMessageOnPort(port)?.message as FlagMessage | Reply | undefined;
    if (first?.t === "flag") this._loopClosed = first.flag;
    else if (first !== undefined) this._onReply(first);
    port.on("message", (m: Reply) => this._onReply(m));
    port.on("close", () => this._onClose());
    port.unref();
  }

  /** True once the loop has closed (or this handle was closed). */
  isClosed(): boolean {
    return this._closed || (this._loopClosed !== null && Atomics.load(this._loopClosed, 0) === 1);
  }

  /**
   * Runs `fn(...args)` as a task of the remote loop (Python's `run_coroutine_threadsafe`, with
   * the coroutine made over there): `fn` is a worker function returning a coroutine or a
   * promise. The concurrent Future has its result; cancelling it cancels the task.
   * `RuntimeError('Event loop is closed')` if the loop has closed.
   */
  runCoroutineThreadsafe<F extends AnyFunction>(
    fn: F | WorkerFunction<F>,
    ...args: Parameters<F>
  ): ConcurrentFuture<RemoteResult<ReturnType<F>>> {
    return this._send("coro", fn, args) as ConcurrentFuture<RemoteResult<ReturnType<F>>>;
  }

  /**
   * Calls `fn(...args)` in the remote loop's thread, from the loop (Python's
   * `call_soon_threadsafe`). Returns a concurrent Future of its return value (rather than a
   * Handle); cancelling it before the call has run cancels the call.
   */
  callSoonThreadsafe<F extends AnyFunction>(
    fn: F | WorkerFunction<F>,
    ...args: Parameters<F>
  ): ConcurrentFuture<Awaited<ReturnType<F>>> {
    return this._send("call", fn, args) as ConcurrentFuture<Awaited<ReturnType<F>>>;
  }

  /** Closes this handle (not the loop): pending calls fail with `RuntimeError`. */
  close(): void {
    this._port.close();
    this._onClose();
  }

  private _send(kind: "call" | "coro", fn: unknown, args: unknown[]): ConcurrentFuture<unknown> {
    if (!this._closed && this._loopClosed !== null && Atomics.load(this._loopClosed, 0) === 1) {
      this._onClose();
    }
    if (this._closed) throw new RuntimeError("Event loop is closed");
    const ref = _toRef(fn);
    const payload = encodeOrThrow(args, false, `${ref.name}()`, "arguments");
    const id = ++requestIds;
    const future = new ConcurrentFuture<unknown>();
    this._pending.set(id, future);
    future.addDoneCallback((f) => {
      if (f.cancelled() && this._pending.has(id) && !this._closed) {
        this._port.postMessage({ t: "cancel", id } satisfies Request);
      }
    });
    this._port.postMessage(
      { t: kind, id, fn: ref, args: payload } satisfies Request,
      payload.ports ?? [],
    );
    this._port.ref();
    return future;
  }

  private _onReply(m: Reply): void {
    const future = this._pending.get(m.id);
    if (future === undefined) return;
    this._pending.delete(m.id);
    if (this._pending.size === 0) this._port.unref();
    // Python's _set_concurrent_future_state.
    if (m.state === "cancelled") future.cancel();
    if (!future.setRunningOrNotifyCancel()) return;
    if (m.state === "error") {
      future.setException(_convertFutureExc(rebuildError(decode(m.error) as WireError)));
    } else if (m.state === "ok") {
      future.setResult(decode(m.value));
    }
  }

  private _onClose(): void {
    if (this._closed) return;
    this._closed = true;
    const pending = [...this._pending.values()];
    this._pending.clear();
    for (const future of pending) {
      if (future.setRunningOrNotifyCancel())
        future.setException(new RuntimeError("Event loop is closed"));
    }
  }

  [customRepr](): string {
    return `<RemoteLoop ${this._closed ? "closed" : "open"}>`;
  }

  toString(): string {
    return this[customRepr]();
  }
}

/** What a remote coroutine function's future holds: the value its coroutine or promise gives. */
export type RemoteResult<R> = R extends Generator<unknown, infer T, unknown> ? T : Awaited<R>;

libraryClasses(RemoteLoop);
