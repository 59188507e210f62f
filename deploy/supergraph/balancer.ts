/**
 * A tiny round-robin HTTP proxy in front of the subgraph's replicas. A gateway sends each subgraph's requests to ONE
 * URL (its routing_url); in production that URL is the platform's load balancer (a Kubernetes Service, a cloud load
 * balancer). This stands in for it locally and in tests — nothing more.
 *
 * Every request header is forwarded as sent (router-authorization, traceparent, x-request-id …); the answer streams
 * back as the replica writes it. The request body is held (GraphQL bodies are small, and the replicas cap them) so
 * that a request whose connection was refused can go to the next replica: nothing reached the refused one, so trying
 * again is safe even for a mutation. A replica that refused a connection is skipped for `downForMs`. When no replica
 * accepts a connection, or one fails after accepting it, the answer is a 502 with a GraphQL-shaped JSON error.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Connect-phase failures: the request never reached the replica. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
/** Hop-by-hop headers (RFC 9110 §7.6.1) are the proxy's own, on each side. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export interface Balancer {
  url: string;
  /** Requests each target answered so far, by origin (http://127.0.0.1:4001). */
  sent: Map<string, number>;
  close(): Promise<void>;
}

export async function startBalancer(options: { targets: string[]; port?: number; downForMs?: number }): Promise<Balancer> {
  const targets = options.targets.map((target) => new URL(target));
  const downUntil = new Map<string, number>();
  const sent = new Map<string, number>(targets.map((target) => [target.origin, 0]));
  let next = 0;

  /** The targets in the order to try: round robin, the ones that recently refused last. */
  const order = () => {
    const start = next++ % targets.length;
    const rotated = [...targets.slice(start), ...targets.slice(0, start)];
    const now = Date.now();
    return [
      ...rotated.filter((t) => (downUntil.get(t.origin) ?? 0) <= now),
      ...rotated.filter((t) => (downUntil.get(t.origin) ?? 0) > now),
    ];
  };

  const badGateway = (res: http.ServerResponse, message: string) => {
    if (res.headersSent) return void res.destroy();
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_GATEWAY' } }] }));
  };

  const forward = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
    const tried: string[] = [];
    for (const target of order()) {
      tried.push(target.host);
      const outcome = await new Promise<'refused' | 'done'>((resolve) => {
        // A fresh connection per request (agent: false): a refused connect is then always distinguishable from a
        // kept-alive socket the replica reset mid-request, which must not be retried.
        const upstream = http.request(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: { ...headers, host: target.host },
            agent: false,
          },
          (answer) => {
            sent.set(target.origin, (sent.get(target.origin) ?? 0) + 1);
            const answerHeaders = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
            res.writeHead(answer.statusCode ?? 502, answerHeaders);
            answer.pipe(res);
            answer.once('error', () => res.destroy());
            answer.once('close', () => resolve('done'));
          },
        );
        upstream.once('error', (error: NodeJS.ErrnoException) => {
          if (error.code && NOT_CONNECTED.has(error.code)) {
            downUntil.set(target.origin, Date.now() + (options.downForMs ?? 2_000));
            return resolve('refused');
          }
          badGateway(res, `The replica at ${target.host} failed: ${error.code ?? error.message}`);
          resolve('done');
        });
        res.once('close', () => upstream.destroy());
        upstream.end(body);
      });
      if (outcome === 'done') return;
    }
    badGateway(res, `No replica accepted the connection (tried ${tried.join(', ')})`);
  };
  const server = http.createServer((req, res) => void forward(req, res).catch(() => res.destroy()));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
