import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the bundled vendor emulators share: listening on loopback, and the small CLI around each. */

/** Listens (port 0 = a free one) and answers the origin to build the emulator's base URL from. */
/** A request body as UTF-8 text; undefined when it exceeds `limit` bytes (an emulator never buffers without bound). */
export async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return (await readBodyBytes(req, limit))?.toString('utf8');
}

/** The request body as bytes (a multipart upload); undefined past `limit`. */
export async function readBodyBytes(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function listenOnLoopback(server: Server, options: { host?: string; port?: number }): Promise<string> {
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Delayed replies (emulated latency): an action runs after a delay unless its client has gone away meanwhile,
 * and `cancelAll` (on close) drops whatever is still waiting.
 */
export class DelayedReplies {
  private readonly pending = new Set<NodeJS.Timeout>();

  later(res: ServerResponse, ms: number, action: () => void): void {
    if (ms <= 0) return action();
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      if (!res.destroyed) action();
    }, ms);
    this.pending.add(timer);
    res.once('close', () => {
      clearTimeout(timer);
      this.pending.delete(timer);
    });
  }

  cancelAll(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}

/** A CLI option that must be a whole number ≥ 0. */
export function nonNegativeInt(name: string, value: string, usage: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"\n${usage}`);
  return parsed;
}

/** Prints the base URL, stops cleanly on SIGINT/SIGTERM, and turns a start-up failure into exit code 1. */
export function runEmulatorCli(start: () => Promise<{ url: string; close(): Promise<void> } | undefined>): void {
  start()
    .then((emulator) => {
      if (!emulator) return;
      console.log(emulator.url);
      const stop = (): void => {
        void emulator.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}

/**
 * What every emulator lets a test read and steer of its call log and speed: the calls (the array itself, emptied in
 * place on reset, since callers may hold it), those of one method, and the delay before each answer.
 */
export function callLogControls<C extends { method: string }>(state: { calls: C[]; latencyMs: number }) {
  return {
    calls: state.calls,
    callsTo: (method: string) => state.calls.filter((call) => call.method === method),
    resetCalls: () => {
      state.calls.length = 0;
    },
    setLatency: (ms: number) => {
      state.latencyMs = Math.max(0, ms);
    },
  };
}
