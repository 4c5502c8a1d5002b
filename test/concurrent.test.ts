/**
 * asyncio-ts/concurrent: the concurrent Future, wait/asCompleted, worker functions, and the
 * two pools on real worker threads and child processes. The CPython traces are in
 * conformance/90_concurrent_future and 91_executors.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MessageChannel } from "node:worker_threads";
import * as cf from "../src/concurrent.ts";
import { pyRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import * as w from "./fixtures/concurrent_workers.ts";

const norm = (s: string) => s.replace(/0x[0-9a-f]+/g, "0x?");

async function list<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Runs `fn` (a done future's result() throws at once; a pending one's returns a promise). */
async function rejects(fn: () => unknown, check: (e: Error) => void): Promise<void> {
  try {
    await fn();
  } catch (e) {
    check(e as Error);
    return;
  }
  assert.fail("did not throw");
}

/** Shared pools for the tests that do not break or shut them down. */
const threads = new cf.ThreadPoolExecutor({ maxWorkers: 2 });
const processes = new cf.ProcessPoolExecutor({ maxWorkers: 2 });
after(async () => {
  await threads.shutdown();
  await processes.shutdown();
});

// ---- the Future ----

test("Future: states, reprs and CPython's messages", () => {
  const f = new cf.Future<number>();
  assert.equal(norm(pyRepr(f)), "<Future at 0x? state=pending>");
  assert.deepEqual([f.done(), f.running(), f.cancelled()], [false, false, false]);
  assert.equal(f.setRunningOrNotifyCancel(), true);
  assert.equal(f.running(), true);
  assert.equal(f.cancel(), false);
  assert.throws(() => f.setRunningOrNotifyCancel(), /^RuntimeError: Future in unexpected state$/);
  f.setResult(42);
  assert.equal(norm(String(f)), "<Future at 0x? state=finished returned int>");
  assert.equal(f.result(), 42);
  assert.equal(f.exception(), null);
  assert.throws(
    () => f.setResult(1),
    (e: Error) =>
      e instanceof cf.InvalidStateError &&
      norm(e.message) === "FINISHED: <Future at 0x? state=finished returned int>",
  );
  const g = new cf.Future<number>();
  assert.equal(g.cancel(), true);
  assert.equal(g.cancel(), true);
  assert.throws(() => g.result(), cf.CancelledError);
  assert.throws(() => g.exception(), cf.CancelledError);
  assert.equal(g.setRunningOrNotifyCancel(), false);
  assert.throws(
    () => g.setException(new Error("x")),
    /CANCELLED_AND_NOTIFIED: <Future at 0x[0-9a-f]+ state=cancelled>/,
  );
  const h = new cf.Future<number>();
  h.setException(new asyncio.ValueError("bad"));
  assert.equal(norm(String(h)), "<Future at 0x? state=finished raised ValueError>");
  assert.throws(() => h.result(), asyncio.ValueError);
  // The concurrent CancelledError is not asyncio's.
  assert.notEqual(cf.CancelledError, asyncio.CancelledError);
  assert.equal(cf.TimeoutError, asyncio.TimeoutError);
  assert.ok(new cf.BrokenThreadPool("x") instanceof cf.BrokenExecutor);
  assert.ok(new cf.BrokenExecutor("x") instanceof asyncio.RuntimeError);
});

test("Future: result() and exception() wait when pending, or time out", async () => {
  const f = new cf.Future<string>();
  assert.throws(() => f.result(0), cf.TimeoutError);
  assert.throws(() => f.exception(-1), cf.TimeoutError);
  const waiting = f.result();
  const waitingExc = f.exception(5);
  assert.ok(waiting instanceof Promise);
  setTimeout(() => f.setResult("done"), 5);
  assert.equal(await waiting, "done");
  assert.equal(await waitingExc, null);
  const g = new cf.Future<string>();
  await rejects(
    () => g.result(0.01),
    (e) => assert.ok(e instanceof cf.TimeoutError),
  );
  setTimeout(() => g.cancel(), 5);
  await rejects(
    () => g.result(),
    (e) => assert.ok(e instanceof cf.CancelledError),
  );
  const h = new cf.Future<string>();
  setTimeout(() => h.setException(new TypeError("t")), 5);
  assert.ok((await h.exception()) instanceof TypeError);
  // A thrown value that is not an Error is kept as is.
  const k = new cf.Future<string>();
  k.setException(undefined);
  assert.throws(
    () => k.result(),
    (e) => e === undefined,
  );
});

test("Future: done callbacks run synchronously, in order; errors are logged", () => {
  const logged: string[] = [];
  const handler = (r: { levelname: string; message: string }) =>
    logged.push(`${r.levelname} ${norm(r.message)}`);
  cf.LOGGER.addHandler(handler);
  try {
    const calls: string[] = [];
    const f = new cf.Future<number>();
    f.addDoneCallback((d) => calls.push(`a${d.result()}`));
    f.addDoneCallback(() => {
      throw new Error("boom");
    });
    f.addDoneCallback((d) => calls.push(`b${d.result()}`));
    f.setResult(1);
    assert.deepEqual(calls, ["a1", "b1"]);
    f.addDoneCallback((d) => calls.push(`late${d.result()}`));
    assert.deepEqual(calls, ["a1", "b1", "late1"]);
    assert.deepEqual(logged, [
      "ERROR exception calling callback for <Future at 0x? state=finished returned int>",
    ]);
  } finally {
    cf.LOGGER.removeHandler(handler);
  }
});

test("Future.done() narrows the type to a done future", () => {
  const f = new cf.Future<number>();
  f.setResult(3);
  if (f.done()) {
    const n: number = f.result(); // no promise in the type
    assert.equal(n + 1, 4);
  }
});

// ---- wait() and asCompleted() ----

function after_(ms: number, fn: () => void): void {
  setTimeout(fn, ms);
}

test("wait(): FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED and timeouts", async () => {
  const a = new cf.Future<string>();
  const b = new cf.Future<string>();
  const c = new cf.Future<string>();
  after_(5, () => a.setResult("a"));
  after_(15, () => b.setException(new Error("b")));
  after_(30, () => c.setResult("c"));
  let [done, notDone] = await cf.wait([a, b, c], { returnWhen: cf.FIRST_COMPLETED });
  assert.deepEqual([[...done], [...notDone]], [[a], [b, c]]);
  const res = await cf.wait([a, b, c], { returnWhen: cf.FIRST_EXCEPTION });
  assert.deepEqual([[...res.done], [...res.notDone]], [[a, b], [c]]);
  [done, notDone] = await cf.wait([a, b, c], { timeout: 0 });
  assert.equal(notDone.size, 1);
  [done, notDone] = await cf.wait([a, b, c]);
  assert.deepEqual([done.size, notDone.size], [3, 0]);
  // No waiter is left behind on the futures.
  assert.deepEqual([a._waiters.length, b._waiters.length, c._waiters.length], [0, 0, 0]);
  await rejects(
    () => cf.wait([new cf.Future()], { timeout: 0, returnWhen: "nope" as cf.ReturnWhen }),
    (e) => assert.equal(e.message, "Invalid return condition: 'nope'"),
  );
  await rejects(
    () => cf.wait([1 as never]),
    (e) => assert.ok(e instanceof TypeError),
  );
});

