/** asyncio-ts contender for the spawn workload (see impl.ts). */
import { main } from "./impl.ts";

await main();
