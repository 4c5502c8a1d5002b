/**
 * Subprocesses with streams (Python's `asyncio.subprocess`): `createSubprocessExec`,
 * `createSubprocessShell`, `Process`, and `PIPE`, `STDOUT`, `DEVNULL`.
 *
 * `Process.communicate(input)` feeds stdin and reads stdout and stderr at the same time, so a
 * child that writes a lot before reading all its input cannot deadlock it. `returncode` is the
 * exit status, or minus the signal number when the child was killed by a signal.
 */

import {
  type BaseSubprocessTransport,
  DEVNULL,
  PIPE,
  STDOUT,
  type SubprocessOptions,
  splitArgs,
} from "./base_subprocess.ts";
import {
  _markCoroutineMethods,
  type AwaitableCoroutine,
  awaitable,
  type Coroutine,
} from "./coroutines.ts";
import type { AbstractEventLoop, StrOrBytes } from "./events.ts";
import { getRunningLoop } from "./events.ts";
import { allOptions, customRepr, libraryClasses, pyRepr } from "./format.ts";
import { _failWith, _newFuture, type Future } from "./futures.ts";
import { gather } from "./gather.ts";
import { logger } from "./log.ts";
import { BrokenPipeError, ConnectionResetError } from "./os_errors.ts";
import { DEFAULT_LIMIT, FlowControlMixin, StreamReader, StreamWriter } from "./streams.ts";
import { _awaitOverride } from "./tasks.ts";
import type { BaseTransport, Transport } from "./transports.ts";

export type { SubprocessOptions };
export { DEVNULL, PIPE, STDOUT };

/**
 * The protocol of `createSubprocessExec`/`Shell` (Python's `SubprocessStreamProtocol`): makes
 * `stdout`/`stderr` StreamReaders and a `stdin` StreamWriter.
 */
export class SubprocessStreamProtocol extends FlowControlMixin {
  /** @internal */ _limit: number;
  stdin: StreamWriter | null = null;
  stdout: StreamReader | null = null;
  stderr: StreamReader | null = null;
  /** @internal */ _transport: BaseSubprocessTransport | null = null;
  /** @internal */ _processExited = false;
  /** @internal */ _pipeFds: number[] = [];
  /** @internal */ _stdinClosed: Future<void>;

  constructor(limit: number, loop: AbstractEventLoop) {
    super(loop);
    this._limit = limit;
    this._stdinClosed = _newFuture<void>(loop);
  }

  override connectionMade(transport: BaseTransport): void {
    const t = transport as unknown as BaseSubprocessTransport;
    this._transport = t;
    const stdoutTransport = t.getPipeTransport(1);
    if (stdoutTransport !== null) {
      this.stdout = new StreamReader({ limit: this._limit, loop: this._loop });
      this.stdout.setTransport(stdoutTransport as unknown as Transport);
      this._pipeFds.push(1);
    }
    const stderrTransport = t.getPipeTransport(2);
    if (stderrTransport !== null) {
      this.stderr = new StreamReader({ limit: this._limit, loop: this._loop });
      this.stderr.setTransport(stderrTransport as unknown as Transport);
      this._pipeFds.push(2);
    }
    const stdinTransport = t.getPipeTransport(0);
    if (stdinTransport !== null) {
      this.stdin = new StreamWriter(stdinTransport as unknown as Transport, this, null, this._loop);
    }
  }

  /** A child wrote to its stdout (1) or stderr (2). */
  pipeDataReceived(fd: number, data: Buffer): void {
    const reader = fd === 1 ? this.stdout : fd === 2 ? this.stderr : null;
    reader?._feed(data, true);
  }

  /** One of the child's pipes closed. */
  pipeConnectionLost(fd: number, exc: Error | null): void {
    if (fd === 0) {
      this.stdin?.close();
      this.connectionLost(exc);
      if (exc === null) this._stdinClosed.setResult(undefined);
      else {
        _failWith(this._stdinClosed, exc);
        // Awaiting waitClosed() is optional: never report this one as unretrieved.
        this._stdinClosed._retrieved();
      }
      return;
    }
    const reader = fd === 1 ? this.stdout : fd === 2 ? this.stderr : null;
    if (reader !== null) {
      if (exc === null) reader.feedEof();
      else reader.setException(exc);
    }
    const i = this._pipeFds.indexOf(fd);
    if (i >= 0) this._pipeFds.splice(i, 1);
    this._maybeCloseTransport();
  }

