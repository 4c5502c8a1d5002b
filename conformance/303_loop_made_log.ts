/** Twin of 303_loop_made_log.py: the DEBUG line a loop logs when it is made. */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

const records: string[] = [];
asyncio.logger.addHandler((r) => records.push(`${r.levelname} ${r.message}`));
asyncio.newEventLoop().close();
print("at the default level:", records);
asyncio.logger.setLevel("DEBUG");
await asyncio.run(asyncio.sleep(0));
print("asyncio.run:", records);
records.length = 0;
asyncio.newEventLoop().close();

class Custom extends asyncio.EventLoop {}

new Custom().close();
print("new_event_loop, subclass:", records);
