/** asyncio-ts contender for the memory workload (see impl.ts). */
import { main } from "./impl.ts";

await main();
