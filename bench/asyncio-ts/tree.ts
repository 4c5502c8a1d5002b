/** asyncio-ts contender for the tree workload (see impl.ts). */
import { main } from "./impl.ts";

await main();
