/**
 * Python's `heapq` push/pop/heapify, step for step, so that timers with equal deadlines come
 * out in exactly CPython's order (which is heap order, not FIFO). Internal module.
 */

export interface HeapItem {
  /** The sort key; items compare with `<` on it only, like TimerHandle.__lt__. */
  readonly _when: number;
}

function siftdown<T extends HeapItem>(heap: T[], startpos: number, pos: number): void {
  const newitem = heap[pos]!;
  while (pos > startpos) {
    const parentpos = (pos - 1) >> 1;
    const parent = heap[parentpos]!;
    if (newitem._when < parent._when) {
      heap[pos] = parent;
      pos = parentpos;
      continue;
    }
    break;
  }
  heap[pos] = newitem;
}

function siftup<T extends HeapItem>(heap: T[], pos: number): void {
  const endpos = heap.length;
  const startpos = pos;
  const newitem = heap[pos]!;
  let childpos = 2 * pos + 1;
  while (childpos < endpos) {
    const rightpos = childpos + 1;
    if (rightpos < endpos && !(heap[childpos]!._when < heap[rightpos]!._when)) {
      childpos = rightpos;
    }
    heap[pos] = heap[childpos]!;
    pos = childpos;
    childpos = 2 * pos + 1;
  }
  heap[pos] = newitem;
  siftdown(heap, startpos, pos);
}

export function heappush<T extends HeapItem>(heap: T[], item: T): void {
  heap.push(item);
  siftdown(heap, 0, heap.length - 1);
}

export function heappop<T extends HeapItem>(heap: T[]): T {
  const lastelt = heap.pop()!;
  if (heap.length > 0) {
    const returnitem = heap[0]!;
    heap[0] = lastelt;
    siftup(heap, 0);
    return returnitem;
  }
  return lastelt;
}

export function heapify<T extends HeapItem>(heap: T[]): void {
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftup(heap, i);
}
