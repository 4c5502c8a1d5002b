/**
 * A TCP echo client with asyncio-ts streams: sends each message as a line and prints the echo.
 *
 *   node --conditions=asyncio-ts-source --import tsx examples/echo_client.ts [port] [host] [message ...]
 *
 * Defaults: port 8888 on 127.0.0.1, messages "hello" and "world". Written with generator
 * coroutines (`yield*`); the server (examples/echo_server.ts) uses async functions.
 */
import * as asyncio from "asyncio-ts";

function* main(): asyncio.Coroutine<void> {
  const port = Number(process.argv[2] ?? 8888);
  const host = process.argv[3] ?? "127.0.0.1";
  const messages = process.argv.length > 4 ? process.argv.slice(4) : ["hello", "world"];
  const [reader, writer] = yield* asyncio.openConnection(host, port);
  for (const message of messages) {
    writer.write(Buffer.from(`${message}\n`));
    yield* writer.drain();
    const echo = yield* reader.readline();
    console.log(
      `sent ${JSON.stringify(message)}, got back ${JSON.stringify(echo.toString().trimEnd())}`,
    );
  }
  writer.close();
  yield* writer.waitClosed();
}

await asyncio.run(main);