test("asCompleted(): completion order, done ones first, timeout, early exit", async () => {
  const done = new cf.Future<string>();
  done.setResult("first");
  const slow = new cf.Future<string>();
  const fast = new cf.Future<string>();
  after_(20, () => slow.setResult("slow"));
  after_(5, () => fast.setResult("fast"));
  const order: string[] = [];
  for await (const f of cf.asCompleted([slow, fast, done, done])) order.push(f.result());
  assert.deepEqual(order, ["first", "fast", "slow"]);

  const never = new cf.Future<string>();
  const seen: string[] = [];
  await rejects(
    () =>
      (async () => {
        for await (const f of cf.asCompleted([done, never], { timeout: 0.01 }))
          seen.push(f.result());
      })(),
    (e) => {
      assert.ok(e instanceof cf.TimeoutError);
      assert.equal(e.message, "1 (of 2) futures unfinished");
    },
  );
  assert.deepEqual(seen, ["first"]);
  assert.equal(never._waiters.length, 0);
  for await (const _ of cf.asCompleted([done, never])) break;
  assert.equal(never._waiters.length, 0);
});

// ---- worker functions ----

/** Stands for a helper tsx/esbuild puts in a module (`__callDispose`): absent in a worker. */
function __usingHelper(): number {
  return 1;
}

const OFFSET = 100;
function selfContained(n: number): number {
  let total = 0;
  for (let i = 1; i <= n; i++) total += i;
  return total;
}
function usesModuleVariable(n: number): number {
  return n + OFFSET;
}

test("a function that is not registered travels as its source text", async () => {
  // Python's pools take any function: ours take one a worker can rebuild from its text.
  assert.equal(await threads.submit(selfContained, 10).result(), 55);
  assert.equal(await processes.submit(selfContained, 4).result(), 10);
  assert.equal(await threads.submit((a: number, b: string) => `${b}${a}`, 1, "x").result(), "x1");
  const shapes = {
    method(a: number) {
      return a * 3;
    },
    async asyncMethod(a: number) {
      await new Promise((r) => setTimeout(r, 1));
      return a * 4;
    },
  };
  assert.equal(await threads.submit(shapes.method, 2).result(), 6);
  assert.equal(await processes.submit(shapes.asyncMethod, 2).result(), 8);
  const squares: number[] = [];
  for await (const r of threads.map((x: number) => x * x, [1, 2, 3])) squares.push(r);
  assert.deepEqual(squares, [1, 4, 9]);
  // Through asyncio: toThread and runInExecutor.
  const [a, b] = await asyncio.run(async () => [
    await asyncio.toThread((s: string) => s.toUpperCase(), "abc"),
    await asyncio.getRunningLoop().runInExecutor(null, selfContained, 3),
  ]);
  assert.deepEqual([a, b], ["ABC", 6]);
  // Node's own functions go as references to their module's export, the language's built-ins
  // by their path; Buffers stay Buffers both ways (a copy makes them plain Uint8Arrays).
  const { gzipSync, gunzipSync } = await import("node:zlib");
  const zipped = await threads.submit(gzipSync, "zz").result();
  assert.ok(Buffer.isBuffer(zipped));
  assert.equal(gunzipSync(zipped).toString(), "zz");
  assert.equal(await processes.submit(Math.max, 1, 5, 3).result(), 5);
  assert.deepEqual(await threads.submit(JSON.parse, "[1,2]").result(), [1, 2]);
  const texts = await processes
    .submit(
      (b: Buffer, more: { data: Buffer }[]) => [b.toString("hex"), more[0]?.data.toString()],
      Buffer.from([1, 2]),
      [{ data: Buffer.from("x") }],
    )
    .result();
  assert.deepEqual(texts, ["0102", "x"]);
  // More of Node's and the language's own: by path, or by module and export.
  const { posix } = await import("node:path");
  const { format } = await import("node:util");
  assert.deepEqual(
    [
      await threads.submit(String, 5).result(),
      await threads.submit(Number, "42").result(),
      await threads.submit(process.cwd).result(),
      typeof (await threads.submit(performance.now).result()),
      typeof (await threads.submit(Date.now).result()),
      await threads.submit(posix.join, "a", "b").result(),
      await threads.submit(format, "%s=%d", "x", 1).result(),
      Buffer.isBuffer(
        await processes
          .submit(Buffer.from as (s: string, e: string) => Buffer, "abcd", "hex")
          .result(),
      ),
      await threads.submit(console.log).result(),
    ],
    ["5", 42, process.cwd(), "number", "number", "a/b", "x=1", true, undefined],
  );
  // URLs and Buffers deep in the arguments and the result come back as they were.
  const deep = await threads
    .submit(
      (u: URL, b: Buffer) => ({ a: [[{ b: [[{ c: b, u }]] }]] }),
      new URL("file:///x"),
      Buffer.from("z"),
    )
    .result();
  const leaf = deep.a[0]?.[0]?.b[0]?.[0];
  assert.ok(Buffer.isBuffer(leaf?.c) && leaf.u instanceof URL && leaf.u.href === "file:///x");
  // A URL itself, and an object holding one that is shared (Node 22 and later refuse to clone a
  // URL: it goes as its href).
  assert.equal(
    (await threads.submit((u: URL) => u, new URL("file:///y")).result()).href,
    "file:///y",
  );
  const holder = { u: new URL("file:///z") };
  const [h1, h2] = await threads
    .submit((a: unknown, b: unknown) => [a, b], holder, holder)
    .result();
  assert.ok(h1 === h2 && (h1 as typeof holder).u instanceof URL);
  assert.equal(holder.u.href, "file:///z");
  // Only a namespace's own functions: an inherited one (Float64Array.from is %TypedArray%'s, as
  // Buffer.of is) is not taken for another's.
  assert.throws(
    () => threads.submit(Float64Array.from as (a: number[]) => Float64Array, [1]),
    /cannot send function from\(\)/,
  );
  // A Buffer in two places comes back one Buffer in two places.
  const shared = await threads.submit((b: Buffer) => [b, { b }], Buffer.from("s")).result();
  assert.ok(Buffer.isBuffer(shared[0]) && shared[0] === (shared[1] as { b: Buffer }).b);
  // toThread of something not callable fails when called, as CPython's does.
  await assert.rejects(
    asyncio.run(() => asyncio.toThread(5 as unknown as () => void)),
    (e: Error) => e instanceof TypeError && e.message === "'int' object is not callable",
  );
  // A helper of the compiler's, or a variable used before its declaration: each its own note.
  await assert.rejects(
    async () =>
      threads
        .submit(() => {
          return __usingHelper();
        })
        .result(),
    (e: Error) => /without __usingHelper, a helper the TypeScript compiler/.test(e.message),
  );
  await assert.rejects(
    async () =>
      threads
        .submit(() => {
          const f = () => late;
          f();
          const late = 1;
          return late;
        })
        .result(),
    (e: Error) => e instanceof ReferenceError && !/ran from its source text/.test(e.message),
  );
  // Its module's variables are not there: the ReferenceError says why.
  for (const pool of [threads, processes]) {
    await assert.rejects(
      async () => pool.submit(usesModuleVariable, 1).result(),
      (e: Error) => {
        assert.ok(e instanceof ReferenceError, String(e));
        assert.match(
          e.message,
          /^OFFSET is not defined \(usesModuleVariable\(\) ran from its source text in another thread or process, without its module's variables, imports or closure: export it and register it with workerFunctions\(import\.meta\.url, \{ usesModuleVariable \}\)/,
        );
        return true;
      },
    );
  }
  // A ReferenceError the function's own code did not raise is left as it is.
  await assert.rejects(
    async () => threads.submit(w.raiseReference).result(),
    (e: Error) => {
      assert.ok(e instanceof ReferenceError);
      assert.equal(e.message, "undefinedName is not defined");
      return true;
    },
  );
  assert.equal(
    await Promise.resolve(threads.submit(() => w.raiseReference()).result()).catch(
      (e: Error) => e.message,
    ),
    "w is not defined (<anonymous>() ran from its source text in another thread or process, without its module's variables, imports or closure: export it and register it with workerFunctions(import.meta.url, { fn }), name a package's function with workerFunction(moduleUrl, \"fn\"), or pass what it needs as arguments)",
  );
});

test("URLs come back as they went, wherever a value holds them: each its own, through Maps, Sets and null-prototype objects, and arrays keep their holes and keys", async () => {
  const a = new URL("https://a.example/");
  const b = new URL("https://b.example/");
  const hrefs = (x: URL[]) => x.map((u) => u.href);
  for (const pool of [threads, processes]) {
    // Two URLs went as two (a thread pool used to give the first one for both).
    assert.deepEqual(await pool.submit(hrefs, [a, b]).result(), [a.href, b.href]);
    const back = await pool
      .submit((x: string, y: string) => [new URL(x), new URL(y)], a.href, b.href)
      .result();
    assert.deepEqual(back.map(String), [a.href, b.href]);
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { u: a });
    const sparse: unknown[] & { tag?: string } = [a];
    sparse[2] = b; // index 1 stays a hole
    sparse.tag = "t";
    const odd = JSON.parse('{"__proto__": 1}') as Record<string, unknown>;
    odd["u"] = b;
    const value = {
      map: new Map<unknown, unknown>([
        [a, "key"],
        ["v", b],
      ]),
      set: new Set([b, 1]),
      bare,
      sparse,
      odd,
    };
    const got = (await pool.submit((v: unknown) => v, value).result()) as typeof value;
    const [[k0, v0], [k1, v1]] = [...got.map];
    assert.ok(k0 instanceof URL && k0.href === a.href && v0 === "key" && k1 === "v");
    assert.ok(v1 instanceof URL && v1.href === b.href);
    const [s0, s1] = [...got.set];
    assert.ok(s0 instanceof URL && s0.href === b.href && s1 === 1);
    assert.ok(got.bare["u"] instanceof URL); // (a copy has Object.prototype)
    assert.equal(got.sparse.length, 3);
    assert.ok(!(1 in got.sparse) && got.sparse.tag === "t");
    assert.deepEqual(hrefs([got.sparse[0], got.sparse[2]] as URL[]), [a.href, b.href]);
    assert.ok(Object.hasOwn(got.odd, "__proto__") && got.odd["u"] instanceof URL);
    // A Map subclass that iterates otherwise: the copy keeps the insertion order (paths to
    // its URLs used to follow the subclass's iterator, and pointed at the wrong entries).
    class Reversed<K, V> extends Map<K, V> {
      override *[Symbol.iterator](): MapIterator<[K, V]> {
        yield* [...super.entries()].reverse();
      }
    }
    const rev = new Reversed<string, unknown>([
      ["b", b],
      ["a", 1],
    ]);
    const revBack = (await pool.submit((v: unknown) => v, rev).result()) as Map<string, unknown>;
    assert.deepEqual([...revBack.keys()], ["b", "a"]);
    assert.ok(revBack.get("b") instanceof URL && revBack.get("a") === 1);
    // One URL in several places is one URL; an error's URLs each their own.
    const [p, q] = await pool.submit((u: unknown) => [u, { u }], a).result();
    assert.ok(p instanceof URL && p === (q as { u: URL }).u);
    await assert.rejects(
      pool
        .submit(
          (x: string, y: string) => {
            throw Object.assign(new Error("e"), { url: new URL(x), other: new URL(y) });
          },
          a.href,
          b.href,
        )
        .result(),
      (e: Error & { url: URL; other: URL }) => e.url.href === a.href && e.other.href === b.href,
    );
  }
});