  /** The child exited. */
  processExited(): void {
    this._processExited = true;
    this._maybeCloseTransport();
  }

  private _maybeCloseTransport(): void {
    if (this._pipeFds.length === 0 && this._processExited) {
      this._transport?.close();
      this._transport = null;
    }
  }

  override _getCloseWaiter(stream: StreamWriter): Future<void> | null {
    return stream === this.stdin ? this._stdinClosed : null;
  }

  [customRepr](): string {
    const info = ["SubprocessStreamProtocol"];
    if (this.stdin !== null) info.push(`stdin=${pyRepr(this.stdin)}`);
    if (this.stdout !== null) info.push(`stdout=${pyRepr(this.stdout)}`);
    if (this.stderr !== null) info.push(`stderr=${pyRepr(this.stderr)}`);
    return `<${info.join(" ")}>`;
  }
}

/** A child process started by `createSubprocessExec` / `createSubprocessShell` (Python's `asyncio.subprocess.Process`). */
export class Process {
  /** @internal */ _transport: BaseSubprocessTransport;
  /** @internal */ _protocol: SubprocessStreamProtocol;
  /** @internal */ _loop: AbstractEventLoop;
  /** A StreamWriter to the child's stdin (with `stdin: PIPE`), else null. */
  readonly stdin: StreamWriter | null;
  /** A StreamReader of the child's stdout (with `stdout: PIPE`), else null. */
  readonly stdout: StreamReader | null;
  /** A StreamReader of the child's stderr (with `stderr: PIPE`), else null. */
  readonly stderr: StreamReader | null;
  /** The process id. */
  readonly pid: number;

  /** @internal */
  constructor(
    transport: BaseSubprocessTransport,
    protocol: SubprocessStreamProtocol,
    loop: AbstractEventLoop,
  ) {
    this._transport = transport;
    this._protocol = protocol;
    this._loop = loop;
    this.stdin = protocol.stdin;
    this.stdout = protocol.stdout;
    this.stderr = protocol.stderr;
    this.pid = transport.getPid()!;
  }

  /** The exit status; null while running; minus the signal number if killed by a signal. */
  get returncode(): number | null {
    return this._transport.getReturncode();
  }

  /** Waits for the process to exit and returns its return code. */
  wait(): AwaitableCoroutine<number> {
    return this._transport._wait();
  }

  /** Sends `signal` (a number or a name such as "SIGINT"); `ProcessLookupError` once waited for. */
  sendSignal(signal: number | NodeJS.Signals): void {
    this._transport.sendSignal(signal);
  }

  /** Sends SIGTERM. */
  terminate(): void {
    this._transport.terminate();
  }

  /** Sends SIGKILL. */
  kill(): void {
    this._transport.kill();
  }

  /**
   * Sends `input` to stdin (then closes it), reads stdout and stderr until EOF, waits for the
   * process to exit, and returns `[stdout, stderr]` (null for a stream that is not a pipe).
   * A child that closes its stdin early does not make this fail (BrokenPipeError and
   * ConnectionResetError on stdin are ignored, as in CPython).
   */
  communicate(input: Uint8Array | null = null): AwaitableCoroutine<[Buffer | null, Buffer | null]> {
    return communicateCoro(this, input);
  }

  [customRepr](): string {
    return `<Process ${this.pid}>`;
  }

  toString(): string {
    return this[customRepr]();
  }
}

function* feedStdin(p: Process, input: Uint8Array | null): Coroutine<null> {
  const debug = p._loop.getDebug();
  const stdin = p.stdin!;
  try {
    if (input !== null) {
      stdin.write(input);
      if (debug) logger.debug(`${p[customRepr]()} communicate: feed stdin (${input.length} bytes)`);
    }
    yield* _awaitOverride(stdin.drain());
  } catch (exc) {
    if (!(exc instanceof BrokenPipeError || exc instanceof ConnectionResetError)) throw exc;
    if (debug) logger.debug(`${p[customRepr]()} communicate: stdin got ${pyRepr(exc)}`);
  }
  if (debug) logger.debug(`${p[customRepr]()} communicate: close stdin`);
  stdin.close();
  return null;
}

// biome-ignore lint/correctness/useYield: a coroutine that finishes at once, like CPython's _noop
function* noop(): Coroutine<null> {
  return null;
}

