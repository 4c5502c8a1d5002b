"""Event loops inside executor threads: the policy's errors name the pool's thread
(prefix_N); get_running_loop() there; set_event_loop() then get_event_loop(); asyncio.run()
twice in a row in the same thread; asyncio.run() clears the loop that was set; a second loop
cannot run inside a running one in that thread; the main thread's own loop is untouched."""
import asyncio
import concurrent.futures as cf

def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"

def attempt(notes, label, fn):
    try:
        r = fn()
        notes.append(f"{label}: returned {type(r).__name__}")
    except Exception as e:
        notes.append(f"{label}: raised {exc_str(e)}")

async def answer(x):
    await asyncio.sleep(0)
    return x

def in_thread():
    notes = []
    attempt(notes, "get_event_loop()", asyncio.get_event_loop)
    attempt(notes, "get_running_loop()", asyncio.get_running_loop)
    notes.append(f"asyncio.run twice: {asyncio.run(answer(1))} {asyncio.run(answer(2))}")
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    notes.append(f"after set_event_loop: {asyncio.get_event_loop() is loop}")
    notes.append(f"asyncio.run with a loop set: {asyncio.run(answer(3))}")
    attempt(notes, "get_event_loop() after asyncio.run", asyncio.get_event_loop)
    asyncio.set_event_loop(loop)
    async def nested():
        inner = asyncio.new_event_loop()
        c = answer(4)
        try:
            inner.run_until_complete(c)
        except RuntimeError as e:
            notes.append("another loop inside: " + exc_str(e))
        finally:
            c.close()
            inner.close()
        c = answer(5)
        try:
            asyncio.run(c)
        except RuntimeError as e:
            notes.append("asyncio.run inside: " + exc_str(e))
        finally:
            c.close()
        return "nested done"
    notes.append(loop.run_until_complete(nested()))
    loop.close()
    notes.append(f"closed loop still current: {asyncio.get_event_loop() is loop}")
    asyncio.set_event_loop(None)
    attempt(notes, "after set_event_loop(None)", asyncio.get_event_loop)
    return notes

if __name__ == "__main__":
    main_loop = asyncio.new_event_loop()
    asyncio.set_event_loop(main_loop)
    with cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="pool") as ex:
        for note in ex.submit(in_thread).result():
            print(note)
        print("second call, same thread:", ex.submit(in_thread).result()[0])
    print("main thread's loop untouched:", asyncio.get_event_loop() is main_loop)
    main_loop.close()