test("tsx given by path, with no tsx the program or the package could import: worker threads register tsx's API found beside its loader", () => {
  // A global or npx tsx: `node --import /elsewhere/tsx/dist/loader.mjs prog.ts`, the package
  // installed in a project without tsx (a copy here, as a symlink would resolve to this repo).
  const root = join(import.meta.dirname, "..");
  const dir = mkdtempSync(join(tmpdir(), "asyncio-ts-tsxpath-"));
  try {
    cpSync(join(root, "src"), join(dir, "pkg", "src"), { recursive: true });
    cpSync(join(root, "package.json"), join(dir, "pkg", "package.json"));
    const proj = join(dir, "proj");
    mkdirSync(join(proj, "node_modules"), { recursive: true });
    symlinkSync(join(dir, "pkg"), join(proj, "node_modules", "asyncio-ts"));
    writeFileSync(join(proj, "package.json"), '{"type":"module"}');
    writeFileSync(
      join(proj, "work.ts"),
      `import { workerFunctions } from "asyncio-ts/concurrent";
export const { twice } = workerFunctions(import.meta.url, { twice: (x: number): number => x * 2 });
`,
    );
    writeFileSync(
      join(proj, "prog.ts"),
      `import * as asyncio from "asyncio-ts";
import { ThreadPoolExecutor } from "asyncio-ts/concurrent";
import { twice } from "./work.ts";
await asyncio.run(async () => {
  const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
  const loop = asyncio.getRunningLoop();
  console.log(await loop.runInExecutor(pool, twice, 21), await asyncio.toThread((a: number) => a + 1, 1));
  await pool.shutdown();
});
`,
    );
    const loader = fileURLToPath(import.meta.resolve("tsx"));
    // By absolute path, and relative to the working directory (Node resolves it from there).
    for (const given of [loader, `./${relative(proj, loader)}`]) {
      const r = spawnSync(
        process.execPath,
        ["--import", given, "--conditions=asyncio-ts-source", "prog.ts"],
        { cwd: proj, encoding: "utf8", timeout: 60_000 },
      );
      // Before: "Unknown file extension .ts" for the runtime (a BrokenThreadPool).
      assert.equal(r.stdout, "42 2\n", `${given}: ${r.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("what cannot be sent is a TypeError at submit time", async () => {
  assert.throws(
    () => threads.submit("".toUpperCase),
    /cannot send function toUpperCase\(\) to a worker: it is a built-in or bound function, which has no source text .*workerFunctions\(import\.meta\.url/,
  );
  assert.throws(
    () => threads.submit(() => import.meta.url),
    /cannot send an anonymous function to a worker: its source text cannot be compiled outside its module \(it uses import\.meta/,
  );
  function local(): number {
    return 1;
  }
  assert.throws(
    () => threads.submit(local.bind(null)),
    /cannot send function bound local\(\) to a worker.*\{ fn \}/,
  );
  class Job {}
  assert.throws(
    () => processes.submit(Job as unknown as () => void),
    /cannot send function Job\(\) to a worker: .*a class/,
  );
  // Something not callable: the call fails, as Python's submit(42) gives a future that does.
  await assert.rejects(
    async () => threads.submit(42 as unknown as () => void).result(),
    (e: Error) => e instanceof TypeError && e.message === "'int' object is not callable",
  );
  assert.throws(
    () => threads.submit(w.echo, () => 1),
    /cannot send the arguments of echo\(\) to a worker thread: .* could not be cloned/,
  );
  const { port1, port2 } = new MessageChannel();
  assert.throws(
    () => processes.submit(w.echo, port1),
    /cannot send the arguments of echo\(\) to a worker process: MessagePort could not be cloned to another process/,
  );
  assert.throws(
    () => processes.submit(w.echo, new SharedArrayBuffer(4)),
    /SharedArrayBuffer could not be cloned to another process/,
  );
  port1.close();
  port2.close();
  assert.throws(() => cf.workerFunction("fib.ts", "fib"), /needs the module's URL/);
  assert.throws(() => cf.workerFunction(import.meta.url, ""), /non-empty string/);
  assert.equal(cf.isWorkerFunction(w.square), true);
  assert.equal(
    cf.isWorkerFunction(() => 1),
    false,
  );
  assert.equal(cf.isWorkerFunction(cf.workerFunction(import.meta.url, "x")), true);
  // This test file is not imported by workers, but it is not the entry point either here.
  assert.equal(
    cf.isMainModule(new URL("./fixtures/concurrent_workers.ts", import.meta.url)),
    false,
  );
  // A path (CommonJS's __filename) means the same as its file URL.
  assert.equal(cf.isMainModule(fileURLToPath(import.meta.url)), cf.isMainModule(import.meta.url));
  assert.equal(cf.isMainModule(process.argv[1]!), process.argv[1]!.startsWith("/"));
});

test("a registered function need not be exported: it runs from the first call in each worker; another function under a registered name warns", async () => {
  const pool = new cf.ThreadPoolExecutor(2);
  try {
    const results = await Promise.all(
      [1, 2, 3, 4].map((x) => pool.submit(w.registeredOnly.triple, x).result()),
    );
    assert.deepEqual(results, [3, 6, 9, 12]);
  } finally {
    pool.shutdown();
  }
  const url = "file:///virtual/bundle.mjs";
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on("warning", onWarning);
  try {
    // the same code evaluated again (a hot reload, a cleared require cache): replaced quietly
    const make = () => (x: number) => x + 1;
    cf.workerFunctions(url, { handle: make() });
    cf.workerFunctions(url, { handle: make() });
    // other code under the same name and URL (two modules bundled into one file): a warning
    cf.workerFunctions(url, { handle: () => 2 });
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off("warning", onWarning);
  }
  assert.equal(warnings.length, 1, warnings.join("\n"));
  assert.match(
    warnings[0]!,
    /^RuntimeWarning: workerFunctions\(\): 'handle' was registered for file:\/\/\/virtual\/bundle\.mjs with another function/,
  );
});

test("workerFunction(url, name) names an export; a missing export fails the call", async () => {
  const fibRef = cf.workerFunction<typeof w.fib>(
    new URL("./fixtures/concurrent_workers.ts", import.meta.url),
    "fib",
  );
  assert.equal(await threads.submit(fibRef, 20).result(), 6765);
  const missing = cf.workerFunction(
    new URL("./fixtures/concurrent_workers.ts", import.meta.url),
    "nope",
  );
  await rejects(
    () => threads.submit(missing).result(),
    (e) => {
      assert.ok(e instanceof TypeError);
      assert.match(e.message, /has no exported function 'nope'/);
    },
  );
  // A node: builtin module's function is a worker function too.
  const hash = cf.workerFunction<(alg: string, data: string) => string>("node:crypto", "hash");
  if (typeof (await import("node:crypto")).hash === "function") {
    assert.equal((await threads.submit(hash, "sha1", "abc").result()).length, 40);
  }
});

// ---- both pools ----

for (const [kind, pool] of [
  ["ThreadPoolExecutor", threads],
  ["ProcessPoolExecutor", processes],
] as const) {
  test(`${kind}: submit, map (order, several iterables, chunksize), async functions`, async () => {
    assert.equal(await pool.submit(w.square, 7).result(), 49);
    assert.deepEqual(await list(pool.map(w.square, [0, 1, 2, 3, 4, 5])), [0, 1, 4, 9, 16, 25]);
    assert.deepEqual(await list(pool.map(w.add, [1, 2, 3], [10, 20])), [11, 22]);
    assert.deepEqual(
      await list(
        pool.map(
          w.square,
          Array.from({ length: 10 }, (_, i) => i),
          { chunksize: 4 },
        ),
      ),
      [0, 1, 4, 9, 16, 25, 36, 49, 64, 81],
    );
    assert.deepEqual(await list(pool.map(w.square, [])), []);
    // A failing call in a chunk: a process pool loses the chunk's earlier results (CPython's
    // _process_chunk); a thread pool yields them, as CPython's unchunked thread map does.
    const got: number[] = [];
    await rejects(
      async () => {
        for await (const x of pool.map(w.fail, [1, 2, 3, 4], { chunksize: 4 })) got.push(x);
      },
      (e) => assert.equal(e.message, "bad 3"),
    );
    assert.deepEqual(got, kind === "ThreadPoolExecutor" ? [1, 2] : []);
    assert.equal(await pool.submit(w.later, 0.01, "async").result(), "async");
    const info = await pool.submit(w.whoami).result();
    if (kind === "ThreadPoolExecutor") {
      assert.equal(info.pid, process.pid);
      assert.equal(info.isMainThread, false);
      assert.match(info.name, /^ThreadPoolExecutor-\d+_\d$/);
    } else {
      assert.notEqual(info.pid, process.pid);
      assert.equal(info.name, "MainThread");
    }
    // Values travel by structured clone.
    const value = {
      m: new Map([[1, 2n]]),
      u: new Uint8Array([1, 2]),
      d: new Date(0),
      nested: [{ s: "x" }],
    };
    assert.deepEqual(await pool.submit(w.echo, value).result(), value);
    assert.equal(await pool.submit(w.typeOf, Buffer.from("abc")).result(), "Uint8Array(3)");
  });

  test(`${kind}: errors come back with type, message, stack and fields`, async () => {
    await rejects(
      () => pool.submit(w.fail, 3).result(),
      (e) => {
        assert.ok(e instanceof asyncio.ValueError);
        assert.equal(pyRepr(e), "ValueError('bad 3')");
        assert.match(e.stack!, /at fail \(.*concurrent_workers\.ts/);
      },
    );
    await rejects(
      () => pool.submit(w.throwWithCause).result(),
      (e) => {
        // Not registered: an Error with the class's name and the fields.
        assert.equal(e.constructor, Error);
        assert.equal(e.name, "CustomError");
        assert.equal(e.message, "custom failure");
        assert.equal((e as unknown as { code: string }).code, "E_CUSTOM");
        assert.deepEqual((e as unknown as { detail: unknown }).detail, { n: 1 });
        assert.ok(e.cause instanceof RangeError);
        assert.equal((e.cause as Error).message, "the cause");
      },
    );
    await rejects(
      () => pool.submit(w.throwValue).result(),
      (e) => assert.equal(e, "a string"),
    );
    await rejects(
      () => pool.submit(w.throwGroup).result(),
      (e) => {
        assert.ok(e instanceof asyncio.ExceptionGroup);
        assert.equal(String(e), "many (2 sub-exceptions)");
        assert.ok(e.exceptions[0] instanceof asyncio.ValueError);
        assert.ok(e.exceptions[1] instanceof TypeError);
      },
    );
    await rejects(
      () => pool.submit(w.returnsFunction).result(),
      (e) => {
        assert.ok(e instanceof TypeError);
        assert.match(
          e.message,
          /^cannot send the result of returnsFunction\(\) back: .*could not be cloned/,
        );
      },
    );
    // An error in map is thrown when its result is reached.
    const got: number[] = [];
    await rejects(
      () =>
        (async () => {
          for await (const x of pool.map(w.fail, [0, 1, 2, 3, 4])) got.push(x);
        })(),
      (e) => assert.equal(e.message, "bad 3"),
    );
    assert.deepEqual(got, [0, 1, 2]);
  });
}

test("ThreadPoolExecutor: SharedArrayBuffers are shared, MessagePorts are transferred", async () => {
  const sab = new SharedArrayBuffer(4);
  await Promise.all([0, 1, 2, 3].map(() => threads.submit(w.increment, sab).result()));
  assert.equal(new Int32Array(sab)[0], 4);
  const { port1, port2 } = new MessageChannel();
  const heard = new Promise((resolve) => port1.once("message", resolve));
  assert.equal(await threads.submit(w.replyOn, port2, "hello").result(), "sent");
  assert.match(String(await heard), /^hello from thread \d+$/);
  port1.close();
});

test("cancelling work that has not started; shutdown({ cancelFutures }); submit after shutdown", async () => {
  for (const Pool of [cf.ThreadPoolExecutor, cf.ProcessPoolExecutor]) {
    const pool = new Pool({ maxWorkers: 1 });
    const first = pool.submit(w.snooze, 0.2, "first");
    while (!first.running()) await new Promise((r) => setTimeout(r, 2));
    const second = pool.submit(w.square, 2);
    const third = pool.submit(w.square, 3);
    assert.equal(first.cancel(), false);
    assert.equal(second.cancel(), true);
    assert.equal(await first.result(), "first");
    assert.equal(await third.result(), 9);
    assert.equal(second.cancelled(), true);
    const running = pool.submit(w.snooze, 0.1, "running");
    while (!running.running()) await new Promise((r) => setTimeout(r, 2));
    const queued = [pool.submit(w.square, 1), pool.submit(w.square, 2)];
    await pool.shutdown({ cancelFutures: true });
    assert.equal(await running.result(), "running");
    assert.deepEqual(
      queued.map((f) => f.cancelled()),
      [true, true],
    );
    assert.throws(
      () => pool.submit(w.square, 1),
      /^RuntimeError: cannot schedule new futures after shutdown$/,
    );
    await pool.shutdown(); // twice is fine
  }
  // A cancelled call never runs.
  const pool = new cf.ThreadPoolExecutor({ maxWorkers: 1 });
  const sab = new SharedArrayBuffer(8);
  const blocker = pool.submit(w.waitForFlag, sab, 0);
  const skipped = pool.submit(w.mark, sab, 1, 7);
  assert.equal(skipped.cancel(), true);
  Atomics.store(new Int32Array(sab), 0, 1);
  assert.equal(await blocker.result(), "released");
  await pool.shutdown();
  assert.equal(new Int32Array(sab)[1], 0);
});

test("shutdown({ wait: false }) lets the queue run; `await using` waits for the workers", async () => {
  let pool: cf.ThreadPoolExecutor;
  {
    await using p = new cf.ThreadPoolExecutor({ maxWorkers: 1 });
    pool = p;
    const a = p.submit(w.snooze, 0.05, "a");
    const b = p.submit(w.snooze, 0.05, "b");
    await p.shutdown({ wait: false });
    assert.deepEqual([await a.result(), await b.result()], ["a", "b"]);
  }
  assert.equal(pool._slots.size, 0);
});

test("initializer: runs first in each worker; one that throws breaks the pool", async () => {
  {
    await using pool = new cf.ThreadPoolExecutor({
      maxWorkers: 1,
      initializer: w.goodInit,
      initargs: ["ready"],
    });
    assert.equal(await pool.submit(w.readInit).result(), "ready");
  }
  const logged: string[] = [];
  const handler = (r: { levelname: string; message: string }) =>
    logged.push(`${r.levelname} ${r.message}`);
  cf.LOGGER.addHandler(handler);
  try {
    const pool = new cf.ThreadPoolExecutor({ maxWorkers: 1, initializer: w.badInit });
    const f = pool.submit(w.square, 2);
    await rejects(
      () => f.result(),
      (e) => {
        assert.ok(e instanceof cf.BrokenThreadPool);
        assert.equal(
          e.message,
          "A thread initializer failed, the thread pool is not usable anymore",
        );
      },
    );
    assert.throws(() => pool.submit(w.square, 2), cf.BrokenThreadPool);
    await pool.shutdown();
    const ppool = new cf.ProcessPoolExecutor({ maxWorkers: 1, initializer: w.badInit });
    await rejects(
      () => ppool.submit(w.square, 2).result(),
      (e) => {
        assert.ok(e instanceof cf.BrokenProcessPool);
        assert.equal(
          e.message,
          "A process in the process pool was terminated abruptly while the future was running or pending.",
        );
      },
    );
    assert.throws(
      () => ppool.submit(w.square, 2),
      /A child process terminated abruptly, the process pool is not usable anymore/,
    );
    await ppool.shutdown();
  } finally {
    cf.LOGGER.removeHandler(handler);
  }
  assert.deepEqual(logged, [
    "CRITICAL Exception in initializer:",
    "CRITICAL Exception in initializer:",
  ]);
  assert.throws(
    () => new cf.ThreadPoolExecutor({ initializer: 3 as never }),
    /initializer must be a callable/,
  );
  assert.throws(
    () => new cf.ThreadPoolExecutor({ maxWorkers: 0 }),
    /^ValueError: max_workers must be greater than 0$/,
  );
  assert.throws(
    () => new cf.ProcessPoolExecutor({ maxTasksPerChild: 0 }),
    /max_tasks_per_child must be >= 1/,
  );
});

test("a dying worker thread fails its call and the queue; the others finish; nothing hangs", async () => {
  const pool = new cf.ThreadPoolExecutor({ maxWorkers: 2 });
  const sab = new SharedArrayBuffer(4);
  const survivor = pool.submit(w.waitForFlag, sab, 0);
  while (!survivor.running()) await new Promise((r) => setTimeout(r, 2));
  const dying = pool.submit(w.die, 3);
  const queued = pool.submit(w.square, 3);
  await rejects(
    () => dying.result(),
    (e) => {
      assert.ok(e instanceof cf.BrokenThreadPool);
      assert.match(e.message, /terminated abruptly while the future was running or pending/);
      assert.match((e.cause as Error).message, /exited with code 3/);
    },
  );
  await rejects(
    () => queued.result(),
    (e) => assert.ok(e instanceof cf.BrokenThreadPool),
  );
  assert.throws(
    () => pool.submit(w.square, 1),
    /A worker thread terminated abruptly, the thread pool is not usable anymore/,
  );
  Atomics.store(new Int32Array(sab), 0, 1);
  assert.equal(await survivor.result(), "released");
  await pool.shutdown();

  // An uncaught error after the call returned kills the worker too; the error is the cause.
  const pool2 = new cf.ThreadPoolExecutor({ maxWorkers: 1 });
  assert.equal(await pool2.submit(w.crashSoon).result(), "returned");
  while (pool2._broken === null) await new Promise((r) => setTimeout(r, 5));
  assert.throws(
    () => pool2.submit(w.square, 1),
    (e: Error) =>
      e instanceof cf.BrokenThreadPool && (e.cause as Error).message === "uncaught in the worker",
  );
  await pool2.shutdown();
});

test("a dying worker process breaks the whole pool (CPython's BrokenProcessPool)", async () => {
  const pool = new cf.ProcessPoolExecutor({ maxWorkers: 2 });
  const running = pool.submit(w.snooze, 30);
  while (!running.running()) await new Promise((r) => setTimeout(r, 2));
  const dying = pool.submit(w.die, 3);
  for (const f of [running, dying]) {
    await rejects(
      () => f.result(),
      (e) => {
        assert.ok(e instanceof cf.BrokenProcessPool);
        assert.equal(
          e.message,
          "A process in the process pool was terminated abruptly while the future was running or pending.",
        );
      },
    );
  }
  assert.throws(() => pool.submit(w.square, 1), cf.BrokenProcessPool);
  await pool.shutdown();
});

test("maxTasksPerChild replaces a worker process after that many calls", async () => {
  await using pool = new cf.ProcessPoolExecutor({ maxWorkers: 1, maxTasksPerChild: 2 });
  const pids: number[] = [];
  for (let i = 0; i < 5; i++) pids.push((await pool.submit(w.whoami).result()).pid);
  assert.deepEqual(
    pids.map((p) => pids.indexOf(p)),
    [0, 0, 2, 2, 4],
  );
});

test("terminateWorkers() ends a call that never returns", async () => {
  for (const Pool of [cf.ThreadPoolExecutor, cf.ProcessPoolExecutor]) {
    const pool = new Pool({ maxWorkers: 1 });
    const stuck = pool.submit(w.forever);
    const queued = pool.submit(w.square, 2);
    while (!stuck.running()) await new Promise((r) => setTimeout(r, 2));
    await pool.terminateWorkers();
    assert.equal(queued.cancelled(), true);
    await rejects(
      () => stuck.result(),
      (e) => assert.ok(e instanceof cf.BrokenExecutor),
    );
  }
});

test("the pools really run in parallel", async () => {
  // Two 150 ms sleeps on two workers overlap in time (checked on the workers' own clocks, so a
  // loaded machine cannot make this fail).
  await Promise.all([
    threads.submit(w.snooze, 0.01).result(),
    threads.submit(w.snooze, 0.01).result(),
  ]);
  const [a, b] = await Promise.all([
    threads.submit(w.snoozeSpan, 0.15).result(),
    threads.submit(w.snoozeSpan, 0.15).result(),
  ]);
  assert.ok(Math.max(a[0], b[0]) < Math.min(a[1], b[1]), `no overlap: ${a} ${b}`);
});

test("isMainModule is true for an entry Node resolved itself (a folder, as `node .`)", () => {
  const dir = join(import.meta.dirname, "..", "scratch", `main-dir-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ main: "start.mts" }));
  writeFileSync(
    join(dir, "start.mts"),
    `import { isMainModule } from ${JSON.stringify(join(import.meta.dirname, "..", "src", "concurrent.ts"))};
console.log(isMainModule(import.meta.url));
`,
  );
  try {
    const r = spawnSync(
      process.execPath,
      ["--conditions=asyncio-ts-source", "--import", "tsx", dir],
      { encoding: "utf8", timeout: 30_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "true\n");
  } finally {
    spawnSync("rm", ["-rf", dir]);
  }
});

test("an idle pool does not keep the process alive; a busy one does until its call ends", () => {
  const dir = join(import.meta.dirname, "..", "scratch");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `idle-pool-${process.pid}.ts`);
  writeFileSync(
    file,
    `import { ThreadPoolExecutor } from "../src/concurrent.ts";
import { snooze } from "../test/fixtures/concurrent_workers.ts";
const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
console.log(await pool.submit(snooze, 0.01, "idle next").result());
pool.submit(snooze, 0.1, "x").addDoneCallback((f) => console.log("busy one finished:", f.result()));
`,
  );
  try {
    const r = spawnSync(
      process.execPath,
      ["--conditions=asyncio-ts-source", "--import", "tsx", file],
      {
        encoding: "utf8",
        timeout: 30_000,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "idle next\nbusy one finished: x\n");
  } finally {
    spawnSync("rm", ["-f", file]);
  }
});

test("registerErrorClass(): a worker's error comes back as that class", async () => {
  cf.registerErrorClass(w.CustomError);
  await rejects(
    () => threads.submit(w.throwWithCause).result(),
    (e) => {
      assert.ok(e instanceof w.CustomError);
      assert.equal((e as w.CustomError).code, "E_CUSTOM");
    },
  );
});

test("done callbacks: a KeyboardInterrupt goes on out of setResult (Python catches Exception only); asCompleted() is lazy", async () => {
  const f = new cf.Future<number>();
  const ran: string[] = [];
  f.addDoneCallback(() => ran.push("a"));
  f.addDoneCallback(() => {
    throw new asyncio.KeyboardInterrupt("k");
  });
  f.addDoneCallback(() => ran.push("c"));
  assert.throws(() => f.setResult(1), { name: "KeyboardInterrupt" });
  assert.deepEqual(ran, ["a"], "the callbacks after it do not run");
  assert.equal(f.done(), true);

  // Nothing is checked before the first next(), as CPython's generator.
  const it = cf.asCompleted(5 as never);
  await assert.rejects(() => it.next(), TypeError);
  const a = new cf.Future<string>();
  const list = [a];
  const lazy = cf.asCompleted(list);
  const b = new cf.Future<string>();
  list.push(b);
  a.setResult("a");
  b.setResult("b");
  const got: string[] = [];
  for await (const done of lazy) got.push(await done.result());
  assert.deepEqual(got, ["a", "b"]);
});

test("a thread pool of 0.5 workers has one (CPython starts threads while fewer than max_workers)", async () => {
  await using pool = new cf.ThreadPoolExecutor({ maxWorkers: 0.5 });
  assert.equal(await pool.submit(w.add, 2, 3).result(5), 5);
  assert.throws(() => new cf.ProcessPoolExecutor({ maxWorkers: 1.5 }), {
    message: "'float' object cannot be interpreted as an integer",
  });
});

test("submit() while the process exits raises, as CPython's after interpreter shutdown", () => {
  const dir = join(import.meta.dirname, "..", "scratch");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `exit-submit-${process.pid}.ts`);
  // process.on("exit") is Node's atexit: no turn of the loop follows, the call could never run.
  writeFileSync(
    file,
    `import { ThreadPoolExecutor } from "../src/concurrent.ts";
import { square } from "../test/fixtures/concurrent_workers.ts";
process.on("exit", () => {
  try {
    pool.submit(square, 3);
    console.log("submitted");
  } catch (e) {
    console.log(String(e));
  }
});
const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
console.log(await pool.submit(square, 2).result());
`,
  );
  try {
    const r = spawnSync(
      process.execPath,
      ["--conditions=asyncio-ts-source", "--import", "tsx", file],
      {
        encoding: "utf8",
        timeout: 30_000,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stdout,
      "4\nRuntimeError: cannot schedule new futures after interpreter shutdown\n",
    );
  } finally {
    spawnSync("rm", ["-f", file]);
  }
});

test("map() and asCompleted() keep no reference to what they yielded (CPython's test_free_reference)", async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return; // the suite runs with --expose-gc
  const settle = () => new Promise((r) => setImmediate(r));
  // Each step runs in a helper frame, so only the iterator could keep the value.
  const kept: boolean[] = [];
  const m = threads.map(w.echo, [{}, {}, {}]);
  const mapStep = async (): Promise<WeakRef<object> | null> => {
    const r = await m.next();
    return r.done === true ? null : new WeakRef(r.value as object);
  };
  for (let ref = await mapStep(); ref !== null; ref = await mapStep()) {
    await settle();
    gc();
    kept.push(ref.deref() !== undefined);
  }
  const fs = [0, 1, 2].map(() => {
    const f = new cf.Future<object>();
    f.setResult({});
    return f;
  });
  const it = cf.asCompleted(fs);
  const completedStep = async (): Promise<WeakRef<object> | null> => {
    const r = await it.next();
    if (r.done === true) return null;
    fs.splice(fs.indexOf(r.value as cf.Future<object>), 1);
    return new WeakRef(r.value as object);
  };
  for (let ref = await completedStep(); ref !== null; ref = await completedStep()) {
    await settle();
    gc();
    kept.push(ref.deref() !== undefined);
  }
  assert.deepEqual(kept, [false, false, false, false, false, false]);
});

