import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort } from './processes.ts';

/** Whether a `redis-server` binary is on PATH (the tests that start their own Redis skip without it). */
export function redisServerAvailable(): boolean {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

/** Sends one inline command (e.g. "PING", "DBSIZE") and resolves with the first reply line, e.g. "+PONG" or ":12". */
export function redisCommand(port: number, command: string, timeoutMs = 1_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`redis ${command}: no answer within ${timeoutMs} ms`)));
    socket.once('error', fail);
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      reply += String(chunk);
      const end = reply.indexOf('\r\n');
      if (end < 0) return;
      socket.destroy();
      resolve(reply.slice(0, end));
    });
  });
}

export interface RedisServer {
  port: number;
  url: string;
  /** Everything the server printed. */
  output(): string;
  /** Kills it with SIGKILL (no shutdown, no save) and resolves once the process has exited. */
  kill(): Promise<void>;
}

/**
 * A throwaway redis-server on a loopback port (a free one unless given): no persistence, resolved once it answers
 * PING. The caller must kill() it.
 */
export async function startRedisServer(port?: number, timeoutMs = 10_000): Promise<RedisServer> {
  const chosen = port ?? (await freePort());
  let output = '';
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
    output += `\n${error.message}`;
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const server: RedisServer = {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null && spawnError === undefined) child.kill('SIGKILL');
      await exited;
    },
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null || spawnError !== undefined) {
      throw new Error(`redis-server on port ${chosen} exited before answering PING:\n${output}`);
    }
    const pong = await redisCommand(chosen, 'PING', 500).catch(() => undefined);
    if (pong === '+PONG') return server;
    if (Date.now() > deadline) {
      await server.kill();
      throw new Error(`redis-server on port ${chosen} did not answer PING within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
