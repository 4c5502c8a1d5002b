/**
 * asyncio-ts: Python's asyncio for TypeScript on Node.js.
 *
 * `import * as asyncio from "asyncio-ts"`. This file is the public surface: every public name is
 * re-exported here by name.
 */

export type { ExceptionHandler, TaskFactory } from "./base_events.ts";
// On Linux CPython's EventLoop is its SelectorEventLoop, a BaseEventLoop: one class here.
export {
  EventLoop as BaseEventLoop,
  EventLoop,
  EventLoop as SelectorEventLoop,
} from "./base_events.ts";
export type {
  BaseSubprocessTransport,
  ReadPipeTransport,
  StdioSpec,
  WritePipeTransport,
} from "./base_subprocess.ts";
export { Context, ContextVar, copyContext, Token } from "./contextvars.ts";
export type { AwaitableCoroutine, Coroutine } from "./coroutines.ts";
export { awaitable, isCoroutine, isCoroutineFunction } from "./coroutines.ts";
export type { DatagramEndpointOptions, DatagramSocketTransport } from "./datagram.ts";
export type { Callback, ExceptionContext, StrOrBytes } from "./events.ts";
export {
  _getRunningLoop,
  _setRunningLoop,
  AbstractEventLoop,
  AbstractEventLoopPolicy,
  DefaultEventLoopPolicy,
  getEventLoop,
  getEventLoopPolicy,
  getRunningLoop,
  Handle,
  newEventLoop,
  setEventLoop,
  setEventLoopPolicy,
  TimerHandle,
} from "./events.ts";
export {
  BaseExceptionGroup,
  BrokenBarrierError,
  CancelledError,
  EOFError,
  ExceptionGroup,
  IncompleteReadError,
  IndexError,
  InvalidStateError,
  KeyboardInterrupt,
  KeyError,
  LimitOverrunError,
  LookupError,
  NotImplementedError,
  OverflowError,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  RuntimeError,
  SendfileNotAvailableError,
  SystemExit,
  TimeoutError,
  ValueError,
} from "./exceptions.ts";
export type { DoneCallback } from "./futures.ts";
export { CollectedFuture, Future, isFuture } from "./futures.ts";
export type {
  AwaitableArg,
  AwaitedResult,
  GatherResults,
  GatherResultsOrErrors,
} from "./gather.ts";
export { gather, shield } from "./gather.ts";
export type { LockBody } from "./locks.ts";
export { Barrier, BoundedSemaphore, Condition, Event, Lock, Semaphore } from "./locks.ts";
export type { Logger, LogHandler, LogRecord } from "./log.ts";
export { logger } from "./log.ts";
export type {
  ConnectAcceptedSocketOptions,
  CreateConnectionOptions,
  CreateServerOptions,
  CreateUnixConnectionOptions,
  CreateUnixServerOptions,
  SocketTransport,
  StartTlsOptions,
} from "./net_transports.ts";
export { Server } from "./net_transports.ts";
export {
  BlockingIOError,
  BrokenPipeError,
  ChildProcessError,
  ConnectionAbortedError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionResetError,
  FileExistsError,
  FileNotFoundError,
  InterruptedError,
  IsADirectoryError,
  NotADirectoryError,
  OSError,
  PermissionError,
  ProcessLookupError,
} from "./os_errors.ts";
export type { ReadPipe, WritePipe } from "./pipes.ts";
export type {
  Address,
  AnyProtocol,
  DatagramProtocolLike,
  ReadPipeProtocolLike,
  StreamProtocolLike,
  SubprocessProtocolLike,
  WritePipeProtocolLike,
} from "./protocols.ts";
export {
  BaseProtocol,
  BufferedProtocol,
  DatagramProtocol,
  Protocol,
  SubprocessProtocol,
} from "./protocols.ts";
export type { ItemBody, PriorityQueueOptions, QueueAsyncIterator } from "./queues.ts";
export { LifoQueue, PriorityQueue, Queue } from "./queues.ts";
export { RemoteLoop } from "./remote_loop.ts";
export type { RunnerOptions } from "./runners.ts";
export { Runner, run } from "./runners.ts";
export type { SendfileFile, SendfileFileLike, SendfileOptions } from "./sendfile.ts";
export * as socket from "./socket.ts";
export * as ssl from "./ssl.ts";
export { type RacerFn, staggeredRace } from "./staggered.ts";
export type {
  ClientConnectedCallback,
  OpenConnectionOptions,
  OpenUnixConnectionOptions,
  StartServerOptions,
  StartUnixServerOptions,
} from "./streams.ts";
export {
  FlowControlMixin,
  openConnection,
  openUnixConnection,
  StreamReader,
  StreamReaderProtocol,
  StreamWriter,
  startServer,
  startUnixServer,
} from "./streams.ts";
export type { CreateSubprocessOptions, SubprocessOptions } from "./subprocess.ts";
export {
  createSubprocessExec,
  createSubprocessShell,
  DEVNULL,
  PIPE,
  Process,
  STDOUT,
  SubprocessStreamProtocol,
} from "./subprocess.ts";
export type { TaskGroupBody } from "./taskgroups.ts";
export { TaskGroup } from "./taskgroups.ts";
export type { FutureLike, TaskBody, TaskOptions } from "./tasks.ts";
export {
  _enterTask,
  _leaveTask,
  _registerTask,
  _unregisterTask,
  allTasks,
  createEagerTaskFactory,
  createTask,
  currentSignal,
  currentTask,
  eagerTaskFactory,
  ensureFuture,
  sleep,
  Task,
} from "./tasks.ts";
export type { RemoteResult } from "./threads.ts";
export { runCoroutineThreadsafe, toThread } from "./threads.ts";
export type { TimeoutBody } from "./timeouts.ts";
export { Timeout, timeout, timeoutAt } from "./timeouts.ts";
export type { BufferLimit } from "./transports.ts";
export {
  BaseTransport,
  DatagramTransport,
  ReadTransport,
  SubprocessTransport,
  Transport,
  WriteTransport,
} from "./transports.ts";
export type { AsCompletedAsyncIterator, AsCompletedFuture, AsFuture, ReturnWhen } from "./wait.ts";
export {
  ALL_COMPLETED,
  AsCompletedIterator,
  asCompleted,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  wait,
  waitFor,
} from "./wait.ts";
export { wrapFuture } from "./wrap_future.ts";
