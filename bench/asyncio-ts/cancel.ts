/** asyncio-ts contender for the cancel workload (see impl.ts). */
import { main } from "./impl.ts";

await main();
