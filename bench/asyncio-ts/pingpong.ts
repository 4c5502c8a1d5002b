/** asyncio-ts contender for the pingpong workload (see impl.ts). */
import { main } from "./impl.ts";

await main();
