import { customRepr } from "../src/format.ts";
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

class FakeTask {
  _done = false;
  constructor(
    readonly _loop: asyncio.AbstractEventLoop,
    readonly name: string,
  ) {}
  getLoop() {
    return this._loop;
  }
  done() {
    return this._done;
  }
  [customRepr]() {
    return `<FakeTask ${this.name}>`;
  }
}

class NoGetLoop {
  constructor(readonly _loop: asyncio.AbstractEventLoop) {}
  done() {
    return false;
  }
  [customRepr]() {
    return "<NoGetLoop>";
  }
}

const names = (ts: Set<unknown>) =>
  [...ts]
    .map((t) => (t instanceof asyncio.Task ? t.getName() : (t as FakeTask)[customRepr]()))
    .sort();

function fails(fn: () => void): string {
  try {
    fn();
    return "no error";
  } catch (e) {
    if (!(e instanceof asyncio.RuntimeError)) throw e;
    return e.message;
  }
}

function* main(): asyncio.Coroutine<void> {
  const loop = asyncio.getRunningLoop();
  const other = asyncio.newEventLoop();
  const a = new FakeTask(loop, "a");
  const b = new FakeTask(other, "b");
  const c = new NoGetLoop(loop);
  print("before", names(asyncio.allTasks()));
  asyncio._registerTask(a);
  asyncio._registerTask(b);
  asyncio._registerTask(c);
  asyncio._registerTask(a);
  print("registered", names(asyncio.allTasks()));
  print("other loop", names(asyncio.allTasks(other)));
  a._done = true;
  print("a done", names(asyncio.allTasks()));
  a._done = false;
  asyncio._unregisterTask(a);
  asyncio._unregisterTask(a);
  print("a unregistered", names(asyncio.allTasks()));
  asyncio._unregisterTask(c);
  print("enter in task:", fails(() => asyncio._enterTask(loop, a)).split(" while")[0]);
  print("leave in task:", fails(() => asyncio._leaveTask(loop, a)).split(" does not")[0]);
  loop.callSoon(() => {
    print("cb current", asyncio.currentTask());
    asyncio._enterTask(loop, a);
    print("cb entered", asyncio.currentTask());
    print(
      "enter twice:",
      fails(() => asyncio._enterTask(loop, b)),
    );
    print(
      "leave other:",
      fails(() => asyncio._leaveTask(loop, b)),
    );
    asyncio._leaveTask(loop, a);
    print("cb left", asyncio.currentTask());
    print(
      "leave again:",
      fails(() => asyncio._leaveTask(loop, a)),
    );
  });
  yield* asyncio.sleep(0);
  const t = asyncio.createTask(asyncio.sleep(1), { name: "real" });
  print("with real", names(asyncio.allTasks()));
  asyncio._unregisterTask(t);
  print("real unregistered", names(asyncio.allTasks()));
  asyncio._registerTask(t);
  print("real registered", names(asyncio.allTasks()));
  t.cancel();
  try {
    yield* t;
  } catch (e) {
    if (!(e instanceof asyncio.CancelledError)) throw e;
    print("real cancelled");
  }
  print("end", names(asyncio.allTasks()));
  asyncio._enterTask(other, b);
  print("current of other", asyncio.currentTask(other));
  asyncio._leaveTask(other, b);
  print("current of other after", asyncio.currentTask(other));
  asyncio._unregisterTask(b);
  other.close();
}

await asyncio.run(main);
