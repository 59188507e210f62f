import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got, as it got it. */
export interface ReceivedAlert {
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as sent (what the signature covers). */
  raw: string;
  body: Record<string, unknown>;
  status: number;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedAlert[];
  /** Answer the next `times` requests with `status` (then 200 again). */
  failNext(times: number, status?: number): void;
  close(): Promise<void>;
}

/** A loopback alert receiver: records every POST and answers 200, or what failNext set. */
export async function startWebhookReceiver(path = '/hooks/alerts'): Promise<WebhookReceiver> {
  const received: ReceivedAlert[] = [];
  const failures: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const status = req.url === path && req.method === 'POST' ? (failures.shift() ?? 200) : 404;
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        // recorded as is
      }
      received.push({ headers: req.headers, raw, body, status, at: Date.now() });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    failNext(times, status = 500) {
      for (let i = 0; i < times; i++) failures.push(status);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * How a receiver checks an alert, written from the README's description (not from the sender's code): HMAC-SHA256
 * with the shared secret over `<X-Alert-Timestamp>.<raw body>`, hex, sent as `X-Signature: sha256=<hex>`.
 */
export function validSignature(alert: ReceivedAlert, secret: string): boolean {
  const timestamp = String(alert.headers['x-alert-timestamp'] ?? '');
  const sent = String(alert.headers['x-signature'] ?? '');
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${alert.raw}`).digest('hex')}`;
  return sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
}

export async function until(ready: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
