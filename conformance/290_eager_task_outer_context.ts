import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const { ContextVar, copyContext } = asyncio;
const v = new ContextVar<string>("v", { default: "unset" });
const out: string[] = [];
const g = (c: asyncio.Context) => {
  const x = c.get(v);
  return x === undefined ? "None" : x;
};

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop();
  const parent = asyncio.currentTask()!;
  // 1
  const t = (() => {
    function* child1(): asyncio.Coroutine<void> {
      const pc = parent.getContext();
      out.push(`1 child got parent ctx, v=${g(pc)}`);
      v.set("child1");
      out.push(`1 child sees ${v.get()}`);
      yield* asyncio.sleep(0);
      out.push(`1 child later sees ${v.get()}`);
    }
    loop.setTaskFactory(asyncio.eagerTaskFactory);
    const t = asyncio.createTask(child1());
    loop.setTaskFactory(null);
    return t;
  })();
  out.push(`1 parent sees ${v.get()} | parent ctx ${g(parent.getContext())}`);
  yield* t;
  out.push(`1 child ctx ${g(t.getContext())} | parent after ${v.get()}`);

  // 2
  const hs: asyncio.Handle[] = [];
  const cb = () => {
    // biome-ignore lint/correctness/useYield: a coroutine that ends without suspending
    function* child2(): asyncio.Coroutine<void> {
      const hc = hs[0]!.getContext();
      v.set("child2");
      out.push(`2 child sees ${v.get()}, handle ctx has ${g(hc)}`);
    }
    loop.setTaskFactory(asyncio.eagerTaskFactory);
    asyncio.createTask(child2());
    loop.setTaskFactory(null);
    out.push(`2 callback sees ${v.get()}`);
  };
  hs.push(loop.callSoon(cb));
  yield* asyncio.sleep(0);
  yield* asyncio.sleep(0);
  out.push(`2 handle ctx after: ${g(hs[0]!.getContext())}`);

  // 3
  function* inner(): asyncio.Coroutine<void> {
    v.set("main3");
    let parentTask: asyncio.Task<unknown> | null = null;
    // biome-ignore lint/correctness/useYield: a coroutine that ends without suspending
    function* child3(): asyncio.Coroutine<void> {
      out.push(`3 child starts with ${v.get()}`);
      const pc = parentTask!.getContext();
      out.push(`3 parent ctx is current? ${pc === copyContext() ? "True" : "False"}`);
      v.set("child3");
      out.push(`3 child sees ${v.get()} parent ctx ${g(pc)}`);
    }
    loop.setTaskFactory(asyncio.eagerTaskFactory);
    parentTask = asyncio.currentTask();
    const c = asyncio.createTask(child3());
    loop.setTaskFactory(null);
    out.push(`3 inner sees ${v.get()}`);
    yield* c;
  }
  yield* asyncio.createTask(inner());

  // 4
  const midTask: asyncio.Task<unknown>[] = [];
  // biome-ignore lint/correctness/useYield: a coroutine that ends without suspending
  function* grand(): asyncio.Coroutine<void> {
    const midCtx = midTask[0]!.getContext();
    v.set("grand");
    out.push(`4 grand sees ${v.get()} mid ctx ${g(midCtx)}`);
  }
  function* mid(): asyncio.Coroutine<void> {
    midTask.push(asyncio.currentTask()!);
    const gg = asyncio.createTask(grand());
    out.push(`4 mid sees ${v.get()}`);
    v.set("mid");
    out.push(`4 mid after set ${v.get()}`);
    yield* gg;
  }
  loop.setTaskFactory(asyncio.eagerTaskFactory);
  const m = asyncio.createTask(mid());
  loop.setTaskFactory(null);
  yield* m;
  out.push(`4 main sees ${v.get()}`);
}
await asyncio.run(main());
for (const l of out) print(l);