function* readStream(p: Process, fd: 1 | 2): Coroutine<Buffer> {
  const transport = p._transport.getPipeTransport(fd);
  const stream = fd === 2 ? p.stderr! : p.stdout!;
  const debug = p._loop.getDebug();
  const name = fd === 1 ? "stdout" : "stderr";
  if (debug) logger.debug(`${p[customRepr]()} communicate: read ${name}`);
  const output = yield* _awaitOverride<Buffer>(stream.read());
  if (debug) logger.debug(`${p[customRepr]()} communicate: close ${name}`);
  transport?.close();
  return output;
}

const communicateCoro = awaitable(function* communicate(
  p: Process,
  input: Uint8Array | null,
): Coroutine<[Buffer | null, Buffer | null]> {
  const stdin = p.stdin !== null ? feedStdin(p, input) : noop();
  const stdout = p.stdout !== null ? readStream(p, 1) : noop();
  const stderr = p.stderr !== null ? readStream(p, 2) : noop();
  const [, out, err] = (yield* gather([stdin, stdout, stderr])) as [
    null,
    Buffer | null,
    Buffer | null,
  ];
  yield* _awaitOverride(p.wait()); // CPython's await self.wait(): an override's too
  return [out, err];
}, "Process.communicate");

function inheritByDefault(options: SubprocessOptions): SubprocessOptions {
  return {
    ...options,
    stdin: options.stdin ?? null,
    stdout: options.stdout ?? null,
    stderr: options.stderr ?? null,
  };
}

/** Options of `createSubprocessExec` / `createSubprocessShell`: `limit` plus Popen's. */
export interface CreateSubprocessOptions extends SubprocessOptions {
  /** The StreamReaders' limit (64 KiB by default). */
  limit?: number;
}

/**
 * Runs `program` with `args` (no shell) and returns a `Process` (Python's
 * `asyncio.create_subprocess_exec`). A trailing options object takes `stdin`, `stdout`,
 * `stderr` (`PIPE`, `DEVNULL`, `STDOUT` for stderr, a file descriptor, or null to inherit),
 * `limit`, `cwd`, `env`, …. A program that cannot be started raises `FileNotFoundError` /
 * `PermissionError` as in CPython.
 */
export const createSubprocessExec = awaitable(function* createSubprocessExec(
  program: StrOrBytes,
  ...rest: (StrOrBytes | CreateSubprocessOptions)[]
): Coroutine<Process> {
  const loop = getRunningLoop();
  const [args, options] = splitArgs<CreateSubprocessOptions>(rest) as [
    (string | Uint8Array)[],
    CreateSubprocessOptions,
  ];
  const { limit, ...popen } = allOptions(options);
  // Python's create_subprocess_* default every stream to None (inherit), unlike the loop's.
  const kwds = inheritByDefault(popen);
  const protocolFactory = () => new SubprocessStreamProtocol(limit ?? DEFAULT_LIMIT, loop);
  const [transport, protocol] = yield* _awaitOverride<
    [BaseSubprocessTransport, SubprocessStreamProtocol]
  >(loop.subprocessExec(protocolFactory, program, ...args, kwds));
  return new Process(transport, protocol, loop);
}, "create_subprocess_exec");

/**
 * Runs `cmd` with `/bin/sh -c` and returns a `Process` (Python's
 * `asyncio.create_subprocess_shell`). Options as `createSubprocessExec`.
 */
export const createSubprocessShell = awaitable(function* createSubprocessShell(
  cmd: StrOrBytes,
  options: CreateSubprocessOptions = {},
): Coroutine<Process> {
  const loop = getRunningLoop();
  const { limit, ...popen } = allOptions(options);
  // Python's create_subprocess_* default every stream to None (inherit), unlike the loop's.
  const kwds = inheritByDefault(popen);
  const protocolFactory = () => new SubprocessStreamProtocol(limit ?? DEFAULT_LIMIT, loop);
  const [transport, protocol] = yield* _awaitOverride<
    [BaseSubprocessTransport, SubprocessStreamProtocol]
  >(loop.subprocessShell(protocolFactory, cmd, kwds));
  return new Process(transport, protocol, loop);
}, "create_subprocess_shell");

// `async def` methods in CPython.
_markCoroutineMethods(Process, ["wait", "communicate"]);

libraryClasses(Process);