test("a pool's maxWorkers may come first, as Python's positional max_workers", async () => {
  const t = new cf.ThreadPoolExecutor(3);
  const p = new cf.ProcessPoolExecutor(2);
  assert.equal((t as unknown as { _maxWorkers: number })._maxWorkers, 3);
  assert.equal((p as unknown as { _maxWorkers: number })._maxWorkers, 2);
  assert.throws(() => new cf.ThreadPoolExecutor(0), /max_workers must be greater than 0/);
  await t.shutdown();
  await p.shutdown();
});

test("map(): closing the iterator before its first next() cancels nothing (an unstarted generator's close); after it, the calls not reached are cancelled", async () => {
  const pool = new cf.ThreadPoolExecutor({ maxWorkers: 1 });
  const sab = new SharedArrayBuffer(4 * 8);
  const marks = new Int32Array(sab);
  const blocker = pool.submit(w.snooze, 0.1, "first");
  while (!blocker.running()) await new Promise((r) => setTimeout(r, 2));
  const unstarted = pool.map(w.mark, [sab, sab], [0, 1], [1, 1]);
  await unstarted.return();
  const started = pool.map(w.mark, [sab, sab, sab], [2, 3, 4], [1, 1, 1]);
  await started.next(); // index 2 done; the worker has taken index 3 meanwhile
  await started.return(); // index 4 is cancelled
  assert.equal(await pool.submit(w.square, 6).result(), 36);
  await pool.shutdown();
  assert.deepEqual([...marks.slice(0, 5)], [1, 1, 1, 1, 0]);
});

