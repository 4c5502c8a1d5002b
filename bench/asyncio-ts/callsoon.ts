/** asyncio-ts contender for the callsoon workload (see impl.ts). */
import { main } from "./impl.ts";

await main();
