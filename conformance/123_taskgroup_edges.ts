/**
 * Twin of 123_taskgroup_edges.py: TaskGroup reprs and createTask errors through its life, str()
 * of the ExceptionGroup, error ordering, nested groups, children created during exit.
 */
import * as asyncio from "../src/index.ts";
import { VirtualTimeLoop } from "../src/testing.ts";
import { excStr, print, repr, str } from "./_py.ts";

function eg(e: unknown): string {
  if (e instanceof asyncio.BaseExceptionGroup) {
    return `${e.name}(${repr(e.message)}, [${e.exceptions.map(eg).join(", ")}])`;
  }
  return excStr(e);
}

function* fail(d: number, msg: string): asyncio.Coroutine<never> {
  yield* asyncio.sleep(d);
  throw new asyncio.ValueError(msg);
}
function* ok<T>(d: number, v: T): asyncio.Coroutine<T> {
  yield* asyncio.sleep(d);
  return v;
}

function* main(): asyncio.Coroutine<void> {
  const tg = new asyncio.TaskGroup();
  print("repr fresh:", repr(tg));
  try {
    tg.createTask(ok(0, 1));
  } catch (e) {
    print("not entered:", excStr(e));
  }
  let t!: asyncio.Task<unknown>;
  // biome-ignore lint/correctness/useYield: a block without an await
  yield* tg.run(function* (g) {
    t = g.createTask(ok(0.01, "a"), { name: "child" });
    print("repr inside:", repr(g));
  });
  print("repr after:", repr(tg), t.result());
  try {
    tg.createTask(ok(0, 1));
  } catch (e) {
    print("after exit:", excStr(e));
  }
  const tg2 = new asyncio.TaskGroup();
  try {
    yield* tg2.run(function* (g) {
      g.createTask(fail(0, "x"));
      g.createTask(ok(1, "slow"));
      try {
        yield* asyncio.sleep(1);
      } catch (e) {
        print("body cancelled; repr:", repr(g));
        try {
          g.createTask(ok(0, 2));
        } catch (e2) {
          print("while aborting:", excStr(e2));
        }
        throw e;
      }
    });
  } catch (e) {
    print("group:", eg(e), "| str:", str(e));
  }
  print("repr after failure:", repr(tg2));
  try {
    // biome-ignore lint/correctness/useYield: a block without an await
    yield* new asyncio.TaskGroup().run(function* (g) {
      g.createTask(fail(0.02, "late"));
      g.createTask(fail(0.01, "early"));
      throw new asyncio.ValueError("body");
    });
  } catch (e) {
    print("body error:", eg(e));
  }
  try {
    // biome-ignore lint/correctness/useYield: a block without an await
    yield* new asyncio.TaskGroup().run(function* (g) {
      g.createTask(fail(0.02, "late"));
      g.createTask(fail(0.01, "early"));
    });
  } catch (e) {
    print("first child error cancels the other:", eg(e));
  }
  function* stubborn(): asyncio.Coroutine<void> {
    try {
      yield* asyncio.sleep(1);
    } catch {
      throw new asyncio.RuntimeError("converted");
    }
  }
  try {
    // biome-ignore lint/correctness/useYield: a block without an await
    yield* new asyncio.TaskGroup().run(function* (g) {
      g.createTask(stubborn());
      g.createTask(fail(0.01, "first"));
    });
  } catch (e) {
    print("converted cancellation:", eg(e));
  }
  try {
    yield* new asyncio.TaskGroup().run(function* (outer) {
      outer.createTask(ok(1, "x"));
      // biome-ignore lint/correctness/useYield: a block without an await
      yield* new asyncio.TaskGroup().run(function* (inner) {
        inner.createTask(fail(0.01, "inner"));
      });
    });
  } catch (e) {
    print("nested:", eg(e));
  }
  print("cancelling after:", asyncio.currentTask()!.cancelling());
  let ts: asyncio.Task<number>[] = [];
  yield* new asyncio.TaskGroup().run(function* (g) {
    ts = [0, 1, 2].map((i) => g.createTask(ok(0.01 * (3 - i), i)));
  });
  print("results:", repr(ts.map((x) => x.result())));
  yield* new asyncio.TaskGroup().run(function* (g) {
    t = g.createTask(ok(1, "x"));
    g.createTask(ok(0, "y"));
    yield* asyncio.sleep(0);
    t.cancel();
  });
  print("explicit child cancel:", t.cancelled());
  const g3 = new asyncio.TaskGroup();
  // biome-ignore lint/correctness/useYield: a block without an await
  yield* g3.run(function* (g) {
    function* spawner(): asyncio.Coroutine<string> {
      yield* asyncio.sleep(0.01);
      g.createTask(ok(0.01, "grand"));
      return "spawned";
    }
    t = g.createTask(spawner());
  });
  print("spawned during exit:", t.result(), repr(g3));
}
await asyncio.run(main, { loopFactory: () => new VirtualTimeLoop() });
