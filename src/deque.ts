/**
 * Slots of a block; the two after them link it to its neighbours. 64, as in CPython's deque.
 */
const BLOCK = 64;
const PREV = BLOCK;
const NEXT = BLOCK + 1;

/** A block of slots, linked to its neighbours through its last two slots. */
type Block = unknown[];

/**
 * A fresh block. Its links are written at once, so every block holds objects from the start
 * and code optimized for one never meets a block of another elements kind.
 */
function newBlock(): Block {
  const b: Block = new Array(BLOCK + 2);
  b[PREV] = null;
  b[NEXT] = null;
  return b;
}

/**
 * A double-ended queue made of fixed-size blocks linked together, as CPython's
 * `collections.deque` is: O(1) push and shift at both ends, and growing never copies items or
 * allocates a big array (a large allocation in a big heap costs milliseconds of GC work, which a
 * ring buffer that doubles pays each time it grows). Used for the loop's ready queue and the
 * waiter queues. Internal module.
 */
export class Deque<T> {
  /** leftmost block and the index of the first item in it */
  private lb: Block | null = null;
  private li = 0;
  /** rightmost block and the index after the last item in it */
  private rb: Block | null = null;
  private ri = BLOCK;
  private len = 0;
  /** one emptied block kept for reuse, so a queue that hovers at a block boundary does not churn */
  private spare: Block | null = null;

  get length(): number {
    return this.len;
  }

  push(item: T): void {
    if (this.ri === BLOCK) this.addRight();
    (this.rb as Block)[this.ri++] = item;
    this.len++;
  }

  unshift(item: T): void {
    if (this.li === 0) this.addLeft();
    (this.lb as Block)[--this.li] = item;
    this.len++;
  }

  /** Removes and returns the front item; undefined when empty. */
  shift(): T | undefined {
    if (this.len === 0) return undefined;
    const b = this.lb as Block;
    const item = b[this.li] as T;
    b[this.li++] = undefined;
    if (--this.len === 0) {
      // Empty: start over at the left of the one block (lb === rb).
      this.li = 0;
      this.ri = 0;
    } else if (this.li === BLOCK) {
      const next = b[NEXT] as Block;
      next[PREV] = null;
      this.lb = next;
      this.li = 0;
      this.recycle(b);
    }
    return item;
  }

  /** Removes and returns the back item; undefined when empty. */
  pop(): T | undefined {
    if (this.len === 0) return undefined;
    const b = this.rb as Block;
    const item = b[--this.ri] as T;
    b[this.ri] = undefined;
    if (--this.len === 0) {
      this.li = 0;
      this.ri = 0;
    } else if (this.ri === 0) {
      const prev = b[PREV] as Block;
      prev[NEXT] = null;
      this.rb = prev;
      this.ri = BLOCK;
      this.recycle(b);
    }
    return item;
  }

  peekFront(): T | undefined {
    return this.len === 0 ? undefined : ((this.lb as Block)[this.li] as T);
  }

  at(i: number): T | undefined {
    if (i < 0 || i >= this.len) return undefined;
    let b = this.lb as Block;
    let p = this.li + i;
    while (p >= BLOCK) {
      b = b[NEXT] as Block;
      p -= BLOCK;
    }
    return b[p] as T;
  }

  /** Removes the first occurrence of `item`; returns whether it was found. O(n). */
  remove(item: T): boolean {
    let b = this.lb as Block;
    let p = this.li;
    for (let n = 0; n < this.len; n++) {
      if (b[p] === item) {
        // Move every later item one slot to the left, then drop the last slot.
        for (let m = n + 1; m < this.len; m++) {
          let nb = b;
          let np = p + 1;
          if (np === BLOCK) {
            nb = b[NEXT] as Block;
            np = 0;
          }
          b[p] = nb[np];
          b = nb;
          p = np;
        }
        this.pop();
        return true;
      }
      if (++p === BLOCK) {
        b = b[NEXT] as Block;
        p = 0;
      }
    }
    return false;
  }

  clear(): void {
    this.lb = this.rb = this.spare = null;
    this.li = 0;
    this.ri = BLOCK;
    this.len = 0;
  }

  *[Symbol.iterator](): Generator<T> {
    let b = this.lb as Block;
    let p = this.li;
    for (let n = 0; n < this.len; n++) {
      yield b[p] as T;
      if (++p === BLOCK) {
        b = b[NEXT] as Block;
        p = 0;
      }
    }
  }

  toArray(): T[] {
    const out: T[] = new Array(this.len);
    let b = this.lb as Block;
    let p = this.li;
    for (let n = 0; n < this.len; n++) {
      out[n] = b[p] as T;
      if (++p === BLOCK) {
        b = b[NEXT] as Block;
        p = 0;
      }
    }
    return out;
  }

  // The right block is full (or there is none yet).
  private addRight(): void {
    if (this.rb === null) {
      this.lb = this.rb = this.take();
      this.li = this.ri = 0;
    } else if (this.len === 0) {
      this.li = this.ri = 0;
    } else {
      const b = this.take();
      b[PREV] = this.rb;
      this.rb[NEXT] = b;
      this.rb = b;
      this.ri = 0;
    }
  }

  // The left block has no free slot before its first item (or there is none yet).
  private addLeft(): void {
    if (this.lb === null) {
      this.lb = this.rb = this.take();
      this.li = this.ri = BLOCK;
    } else if (this.len === 0) {
      this.li = this.ri = BLOCK;
    } else {
      const b = this.take();
      b[NEXT] = this.lb;
      this.lb[PREV] = b;
      this.lb = b;
      this.li = BLOCK;
    }
  }

  private take(): Block {
    const b = this.spare;
    if (b === null) return newBlock();
    this.spare = null;
    return b;
  }

  /** `b` is empty and unlinked from the deque (its slots were cleared as items left). */
  private recycle(b: Block): void {
    b[PREV] = null;
    b[NEXT] = null;
    this.spare = b;
  }
}
