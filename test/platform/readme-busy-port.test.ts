import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.ts';

/**
 * The README's quick start: `npm start` (or `npm run dev`) on a port something else holds ends with one line saying
 * what to do — never Node's EADDRINUSE stack trace. Started as a new user would: no vendor keys (sandbox mode, so the
 * emulators start first and must not keep the process alive), only PORT set.
 */
describe('a busy port', () => {
  let holder: net.Server;
  let port: number;

  beforeAll(async () => {
    // Whatever connects (the sandbox's Bitrix24 emulator posts to PORT) is hung up on, so close() does not wait.
    holder = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      holder.once('error', reject);
      holder.listen(0, '127.0.0.1', resolve);
    });
    port = (holder.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => holder.close(() => resolve()));
  });

  it('ends with one friendly line naming the port and another to pick, and exit code 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: projectRoot,
      // A new user's shell: no vendor keys, no Redis; HOST on loopback so the test opens nothing to the network.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the server did not exit within 30 s:\n${stdout}\n${stderr}`));
      }, 30_000);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });

    expect(code).toBe(1);
    expect(stderr).toBe(`Port ${port} is in use (another subgraph or program is listening). Pick another: PORT=${port + 1} npm start\n`);
    expect(`${stdout}${stderr}`).not.toMatch(/EADDRINUSE|\n\s+at /);
  }, 40_000);
});
