import * as asyncio from "../src/index.ts";
import { print, pyTuple } from "./_py.ts";

const args = (e: unknown) => pyTuple((e as { args: unknown[] }).args);
const cancelling = () => asyncio.currentTask()!.cancelling();

async function main(): Promise<void> {
  const loop = asyncio.getRunningLoop();
  loop.setTaskFactory(asyncio.eagerTaskFactory);

  // 1. waiting on a future (an Event), cancelled twice
  {
    const ev = new asyncio.Event();
    const log: string[] = [];
    const t = asyncio.createTask(async () => {
      try {
        await ev.wait();
      } catch (e) {
        log.push(`got ${args(e)} cancelling=${cancelling()}`);
        throw e;
      }
    });
    t.cancel("a");
    t.cancel("b");
    await asyncio.sleep(0);
    log.push(`after one iteration cancelled=${t.cancelled() ? "True" : "False"}`);
    print(1, log);
  }

  // 2. a bare yield (sleep(0)): the last message
  {
    const log: string[] = [];
    const t = asyncio.createTask(async () => {
      try {
        await asyncio.sleep(0);
      } catch (e) {
        log.push(`got ${args(e)}`);
        throw e;
      }
    });
    t.cancel("a");
    t.cancel("b");
    await asyncio.sleep(0);
    log.push(`cancelled=${t.cancelled() ? "True" : "False"}`);
    print(2, log);
  }

  // 3. a gather of two tasks
  {
    const log: string[] = [];
    const child = async (name: string) => {
      try {
        await asyncio.sleep(0);
        await asyncio.sleep(0);
      } catch (e) {
        log.push(`${name} got ${args(e)}`);
        throw e;
      }
    };
    const kids = [asyncio.createTask(() => child("c1")), asyncio.createTask(() => child("c2"))];
    const t = asyncio.createTask(async () => {
      try {
        await asyncio.gather(kids);
      } catch (e) {
        log.push(`outer got ${args(e)} cancelling=${cancelling()}`);
        throw e;
      }
    });
    log.push(`cancel ${t.cancel("a") ? "True" : "False"} ${t.cancel("b") ? "True" : "False"}`);
    await asyncio.wait([t]);
    print(
      3,
      log,
      kids.map((k) => k.cancelled()),
    );
  }

  // 4. what the first step schedules runs before what the creator schedules after createTask
  {
    const log: string[] = [];
    const lock = new asyncio.Lock();
    const t = asyncio.createTask(async () => {
      await lock.run(async () => {
        loop.callSoon((s: string) => log.push(s), "child's callback");
        const fut = loop.createFuture<void>();
        loop.callSoon(() => fut.setResult());
        await fut;
      });
      log.push("child resumed");
    });
    loop.callSoon((s: string) => log.push(s), "creator's callback");
    await t;
    print(4, log);
  }

  // 5. timeout(0) entered in the first step, the task cancelled right after createTask
  {
    const log: string[] = [];
    const t = asyncio.createTask(async () => {
      let cm: asyncio.Timeout | undefined;
      try {
        await asyncio.timeout(0, async (c) => {
          cm = c;
          await asyncio.sleep(0);
          await asyncio.sleep(0);
        });
      } catch (e) {
        log.push(
          `${(e as Error).name} expired=${cm?.expired() ? "True" : "False"} cancelling=${cancelling()}`,
        );
        throw e;
      }
    });
    t.cancel();
    await asyncio.wait([t]);
    print(5, log, t.cancelled());
  }

  // 6. uncancel() after the early cancel
  {
    const log: string[] = [];
    const ev = new asyncio.Event();
    const t = asyncio.createTask(async () => {
      try {
        await ev.wait();
      } catch {
        log.push(`cancelled anyway, cancelling=${cancelling()}`);
        return "swallowed";
      }
      return "not cancelled";
    });
    t.cancel();
    log.push(`uncancel -> ${t.uncancel()}`);
    log.push(`result ${await t}`);
    print(6, log);
  }

  // 7. an eager task started inside that rest of a first step (a TaskGroup body)
  {
    const log: string[] = [];
    const kid = async () => {
      loop.callSoon((s: string) => log.push(s), "kid's callback");
      const fut = loop.createFuture();
      fut.addDoneCallback(() => log.push("kid's future done callback"));
      fut.setResult(null);
      await asyncio.sleep(0);
    };
    const t = asyncio.createTask(async () => {
      await new asyncio.TaskGroup().run(async (tg) => {
        tg.createTask(kid);
        await asyncio.sleep(0);
      });
    });
    loop.callSoon((s: string) => log.push(s), "creator's callback");
    await t;
    print(7, log);
  }
}

await asyncio.run(main);
