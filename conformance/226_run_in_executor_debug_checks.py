"""In debug mode run_in_executor checks its function first: a coroutine or a coroutine
function, and what cannot be called, are TypeErrors with the messages of _check_callback."""
import asyncio
def exc_str(e):
    return f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"
async def coro_fn():
    pass
async def main():
    loop = asyncio.get_running_loop()
    loop.set_debug(True)
    for label, fn in (("int", 5), ("None", None), ("coroutine function", coro_fn)):
        try:
            loop.run_in_executor(None, fn)
        except TypeError as e:
            print(f"debug run_in_executor({label}):", exc_str(e))
    c = coro_fn()
    try:
        loop.run_in_executor(None, c)
    except TypeError as e:
        print("debug run_in_executor(coroutine):", exc_str(e))
    c.close()
asyncio.run(main())
