// Runs inside a fresh network namespace (`unshare -n node netns-launcher.mjs PORT SOCKET -- cmd args…`):
// brings loopback up, forwards 127.0.0.1:PORT to the mock model server's Unix socket on the host
// (a path-bound Unix socket crosses network namespaces; nothing else does), then runs the agent CLI
// with inherited stdio and exits with its status. No dependencies: plain Node.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

const [port, socket, sep, cmd, ...args] = process.argv.slice(2);
if (sep !== '--' || !cmd) {
  process.stderr.write('usage: netns-launcher.mjs PORT SOCKET -- cmd [args…]\n');
  process.exit(2);
}
const lo = spawnSync('ip', ['link', 'set', 'lo', 'up'], { encoding: 'utf8' });
if (lo.status !== 0) {
  process.stderr.write(`netns-launcher: ip link set lo up failed: ${lo.stderr || lo.error}\n`);
  process.exit(2);
}
const bridge = net.createServer((client) => {
  const upstream = net.connect(socket);
  client.pipe(upstream).pipe(client);
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', end);
  upstream.on('error', end);
  client.on('close', end);
  upstream.on('close', end);
});
bridge.listen(Number(port), '127.0.0.1', () => {
  const child = spawn(cmd, args, { stdio: 'inherit' });
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('error', (e) => {
    process.stderr.write(`netns-launcher: could not start ${cmd}: ${e.message}\n`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (signal === 'SIGKILL' ? 9 : 15) : 1)));
});
