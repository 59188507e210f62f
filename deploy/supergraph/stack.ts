/**
 * The local supergraph as a library (`npm run supergraph` and test/platform/supergraph.test.ts both use it):
 *
 *   vendor emulators (sandbox only, once) ← N counterparty replicas (`node --import tsx src/main.ts`)
 *                                             ↑ round-robin balancer (stands in for the platform's load balancer)
 *   Hive Gateway (hive-gateway supergraph …) ─┤
 *                                             └ the example CRM subgraph
 *
 * The replicas get the environment as given. In sandbox mode (no FOCUS_API_KEY / TBANK_TOKEN / JUMP_API_KEY, NODE_ENV
 * not production) each replica would start emulators of its own, so N replicas would talk to N different "vendors";
 * instead the emulators start here, once, and every replica gets their URLs and keys (FOCUS_BASE_URL/FOCUS_API_KEY,
 * TBANK_BASE_URL/TBANK_TOKEN, JUMP_BASE_URL/JUMP_API_KEY). A Jump.Finance key makes a replica require ROUTER_SECRET,
 * so one is generated when unset, and the gateway sends it (COUNTERPARTY_ROUTER_SECRET, gateway.config.ts); so is a
 * shared DOCUMENT_SIGNING_SECRET (document links signed by one replica open on another).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseDuration } from '../../src/config/env.ts';
import { startFocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { startJumpEmulator } from '../../src/modules/payouts/emulator/server.ts';
import { startTbankEmulator } from '../../src/modules/tbank/emulator/server.ts';
import { projectRoot } from '../../src/paths.ts';
import { startBalancer } from './balancer.ts';
import { composeSupergraph, fetchSubgraphSdl } from './compose.ts';
import { startCrmSubgraph } from './crm-subgraph.ts';

export interface SupergraphOptions {
  replicas: number;
  /** The replicas' environment, over process.env (it also decides sandbox mode, as a replica would). */
  env: Record<string, string>;
  /** Default: a free port. */
  gatewayPort?: number;
  /** More arguments for `hive-gateway supergraph` (e.g. `--opentelemetry <url>`). */
  gatewayArgs?: string[];
  /** The gateway's environment, over process.env. */
  gatewayEnv?: Record<string, string>;
  /** Every line a child prints (source: `counterparty-1`, `gateway`); called from the start. */
  onOutput?: (source: string, line: string) => void;
  /** A child exited (after a kill, a crash, or stop()). */
  onExit?: (source: string, how: string) => void;
  /** Aborting it during start-up stops what has started and makes startSupergraph reject. */
  signal?: AbortSignal;
}

export interface Replica {
  /** e.g. http://127.0.0.1:40123 (its GraphQL endpoint is `${url}/graphql`). */
  url: string;
  pid: number;
  kill(signal?: NodeJS.Signals): void;
  /** Everything it printed (the last MiB). */
  output(): string;
  /** Resolves once the process has exited. */
  exited: Promise<void>;
}

export interface Supergraph {
  /** The gateway's GraphQL endpoint, e.g. http://127.0.0.1:4100/graphql. */
  gatewayUrl: string;
  gatewayPid: number;
  replicas: Replica[];
  crmUrl: string;
  /** The balancer's GraphQL endpoint: the counterparty subgraph's routing_url. */
  balancerUrl: string;
  /** The composed supergraph file the gateway serves. */
  supergraphFile: string;
  /** Vendors the stack runs emulators for (none when the replicas have keys of their own). */
  emulators: Record<string, string>;
  /** Stops the gateway, the replicas (SIGTERM, SIGKILL after 20 s), the CRM, the balancer and the emulators. */
  stop(): Promise<void>;
}

const OUTPUT_LIMIT = 1 << 20;

interface Child {
  name: string;
  process: ChildProcess;
  output(): string;
  exited: Promise<void>;
  stop(): Promise<void>;
}

