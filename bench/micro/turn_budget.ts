/**
 * How the loop shares the thread with Node, for several EventLoop.turnBudget values (ms): while
 * the loop spins a callSoon chain (one callback per iteration, always busy), a setImmediate probe
 * measures how many loop iterations run per Node turn and how long Node work waits (setImmediate
 * latency, and a real 127.0.0.1 socket echo round trip). Also the chain's throughput.
 * Run: node --expose-gc --conditions=asyncio-ts-source --import tsx bench/micro/turn_budget.ts
 */
import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";
import * as asyncio from "asyncio-ts";

const SPIN_MS = 1000;

interface Result {
  budget: number;
  iterationsPerSec: number;
  itersPerTurn: { median: number; p99: number };
  immediateMs: { median: number; p99: number; max: number };
  echoMs: { median: number; p99: number; max: number } | null;
}

function stats(xs: number[]): { median: number; p99: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
  return { median: at(0.5), p99: at(0.99), max: s[s.length - 1] ?? Number.NaN };
}

async function echoServer(): Promise<{ port: number; close: () => void }> {
  const server = createServer((sock) => {
    sock.on("data", (d) => sock.write(d));
    sock.on("error", () => {});
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { port: (server.address() as { port: number }).port, close: () => server.close() };
}

async function measure(budget: number, port: number | null): Promise<Result> {
  const loop = new asyncio.EventLoop();
  loop.turnBudget = budget;
  let iterations = 0;
  let spinning = true;
  function spin(): void {
    iterations++;
    if (spinning) loop.callSoon(spin);
  }

  // Node-side probes: setImmediate latency and loop iterations between two probe runs.
  const perTurn: number[] = [];
  const immediate: number[] = [];
  let lastIter = 0;
  function probe(): void {
    const t0 = performance.now();
    setImmediate(() => {
      immediate.push(performance.now() - t0);
      perTurn.push(iterations - lastIter);
      lastIter = iterations;
      if (spinning) probe();
    });
  }

  // A socket echo: the time from write() to the echoed data arriving.
  const echo: number[] = [];
  let sock: Socket | null = null;
  if (port !== null) {
    sock = connect(port, "127.0.0.1");
    await once(sock, "connect");
    let sent = 0;
    const ping = () => {
      sent = performance.now();
      sock!.write("x");
    };
    sock.on("data", () => {
      echo.push(performance.now() - sent);
      if (spinning) ping();
    });
    ping();
  }

  loop.callSoon(spin);
  loop.callLater(SPIN_MS / 1000, () => {
    spinning = false;
    loop.stop();
  });
  const t0 = performance.now();
  probe();
  await loop.runForever();
  const elapsed = performance.now() - t0;
  sock?.destroy();
  loop.close();
  const turns = stats(perTurn.slice(1));
  return {
    budget,
    iterationsPerSec: Math.round(iterations / (elapsed / 1000)),
    itersPerTurn: { median: turns.median, p99: turns.p99 },
    immediateMs: stats(immediate.slice(1)),
    echoMs: port === null ? null : stats(echo.slice(1)),
  };
}

const server = await echoServer();
const rows: Result[] = [];
for (const budget of [0.25, 0.5, 1, 2, 4, 8, 16]) {
  await measure(budget, server.port); // warm-up
  rows.push(await measure(budget, server.port));
}
server.close();

const f = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
console.log(
  "budget ms | iterations/s | iters/turn med (p99) | setImmediate wait ms med/p99/max | echo RTT ms med/p99/max",
);
for (const r of rows) {
  console.log(
    [
      String(r.budget).padStart(9),
      String(r.iterationsPerSec).padStart(12),
      `${r.itersPerTurn.median} (${r.itersPerTurn.p99})`.padStart(20),
      `${f(r.immediateMs.median)}/${f(r.immediateMs.p99)}/${f(r.immediateMs.max)}`.padStart(32),
      r.echoMs === null
        ? "-"
        : `${f(r.echoMs.median)}/${f(r.echoMs.p99)}/${f(r.echoMs.max)}`.padStart(23),
    ].join(" | "),
  );
}
