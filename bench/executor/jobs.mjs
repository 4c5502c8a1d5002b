// Worker functions for bench/executor/run.ts. Plain JavaScript, so that piscina's workers (which
// cannot load TypeScript on Node 20) and ours run the very same functions.
export function square(x) {
  return x * x;
}
/** Keeps a CPU busy for `ms` milliseconds; returns how many loop turns that took. */
export function burn(ms) {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) n++;
  return n;
}
