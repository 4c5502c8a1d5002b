/**
 * An array of `cap` holes that holds objects from the start: `new Array(cap)` alone is an array
 * of small integers until the first store, and code optimized for one kind deoptimizes on the
 * other (a new loop's ready queue, after another loop's).
 */
function newBuffer<T>(cap: number): (T | undefined)[] {
  const buf: (T | undefined)[] = new Array(cap);
  buf[0] = undefined;
  return buf;
}

/**
 * A growable ring buffer: O(1) push at the back and shift at the front, used for the loop's
 * ready queue and the waiter queues (Python's `collections.deque`). Internal module.
 */
export class Deque<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private len = 0;
  private mask: number;

  constructor(capacity = 16) {
    let cap = 16;
    while (cap < capacity) cap <<= 1;
    this.buf = newBuffer(cap);
    this.mask = cap - 1;
  }

  get length(): number {
    return this.len;
  }

  push(item: T): void {
    if (this.len === this.buf.length) this.grow();
    this.buf[(this.head + this.len) & this.mask] = item;
    this.len++;
  }

  unshift(item: T): void {
    if (this.len === this.buf.length) this.grow();
    this.head = (this.head - 1) & this.mask;
    this.buf[this.head] = item;
    this.len++;
  }

  /** Removes and returns the front item; undefined when empty. */
  shift(): T | undefined {
    if (this.len === 0) return undefined;
    const item = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.len--;
    return item;
  }

  /** Removes and returns the back item; undefined when empty. */
  pop(): T | undefined {
    if (this.len === 0) return undefined;
    this.len--;
    const i = (this.head + this.len) & this.mask;
    const item = this.buf[i];
    this.buf[i] = undefined;
    return item;
  }

  peekFront(): T | undefined {
    return this.len === 0 ? undefined : this.buf[this.head];
  }

  at(i: number): T | undefined {
    if (i < 0 || i >= this.len) return undefined;
    return this.buf[(this.head + i) & this.mask];
  }

  /** Removes the first occurrence of `item`; returns whether it was found. O(n). */
  remove(item: T): boolean {
    for (let i = 0; i < this.len; i++) {
      if (this.buf[(this.head + i) & this.mask] === item) {
        for (let j = i; j < this.len - 1; j++) {
          this.buf[(this.head + j) & this.mask] = this.buf[(this.head + j + 1) & this.mask];
        }
        this.len--;
        this.buf[(this.head + this.len) & this.mask] = undefined;
        return true;
      }
    }
    return false;
  }

  clear(): void {
    this.buf = newBuffer(this.buf.length);
    this.head = 0;
    this.len = 0;
  }

  *[Symbol.iterator](): Generator<T> {
    for (let i = 0; i < this.len; i++) yield this.buf[(this.head + i) & this.mask] as T;
  }

  toArray(): T[] {
    const out: T[] = new Array(this.len);
    for (let i = 0; i < this.len; i++) out[i] = this.buf[(this.head + i) & this.mask] as T;
    return out;
  }

  private grow(): void {
    const old = this.buf;
    const cap = old.length * 2;
    const next: (T | undefined)[] = newBuffer(cap);
    for (let i = 0; i < this.len; i++) next[i] = old[(this.head + i) & this.mask];
    this.buf = next;
    this.head = 0;
    this.mask = cap - 1;
  }
}
