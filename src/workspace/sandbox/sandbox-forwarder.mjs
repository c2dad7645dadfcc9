// The inside half of the network bridge (bridge.ts), run by the system's node inside the bwrap
// sandbox: `node sandbox-forwarder.mjs <socket-folder> <port>... -- <command...>`. It listens
// on 127.0.0.1:<port> in the sandbox's own network namespace, pipes each connection to
// <socket-folder>/<port>.sock, and starts the command only once every port listens. A port
// written `+<port>` goes the other way: the command listens on it, and the forwarder serves
// <socket-folder>/out/<port>.sock, piping each connection there to 127.0.0.1:<port>. It exits
// as the command does. Plain JavaScript with no imports beyond node's own: nothing else of
// the factory is mounted in the sandbox.
import { spawn } from "node:child_process";
import { connect, createServer } from "node:net";

const args = process.argv.slice(2);
const split = args.indexOf("--");
const folder = args[0];
const listed = args.slice(1, split);
const ports = listed.filter((p) => !p.startsWith("+")).map(Number);
const exposed = listed.filter((p) => p.startsWith("+")).map((p) => Number(p.slice(1)));
const command = args.slice(split + 1);
if (
  folder === undefined ||
  split < 1 ||
  command.length === 0 ||
  [...ports, ...exposed].some((p) => !(p > 0))
) {
  process.stderr.write("sandbox-forwarder: usage: <socket-folder> <port>... -- <command...>\n");
  process.exit(125);
}

function forward(port) {
  const server = createServer((client) => {
    const upstream = connect(`${folder}/${port}.sock`);
    let answered = false;
    upstream.on("data", () => {
      answered = true;
    });
    client.pipe(upstream);
    // Ended by hand: a target that is down closes the socket before saying anything, and the
    // client's connection is then reset, so it sees an error at once, not an empty reply.
    upstream.pipe(client, { end: false });
    const fail = () => {
      if (answered) client.destroy();
      else client.resetAndDestroy();
    };
    upstream.on("end", () => {
      if (answered) client.end();
      else fail();
    });
    upstream.on("error", fail);
    upstream.on("close", () => {
      if (!answered) fail();
    });
    client.on("error", () => upstream.destroy());
    client.on("close", () => upstream.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

function expose(port) {
  const server = createServer((client) => {
    const upstream = connect(port, "127.0.0.1");
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const side of [client, upstream]) {
      side.on("error", end);
      side.on("close", end);
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(`${folder}/out/${port}.sock`, () => resolve(server));
  });
}

try {
  await Promise.all([...ports.map(forward), ...exposed.map(expose)]);
} catch (error) {
  process.stderr.write(`sandbox-forwarder: cannot listen: ${error.message}\n`);
  process.exit(125);
}

const child = spawn(command[0], command.slice(1), { stdio: "inherit" });
child.on("error", (error) => {
  process.stderr.write(`sandbox-forwarder: cannot start ${command[0]}: ${error.message}\n`);
  process.exit(127);
});
child.on("exit", (code, signal) => {
  if (signal === null) process.exit(code ?? 1);
  // Die of the same signal, so the run reports it as the command's own.
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
  process.exit(128 + 1);
});
// The command is the one to answer these; the forwarder lives until it exits.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
