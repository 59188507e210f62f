import { afterAll, beforeAll } from 'vitest';
import type http from 'node:http';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/app/config.ts';
import { createHttpApp, type Lifecycle } from '../../src/http/server.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createServices, type Services } from '../../src/app/services.ts';
import { startFocusEmulator, type FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';

export const TEST_FOCUS_KEY = 'test-focus-key-0123456789abcdef';

/** ROUTER_SECRET of test subgraphs that need one (a real JUMP_API_KEY requires it); `gql` then sends it. */
export const TEST_ROUTER_SECRET = 'test-router-secret-0123456789';

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: Array<{ message: string; path?: (string | number)[]; extensions?: Record<string, any> }>;
}

export interface TestSubgraph {
  url: string;
  services: Services;
  httpServer: http.Server;
  /** The server's shutdown state (`draining` makes readiness answer 503). */
  lifecycle: Lifecycle;
  /**
   * Sockets the HTTP server still has open, once clients have hung up: polls up to `graceMs` for 0, because the
   * server sees a socket the client destroyed closed an event-loop turn or so later.
   */
  settledConnections(graceMs?: number): Promise<number>;
  /** Every log line the subgraph wrote, as text. */
  logs: string[];
  /**
   * POSTs an operation to /graphql. When the subgraph has ROUTER_SECRET set, the `router-authorization` header is
   * added as the router would, unless the caller passes one (to test a wrong or missing secret, pass `''`).
   */
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Environment for loadConfig; FOCUS_BASE_URL and FOCUS_API_KEY default to the emulator's. */
  env?: Record<string, string>;
  emulator: FocusEmulator;
  now?: () => number;
  /** Start the modules' background work (services.start): queues, jobs. */
  start?: boolean;
}

/** The real HTTP subgraph on a free loopback port, pointed at an emulator. */
export async function startSubgraph(options: StartOptions): Promise<TestSubgraph> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const config = loadConfig({
    FOCUS_BASE_URL: options.emulator.url,
    FOCUS_API_KEY: TEST_FOCUS_KEY,
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
    CACHE_NAMESPACE: `test-${process.pid}-${Math.random().toString(36).slice(2)}`,
    ...options.env,
  });
  const logger = createLogger(config.logLevel, sink);
  const services = createServices(config, logger, { processMetrics: false, ...(options.now ? { now: options.now } : {}) });
  await services.cache.connect();
  const { httpServer, apollo, lifecycle, runtime } = await createHttpApp(services);
  // Background work (jobs, queues) only when a suite asks: most suites drive the graph alone.
  if (options.start) services.start(runtime);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const openConnections = () =>
    new Promise<number>((resolve, reject) => httpServer.getConnections((error, count) => (error ? reject(error) : resolve(count))));
  let closed = false;
  return {
    url,
    services,
    httpServer,
    lifecycle,
    logs,
    async settledConnections(graceMs = 2_000) {
      const deadline = Date.now() + graceMs;
      let count = await openConnections();
      while (count > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        count = await openConnections();
      }
      return count;
    },
    async gql(query, variables, headers) {
      const routerSecret = services.config.access.routerSecret;
      const callerSetsSecret = Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'router-authorization');
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(routerSecret && !callerSetsSecret ? { 'router-authorization': routerSecret } : {}),
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse;
    },
    async close() {
      if (closed) return;
      closed = true;
      // Apollo's drain plugin closes the http.Server (idle sockets at once, busy ones after their answer).
      await apollo.stop();
      await services.close();
    },
  };
}

export async function startEmulator(latencyMs = 0): Promise<FocusEmulator> {
  return startFocusEmulator({ apiKey: TEST_FOCUS_KEY, latencyMs });
}

/**
 * Starts an emulator and a subgraph for the enclosing describe block and closes them after it:
 * `const env = withSubgraph(); … env.subgraph.gql(…); env.emulator.calls`.
 */
export function withSubgraph(options: { latencyMs?: number; env?: Record<string, string>; now?: () => number } = {}) {
  const context = {} as { emulator: FocusEmulator; subgraph: TestSubgraph };
  beforeAll(async () => {
    context.emulator = await startEmulator(options.latencyMs);
    context.subgraph = await startSubgraph({
      emulator: context.emulator,
      ...(options.env ? { env: options.env } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  });
  afterAll(async () => {
    await context.subgraph?.close();
    await context.emulator?.close();
  });
  return context;
}
