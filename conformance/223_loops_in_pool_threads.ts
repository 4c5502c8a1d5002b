/**
 * Twin of 223_loops_in_pool_threads.py: event loops inside a ThreadPoolExecutor's worker
 * thread (the body is an async worker function: running a loop returns a promise here).
 */
import * as cf from "../src/concurrent.ts";
import * as asyncio from "../src/index.ts";
import { excStr, print } from "./_py.ts";

async function attempt(notes: string[], label: string, fn: () => unknown): Promise<void> {
  try {
    const r = await fn();
    notes.push(`${label}: returned ${(r as object).constructor.name}`);
  } catch (e) {
    notes.push(`${label}: raised ${excStr(e)}`);
  }
}

function* answer(x: number): asyncio.Coroutine<number> {
  yield* asyncio.sleep(0);
  return x;
}

export async function inThread(): Promise<string[]> {
  const notes: string[] = [];
  await attempt(notes, "get_event_loop()", () => asyncio.getEventLoop());
  await attempt(notes, "get_running_loop()", () => asyncio.getRunningLoop());
  notes.push(`asyncio.run twice: ${await asyncio.run(answer(1))} ${await asyncio.run(answer(2))}`);
  const loop = asyncio.newEventLoop();
  asyncio.setEventLoop(loop);
  notes.push(`after set_event_loop: ${asyncio.getEventLoop() === loop ? "True" : "False"}`);
  notes.push(`asyncio.run with a loop set: ${await asyncio.run(answer(3))}`);
  await attempt(notes, "get_event_loop() after asyncio.run", () => asyncio.getEventLoop());
  asyncio.setEventLoop(loop);
  async function nested(): Promise<string> {
    const inner = asyncio.newEventLoop();
    try {
      await inner.runUntilComplete(answer(4));
    } catch (e) {
      notes.push(`another loop inside: ${excStr(e)}`);
    } finally {
      inner.close();
    }
    try {
      await asyncio.run(answer(5));
    } catch (e) {
      notes.push(`asyncio.run inside: ${excStr(e)}`);
    }
    return "nested done";
  }
  notes.push(await loop.runUntilComplete(nested));
  loop.close();
  notes.push(`closed loop still current: ${asyncio.getEventLoop() === loop ? "True" : "False"}`);
  asyncio.setEventLoop(null);
  await attempt(notes, "after set_event_loop(None)", () => asyncio.getEventLoop());
  return notes;
}
cf.workerFunctions(import.meta.url, { inThread });

if (cf.isMainModule(import.meta.url)) {
  const mainLoop = asyncio.newEventLoop();
  asyncio.setEventLoop(mainLoop);
  {
    await using ex = new cf.ThreadPoolExecutor({ maxWorkers: 1, threadNamePrefix: "pool" });
    for (const note of await ex.submit(inThread).result()) print(note);
    print("second call, same thread:", (await ex.submit(inThread).result())[0]);
  }
  print("main thread's loop untouched:", asyncio.getEventLoop() === mainLoop);
  mainLoop.close();
}