function spawnChild(name: string, args: string[], env: NodeJS.ProcessEnv, options: SupergraphOptions): Child {
  const { onOutput, onExit } = options;
  const child = spawn(process.execPath, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let partial = '';
  const collect = (chunk: Buffer) => {
    const text = String(chunk);
    output = (output + text).slice(-OUTPUT_LIMIT);
    if (!onOutput) return;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onOutput(name, line);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      onExit?.(name, signal ? `killed by ${signal}` : `exit code ${code}`);
      resolve();
    });
    child.once('error', (error) => {
      output += `\n${error.message}`;
      resolve();
    });
  });
  return {
    name,
    process: child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves with what `find` extracts from the child's output; fails when it exits or after `timeoutMs`. */
async function waitForOutput<T>(
  child: Child,
  find: (output: string) => T | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<T> {
  let exited = false;
  void child.exited.then(() => (exited = true));
  for (const started = Date.now(); ; await sleep(50)) {
    signal?.throwIfAborted();
    const found = find(child.output());
    if (found !== undefined) return found;
    if (exited)
      throw new Error(
        `${child.name} exited (${child.process.exitCode ?? child.process.signalCode}) before it was ready:\n${child.output()}`,
      );
    if (Date.now() - started > timeoutMs) throw new Error(`${child.name} was not ready within ${timeoutMs / 1000} s:\n${child.output()}`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The OTLP traces URL for Hive Gateway's `--opentelemetry` (it takes the full URL, not the base endpoint). */
export function otlpTracesUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
}

export async function startSupergraph(options: SupergraphOptions): Promise<Supergraph> {
  if (!Number.isInteger(options.replicas) || options.replicas < 1) throw new Error(`replicas: a whole number ≥ 1, not ${options.replicas}`);
  const closers: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const close of closers.reverse().splice(0)) await close().catch(() => undefined);
  };
  try {
    const given: NodeJS.ProcessEnv = { ...process.env, ...options.env };
    const set = (name: string) => (given[name] ?? '') !== '';
    const shared: Record<string, string> = {};
    const emulators: Record<string, string> = {};

    // Sandbox: the emulators each replica would start (src/app/sandbox.ts and the modules' `vendor.sandbox`), once.
    if (given.NODE_ENV !== 'production') {
      const latencyMs = parseDuration(given.SANDBOX_LATENCY || '0ms');
      const key = () => randomBytes(16).toString('hex');
      if (!set('FOCUS_API_KEY') && !set('TBANK_TOKEN')) {
        const focusKey = key();
        const focus = await startFocusEmulator({ apiKey: focusKey, latencyMs });
        closers.push(() => focus.close());
        const token = randomBytes(24).toString('base64url');
        // T-Bank limits calls per token (10 a minute); each replica limits itself per process, so each gets its share.
        const tbank = await startTbankEmulator({ token, latencyMs });
        closers.push(() => tbank.close());
        Object.assign(shared, {
          FOCUS_BASE_URL: focus.url,
          FOCUS_API_KEY: focusKey,
          TBANK_BASE_URL: tbank.url,
          TBANK_TOKEN: token,
          // With a shared Redis the replicas share the token's 10/min; without, each gets its share.
          ...(set('TBANK_RATE_LIMIT') || set('CACHE_URL')
            ? {}
            : { TBANK_RATE_LIMIT: `${Math.max(1, Math.floor(10 / options.replicas))}/min` }),
        });
        Object.assign(emulators, { 'Kontur.Focus': focus.url, 'T-Bank': tbank.url });
      }
      if (!set('JUMP_API_KEY')) {
        const apiKey = key();
        const jump = await startJumpEmulator({ apiKey, latencyMs });
        closers.push(() => jump.close());
        Object.assign(shared, { JUMP_BASE_URL: jump.url, JUMP_API_KEY: apiKey });
        emulators['Jump.Finance'] = jump.url;
      }
    }
    if (!set('ROUTER_SECRET') && (set('JUMP_API_KEY') || shared.JUMP_API_KEY)) shared.ROUTER_SECRET = key32();
    if (!set('DOCUMENT_SIGNING_SECRET')) shared.DOCUMENT_SIGNING_SECRET = key32();
    const routerSecret = shared.ROUTER_SECRET ?? given.ROUTER_SECRET;

    // The replicas: port 0, each says which port it got (its banner, or the `subgraph listening` log line).
    const replicaEnv = { ...given, ...shared, PORT: '0', HOST: '127.0.0.1' };
    const children: Child[] = [];
    for (let i = 1; i <= options.replicas; i++) {
      const child = spawnChild(`counterparty-${i}`, ['--import', 'tsx', 'src/main.ts'], replicaEnv, options);
      children.push(child);
      closers.push(() => child.stop());
    }
    const ports = await Promise.all(
      children.map((child) =>
        waitForOutput(
          child,
          (output) => {
            const match =
              /Counterparty subgraph ready: http:\/\/localhost:(\d+)/.exec(output) ?? /"port":(\d+)[^\n]*"subgraph listening"/.exec(output);
            return match ? Number(match[1]) : undefined;
          },
          90_000,
          options.signal,
        ),
      ),
    );
    const replicas: Replica[] = children.map((child, i) => ({
      url: `http://127.0.0.1:${ports[i]}`,
      pid: child.process.pid!,
      kill: (signal: NodeJS.Signals = 'SIGKILL') => void child.process.kill(signal),
      output: () => child.output(),
      exited: child.exited,
    }));

    const balancer = await startBalancer({ targets: replicas.map((replica) => replica.url) });
    closers.push(() => balancer.close());
    const balancerUrl = `${balancer.url}/graphql`;
    const crm = await startCrmSubgraph();
    closers.push(() => crm.close());

    options.signal?.throwIfAborted();
    const supergraphSdl = composeSupergraph([
      {
        name: 'counterparty',
        routingUrl: balancerUrl,
        sdl: await fetchSubgraphSdl(balancerUrl, routerSecret ? { 'router-authorization': routerSecret } : {}),
      },
      { name: 'crm', routingUrl: crm.url, sdl: await fetchSubgraphSdl(crm.url) },
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'supergraph-'));
    closers.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const supergraphFile = path.join(dir, 'supergraph.graphql');
    fs.writeFileSync(supergraphFile, supergraphSdl);

    // Hive Gateway's CLI, under tsx so it can load gateway.config.ts.
    const gatewayPort = options.gatewayPort ?? (await freePort());
    const gatewayEnv: NodeJS.ProcessEnv = {
      ...process.env,
      OTEL_SERVICE_NAME: 'hive-gateway',
      ...options.gatewayEnv,
      ...(routerSecret ? { COUNTERPARTY_ROUTER_SECRET: routerSecret } : {}),
    };
    // The CLI reads PORT and HOST too; the flags below decide.
    delete gatewayEnv.PORT;
    delete gatewayEnv.HOST;
    const bin = createRequire(import.meta.url)
      .resolve('@graphql-hive/gateway/package.json')
      .replace(/package\.json$/, 'dist/bin.js');
    // OTEL_EXPORTER_OTLP_ENDPOINT given to the replicas (or the gateway) sends the gateway's traces there too.
    const tracesUrl = otlpTracesUrl({ ...given, ...options.gatewayEnv });
    const gateway = spawnChild(
      'gateway',
      [
        '--import',
        'tsx',
        bin,
        'supergraph',
        supergraphFile,
        '--config-path',
        path.join(projectRoot, 'deploy/supergraph/gateway.config.ts'),
        '--host',
        '127.0.0.1',
        '--port',
        String(gatewayPort),
        ...(tracesUrl ? ['--opentelemetry', tracesUrl] : []),
        ...(options.gatewayArgs ?? []),
      ],
      gatewayEnv,
      options,
    );
    closers.push(() => gateway.stop());
    const gatewayOrigin = `http://127.0.0.1:${gatewayPort}`;
    await waitForReady(gateway, `${gatewayOrigin}/readiness`, 60_000, options.signal);

    return {
      gatewayUrl: `${gatewayOrigin}/graphql`,
      gatewayPid: gateway.process.pid!,
      replicas,
      crmUrl: crm.url,
      balancerUrl,
      supergraphFile,
      emulators,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function key32(): string {
  return randomBytes(24).toString('base64url');
}

async function waitForReady(child: Child, url: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  let exited = false;
  void child.exited.then(() => (exited = true));
  for (const started = Date.now(); ; await sleep(100)) {
    signal?.throwIfAborted();
    const status = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (exited)
      throw new Error(
        `${child.name} exited (${child.process.exitCode ?? child.process.signalCode}) before it was ready:\n${child.output()}`,
      );
    if (Date.now() - started > timeoutMs)
      throw new Error(`${child.name} was not ready within ${timeoutMs / 1000} s (${url}):\n${child.output()}`);
  }
}
