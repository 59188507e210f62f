import type http from 'node:http';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/app/config.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createServices, type Services } from '../../src/app/services.ts';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { startTbankEmulator, type TbankEmulator, type TbankEmulatorOptions } from '../../src/modules/tbank/emulator/server.ts';
import { afterAll, beforeAll } from 'vitest';
import { startEmulator, TEST_FOCUS_KEY, type GraphQLResponse } from './subgraph.ts';

/** Long and distinctive, so a leak anywhere (a log line, an error, a metric) is found by plain substring search. */
export const TEST_TBANK_TOKEN = 't-api.TestToken_7f3Kq9ZrX2mVb8Lw4Np6';

export function startTestTbankEmulator(options: Partial<TbankEmulatorOptions> = {}): Promise<TbankEmulator> {
  return startTbankEmulator({ token: TEST_TBANK_TOKEN, ...options });
}

export interface TbankSubgraph {
  url: string;
  services: Services;
  httpServer: http.Server;
  /** Every log line the subgraph wrote. */
  logs: string[];
  /** Every response body the subgraph sent through gql(), as text. */
  responses: string[];
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/**
 * A suite's T-Bank emulator (options as given), a Kontur.Focus emulator unless `focus: false`, and the subgraph over
 * them, started before the suite and closed after it: `const env = withTbankSubgraph(…); … env.subgraph.gql(…)`.
 */
export function withTbankSubgraph(options: { tbank?: Partial<TbankEmulatorOptions>; focus?: boolean; env?: Record<string, string> } = {}) {
  const context = {} as { focus: FocusEmulator | undefined; tbank: TbankEmulator; subgraph: TbankSubgraph };
  beforeAll(async () => {
    context.focus = options.focus === false ? undefined : await startEmulator();
    context.tbank = await startTestTbankEmulator(options.tbank);
    context.subgraph = await startTbankSubgraph({
      tbank: context.tbank,
      ...(context.focus ? { focus: context.focus } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
  });
  afterAll(async () => {
    await context.subgraph?.close();
    await context.tbank?.close();
    await context.focus?.close();
  });
  return context;
}

/**
 * The real HTTP subgraph on loopback with T-Bank pointed at a T-Bank emulator and, when given, Kontur.Focus at a Focus
 * emulator; without `focus`, FOCUS_API_KEY is unset and nothing points at Kontur.Focus (a T-Bank-only deployment).
 */
export async function startTbankSubgraph(options: {
  tbank: TbankEmulator;
  focus?: FocusEmulator;
  env?: Record<string, string>;
  token?: string;
  /** Clock for cache ages. */
  now?: () => number;
}): Promise<TbankSubgraph> {
  const logs: string[] = [];
  const responses: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const config = loadConfig({
    ...(options.focus ? { FOCUS_BASE_URL: options.focus.url, FOCUS_API_KEY: TEST_FOCUS_KEY } : {}),
    TBANK_BASE_URL: options.tbank.url,
    TBANK_TOKEN: options.token ?? TEST_TBANK_TOKEN,
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
    CACHE_NAMESPACE: `test-${process.pid}-${Math.random().toString(36).slice(2)}`,
    ...options.env,
  });
  const logger = createLogger(config.logLevel, sink);
  const services = createServices(config, logger, { processMetrics: false, ...(options.now ? { now: options.now } : {}) });
  await services.cache.connect();
  const { httpServer, apollo } = await createHttpApp(services);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  let closed = false;
  return {
    url,
    services,
    httpServer,
    logs,
    responses,
    async gql(query, variables) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      responses.push(text);
      return JSON.parse(text) as GraphQLResponse;
    },
    async close() {
      if (closed) return;
      closed = true;
      await apollo.stop();
      await services.close();
    },
  };
}

/**
 * Every 8-character piece of a secret found in any of these texts. Pieces, not just the whole: a cut at a length limit
 * leaves a prefix, a vendor's own cut a suffix, and either is enough to guess the rest.
 */
export function leakedFragments(texts: readonly string[], secret: string, length = 8): string[] {
  const fragments = Array.from({ length: secret.length - length + 1 }, (_, start) => secret.slice(start, start + length));
  const all = texts.join('\n');
  return fragments.filter((fragment) => all.includes(fragment));
}

/** The subgraph's JSON log lines with this message. */
export function logLines(subgraph: TbankSubgraph, msg: string): Array<Record<string, unknown>> {
  return subgraph.logs
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === msg);
}