test("a timeout longer than Node's longest timer (2**31-1 ms) waits, not fires at once", async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on("warning", onWarning);
  try {
    const later = <T>(f: cf.Future<T>, v: T) => setTimeout(() => f.setResult(v), 10);
    const f = new cf.Future<string>();
    later(f, "result");
    assert.equal(await f.result(3e6), "result");
    const g = new cf.Future<string>();
    later(g, "exception");
    assert.equal(await g.exception(1e7), null);
    for (const returnWhen of [cf.ALL_COMPLETED, cf.FIRST_COMPLETED] as const) {
      const h = new cf.Future<string>();
      later(h, "wait");
      assert.equal((await cf.wait([h], { timeout: 3e6, returnWhen })).done.size, 1);
    }
    const k = new cf.Future<string>();
    later(k, "asCompleted");
    const got: string[] = [];
    for await (const d of cf.asCompleted([k], { timeout: 1e7 })) got.push(d.result());
    assert.deepEqual(got, ["asCompleted"]);
    assert.deepEqual(await list(threads.map(w.snooze, [0.02], { timeout: 1e7 })), [0.02]);
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off("warning", onWarning);
  }
  assert.deepEqual(warnings, [], "no TimeoutOverflowWarning");
});

/** A module of worker functions written for a test (the fixtures module is shared). */
function scratchModule(name: string, source: string): string {
  const dir = join(import.meta.dirname, "..", "scratch");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${process.pid}.ts`);
  writeFileSync(file, source);
  after(() => void spawnSync("rm", ["-f", file]));
  return pathToFileURL(file).href;
}

const throwers = scratchModule(
  "cf-throwers",
  `import { BrokenExecutor } from "../src/concurrent.ts";
import { ConnectionResetError, FileNotFoundError } from "../src/os_errors.ts";
export function fileNotFound(): never { throw new FileNotFoundError(2, "No such file", "/nope"); }
export function reset(): never { throw new ConnectionResetError(104, "reset"); }
export function broken(): never { throw new BrokenExecutor("b"); }
/** Neither structured-cloneable nor String()-able. */
export function odd(): never { const o = Object.create(null); o.f = () => 1; throw o; }
`,
);

for (const [kind, pool] of [
  ["ThreadPoolExecutor", threads],
  ["ProcessPoolExecutor", processes],
] as const) {
  test(`${kind}: the OSError family and BrokenExecutor come back as themselves`, async () => {
    const thrower = (name: string) => cf.workerFunction<() => never>(throwers, name);
    let e = (await pool.submit(thrower("fileNotFound")).exception()) as asyncio.OSError;
    assert.ok(e instanceof asyncio.FileNotFoundError);
    assert.ok(e instanceof asyncio.OSError);
    assert.deepEqual(
      [e.errno, e.filename, e.message],
      [2, "/nope", "[Errno 2] No such file: '/nope'"],
    );
    e = (await pool.submit(thrower("reset")).exception()) as asyncio.OSError;
    assert.ok(e instanceof asyncio.ConnectionResetError);
    assert.ok(e instanceof asyncio.ConnectionError);
    const b = (await pool.submit(thrower("broken")).exception()) as Error;
    assert.ok(b instanceof cf.BrokenExecutor);
    assert.ok(b instanceof asyncio.RuntimeError);
    assert.equal(pyRepr(b), "BrokenExecutor('b')");
  });

  test(`${kind}: a thrown value that cannot be sent back nor made a string fails the call, not the pool`, async () => {
    const odd = cf.workerFunction<() => never>(throwers, "odd");
    const e = (await pool.submit(odd).exception()) as Error;
    assert.ok(e instanceof TypeError);
    assert.match(
      e.message,
      /^the value thrown in the worker cannot be sent back: an object with a null prototype \(keys: f\) \(TypeError: .+\)$/,
    );
    await rejects(
      () =>
        list(
          pool.map(cf.workerFunction<(x: number) => never>(throwers, "odd"), [1, 2], {
            chunksize: 2,
          }),
        ),
      (e) => assert.ok(e instanceof TypeError),
    );
    assert.equal(await pool.submit(w.square, 3).result(), 9);
  });
}

test("ProcessPoolExecutor.map(): chunksize is checked as CPython's (a thread pool ignores it)", async () => {
  const chunk = (pool: cf.PoolExecutor, chunksize: unknown, ...iterables: unknown[]) =>
    (pool.map as (...a: unknown[]) => AsyncGenerator<number>).call(pool, w.square, ...iterables, {
      chunksize,
    });
  const xs = [1, 2, 3];
  for (const [chunksize, error] of [
    [2.5, "TypeError: 'float' object cannot be interpreted as an integer"],
    [Number.NaN, "TypeError: 'float' object cannot be interpreted as an integer"],
    [null, "TypeError: '<' not supported between instances of 'NoneType' and 'int'"],
    ["2", "TypeError: '<' not supported between instances of 'str' and 'int'"],
    [0.5, "ValueError: chunksize must be >= 1."],
    [false, "ValueError: chunksize must be >= 1."],
  ] as const) {
    // Raised by map() itself, before any call is submitted.
    assert.throws(() => chunk(processes, chunksize, xs), { message: error.split(": ")[1] });
    assert.throws(
      () => chunk(processes, chunksize, xs),
      (e: Error) => String(e) === error,
    );
    assert.deepEqual(await list(chunk(threads, chunksize, xs)), [1, 4, 9]);
  }
  // CPython's order: `chunksize < 1`, then zip(*iterables), then itertools.batched(chunksize).
  assert.throws(() => chunk(processes, 2.5, 5), /^TypeError: 'int' object is not iterable$/);
  assert.throws(() => chunk(processes, null, 5), /'<' not supported/);
  assert.deepEqual(await list(chunk(processes, true, xs)), [1, 4, 9]);
  assert.deepEqual(await list(chunk(processes, undefined, xs)), [1, 4, 9]);
  assert.deepEqual(await list(chunk(processes, 2n, xs)), [1, 4, 9]);
  for (const pool of [threads, processes]) {
    assert.throws(
      () => pool.map(w.square, xs, { timeout: [1] as never }),
      (e: Error) => String(e) === 'TypeError: can only concatenate list (not "float") to list',
    );
  }
});

test("initargs null fails the initializer (Python's initializer(*None)); maxTasksPerChild true is 1", async () => {
  const logged: string[] = [];
  const handler = (r: { message: string; excInfo?: unknown }) =>
    logged.push(`${r.message} ${String(r.excInfo)}`);
  cf.LOGGER.addHandler(handler);
  try {
    const options = { maxWorkers: 1, initializer: w.goodInit, initargs: null as never };
    const tpool = new cf.ThreadPoolExecutor(options);
    await rejects(
      () => tpool.submit(w.square, 2).result(),
      (e) => assert.ok(e instanceof cf.BrokenThreadPool),
    );
    await tpool.shutdown();
    const ppool = new cf.ProcessPoolExecutor(options);
    await rejects(
      () => ppool.submit(w.square, 2).result(),
      (e) => assert.ok(e instanceof cf.BrokenProcessPool),
    );
    await ppool.shutdown();
  } finally {
    cf.LOGGER.removeHandler(handler);
  }
  const message =
    "Exception in initializer: TypeError: goodInit() argument after * must be an iterable, not NoneType";
  assert.deepEqual(logged, [message, message]);
  {
    await using pool = new cf.ProcessPoolExecutor({
      maxWorkers: 1,
      maxTasksPerChild: true as never,
    });
    const pids = [];
    for (let i = 0; i < 2; i++) pids.push((await pool.submit(w.whoami).result()).pid);
    assert.notEqual(pids[0], pids[1], "one call per process");
  }
  assert.throws(
    () => new cf.ProcessPoolExecutor({ maxTasksPerChild: false as never }),
    /^ValueError: max_tasks_per_child must be >= 1$/,
  );
});

test("a failed thread initializer gives each queued future its own BrokenThreadPool (a process pool: one for all)", async () => {
  const silence = () => {};
  cf.LOGGER.addHandler(silence); // (a handler keeps the records from the last resort)
  try {
    for (const Pool of [cf.ThreadPoolExecutor, cf.ProcessPoolExecutor]) {
      const pool = new Pool({ maxWorkers: 1, initializer: w.badInit });
      const fs = [1, 2, 3].map((x) => pool.submit(w.square, x));
      await cf.wait(fs);
      const errors = fs.map((f) => f.exception());
      assert.ok(errors.every((e) => e instanceof cf.BrokenExecutor));
      assert.equal(new Set(errors).size, Pool === cf.ThreadPoolExecutor ? 3 : 1);
      await pool.shutdown();
    }
  } finally {
    cf.LOGGER.removeHandler(silence);
  }
});

test("the base Executor's submit and map raise NotImplementedError, as CPython's", async () => {
  const base = new (cf.Executor as unknown as new () => cf.Executor)();
  assert.throws(() => base.submit(w.square, 1), /^NotImplementedError$/);
  assert.throws(() => base.map(w.square, [1]), asyncio.NotImplementedError);
  assert.deepEqual(await list(base.map(w.square, [])), []);
  class Inline extends cf.Executor {
    submit<F extends cf.AnyFunction>(
      fn: F | cf.WorkerFunction<F>,
      ...args: Parameters<F>
    ): cf.Future<Awaited<ReturnType<F>>> {
      const f = new cf.Future<Awaited<ReturnType<F>>>();
      f.setResult((fn as F)(...args) as Awaited<ReturnType<F>>);
      return f;
    }
  }
  assert.deepEqual(await list(new Inline().map(w.square, [2, 3])), [4, 9]);
});

test("an error value passed or returned (not thrown) arrives as its class, with its args", async () => {
  for (const Pool of [cf.ThreadPoolExecutor, cf.ProcessPoolExecutor] as const) {
    await using pool = new Pool(1);
    const back = (await pool
      .submit(w.echo, { e: new asyncio.KeyError("k"), list: [new TypeError("t")] })
      .result()) as { e: asyncio.KeyError; list: Error[] };
    assert.ok(back.e instanceof asyncio.KeyError, Pool.name);
    assert.deepEqual(back.e.args, ["k"]);
    assert.ok(back.list[0] instanceof TypeError && back.list[0].message === "t", Pool.name);
    const top = await pool.submit(w.echo, new asyncio.ValueError("returned", 2)).result();
    assert.ok(top instanceof asyncio.ValueError, Pool.name);
    assert.deepEqual(top.args, ["returned", 2]);
  }
});

test("a timeout that is not a number, and returnWhen null, fail where CPython's do", async () => {
  const f = new cf.Future<number>();
  const compare = {
    name: "TypeError",
    message: "'>' not supported between instances of 'str' and 'int'",
  };
  assert.throws(() => f.result("1" as never), compare);
  assert.throws(() => f.exception("1" as never), compare);
  await assert.rejects(cf.wait([f], { timeout: "1" as never }), compare);
  await assert.rejects(cf.asCompleted([f], { timeout: "1" as never }).next(), {
    name: "TypeError",
    message: 'can only concatenate str (not "float") to str',
  });
  await assert.rejects(cf.wait([f], { returnWhen: null as never }), {
    name: "ValueError",
    message: "Invalid return condition: None",
  });
  // A done future needs no waiting: its timeout is not looked at, as in CPython.
  f.setResult(1);
  assert.equal(f.result("1" as never), 1);
});
