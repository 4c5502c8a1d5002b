/**
 * The `asyncio` logger (Python: `logging.getLogger("asyncio")`, exported as `asyncio.logger`).
 *
 * The default exception handler and debug mode write here. With no handler installed, records
 * at WARNING and above go to stderr with their traceback, as Python's last-resort handler does;
 * `addHandler` captures them instead (tests, or routing to an application's own logger).
 */
import { ValueError } from "./exceptions.ts";
import { errorName, pyRepr } from "./format.ts";

export const NOTSET = 0;
export const DEBUG = 10;
export const INFO = 20;
export const WARNING = 30;
export const ERROR = 40;
export const CRITICAL = 50;

const LEVEL_NAMES: Record<number, string> = {
  [DEBUG]: "DEBUG",
  [INFO]: "INFO",
  [WARNING]: "WARNING",
  [ERROR]: "ERROR",
  [CRITICAL]: "CRITICAL",
};

/** The level names Python's `logging` knows (`logging._nameToLevel`). */
const NAME_TO_LEVEL = {
  CRITICAL,
  FATAL: CRITICAL,
  ERROR,
  WARN: WARNING,
  WARNING,
  INFO,
  DEBUG,
  NOTSET,
} as const;
export type LevelName = keyof typeof NAME_TO_LEVEL;

/** Python's `logging._checkLevel`: an integer, or a known level name. */
function checkLevel(level: unknown): number {
  if (typeof level === "number" && Number.isInteger(level)) return level;
  if (typeof level === "boolean") return Number(level);
  if (typeof level === "string") {
    if (!Object.hasOwn(NAME_TO_LEVEL, level))
      throw new ValueError(`Unknown level: ${pyRepr(level)}`);
    return NAME_TO_LEVEL[level as LevelName];
  }
  throw new TypeError(`Level not an integer or a valid string: ${pyRepr(level)}`);
}

export interface LogRecord {
  readonly name: string;
  readonly level: number;
  readonly levelname: string;
  readonly message: string;
  /** The error whose traceback Python would print (`exc_info`). */
  readonly excInfo?: unknown;
}

/**
 * A handler: a function of the record, or an object shaped like Python's `logging.Handler`
 * (`handle(record)` or `emit(record)`, and an optional `level` below which it is skipped).
 */
export type LogHandler =
  | ((record: LogRecord) => void)
  | { handle(record: LogRecord): unknown; level?: number }
  | { emit(record: LogRecord): unknown; level?: number };

/**
 * A minimal `logging.Logger`. Its level starts NOTSET (0), which means the root logger's
 * default, WARNING, as in Python: DEBUG and INFO records (debug mode's "Close <loop>") reach
 * the handlers only after `setLevel(DEBUG)`.
 */
export class Logger {
  level = 0;
  private handlers: LogHandler[] = [];
  constructor(readonly name: string) {}

  addHandler(h: LogHandler): void {
    if (
      typeof h !== "function" &&
      typeof (h as { handle?: unknown } | null)?.handle !== "function" &&
      typeof (h as { emit?: unknown } | null)?.emit !== "function"
    ) {
      // Python finds out only at the first record; here it is said at once.
      throw new TypeError(
        `a log handler is a function of the record, or an object with handle(record) or emit(record), not ${pyRepr(h)}`,
      );
    }
    this.handlers.push(h);
  }
  removeHandler(h: LogHandler): void {
    const i = this.handlers.indexOf(h);
    if (i >= 0) this.handlers.splice(i, 1);
  }
  /** A level number, or its name as Python's logging takes it (`"DEBUG"`, `"WARNING"`, ...). */
  setLevel(level: number | LevelName): void {
    this.level = checkLevel(level);
  }
  /** The level in force: `level`, or WARNING while it is NOTSET (Python's root default). */
  getEffectiveLevel(): number {
    return this.level === 0 ? WARNING : this.level;
  }
  isEnabledFor(level: number): boolean {
    return level >= this.getEffectiveLevel();
  }

  log(level: number, message: string, excInfo?: unknown): void {
    if (!this.isEnabledFor(level)) return;
    const record: LogRecord = {
      name: this.name,
      level,
      levelname: LEVEL_NAMES[level] ?? `Level ${level}`,
      message,
      ...(excInfo !== undefined ? { excInfo } : {}),
    };
    if (this.handlers.length === 0) {
      if (level >= WARNING) lastResort(record);
      return;
    }
    for (const h of [...this.handlers]) {
      if (typeof h === "function") {
        h(record);
        continue;
      }
      // Python's callHandlers: `if record.levelno >= hdlr.level: hdlr.handle(record)`.
      const min = (h as { level?: unknown }).level;
      if (typeof min === "number" && level < min) continue;
      if ("handle" in h && typeof h.handle === "function") h.handle(record);
      else (h as { emit(record: LogRecord): unknown }).emit(record);
    }
  }
  debug(message: string, excInfo?: unknown): void {
    this.log(DEBUG, message, excInfo);
  }
  info(message: string, excInfo?: unknown): void {
    this.log(INFO, message, excInfo);
  }
  warning(message: string, excInfo?: unknown): void {
    this.log(WARNING, message, excInfo);
  }
  error(message: string, excInfo?: unknown): void {
    this.log(ERROR, message, excInfo);
  }
}

function formatExc(e: unknown): string {
  try {
    // A thrown value that is not an Error (`throw { code: 42 }`): as Python would print it.
    if (!(e instanceof Error)) return typeof e === "string" ? e : pyRepr(e);
    const stack = e.stack ?? String(e);
    // An error of the user's own class shows the class, as Python's traceback does (its stack
    // starts with the inherited "Error").
    const name = errorName(e);
    return name !== e.name && stack.startsWith(e.name) ? name + stack.slice(e.name.length) : stack;
  } catch {
    // a throwing `stack`/`name`/`toString`, a revoked Proxy: what Python's traceback prints
    return "<exception str() failed>";
  }
}

function lastResort(record: LogRecord): void {
  let text = record.message;
  if (record.excInfo !== undefined) text += `\n${formatExc(record.excInfo)}`;
  process.stderr.write(`${text}\n`);
}

/**
 * Python's unraisable hook: what escapes a finalizer (a report made at garbage collection or at
 * exit, where there is no caller to raise to) is printed, not raised, whatever it is.
 */
export function writeUnraisable(where: string, exc: unknown): void {
  process.stderr.write(`Exception ignored in: ${where}\n${formatExc(exc)}\n`);
}

/** The library's logger, named "asyncio" as in Python. */
export const logger = new Logger("asyncio");
