/** Twin of 268_server_task_names.py: the tasks made for servers are numbered like the others. */
import * as asyncio from "../src/index.ts";
import { print } from "./_py.ts";

await asyncio.run(async () => {
  const names: string[] = [];
  const server = await asyncio.startServer(
    async (_reader, writer) => {
      names.push(asyncio.currentTask()!.getName());
      writer.close();
    },
    "127.0.0.1",
    0,
  );
  const port = server.sockets[0]!.getsockname()[1] as number;
  for (let i = 0; i < 2; i++) {
    const [reader, writer] = await asyncio.openConnection("127.0.0.1", port);
    await reader.read();
    writer.close();
  }
  const task = asyncio.createTask(asyncio.sleep(0));
  print("handlers:", names, "then:", task.getName());
  await task;
  server.close();
  await server.waitClosed();
});
