# oracle: 3.13
"""A loop logs "Using selector: EpollSelector" at DEBUG when it is made (new_event_loop(),
asyncio.run(), a subclass of asyncio.EventLoop), which a logger at its default level drops;
with debug mode off, nothing else is logged at DEBUG by making, running or closing it."""
import asyncio
import logging

records = []


class Keep(logging.Handler):
    def emit(self, record):
        records.append(f"{record.levelname} {record.getMessage()}")


logger = logging.getLogger("asyncio")
logger.addHandler(Keep())
asyncio.new_event_loop().close()
print("at the default level:", records)
logger.setLevel(logging.DEBUG)
asyncio.run(asyncio.sleep(0))
print("asyncio.run:", records)
records.clear()
asyncio.new_event_loop().close()


class Custom(asyncio.EventLoop):
    pass


Custom().close()
print("new_event_loop, subclass:", records)
