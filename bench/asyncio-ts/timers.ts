/** asyncio-ts contender for the timers workload (see impl.ts). */
import { main } from "./impl.ts";

await main();
