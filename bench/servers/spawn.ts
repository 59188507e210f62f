/** Starts a benchmarked server (bench/servers/<kind>.ts) as a child process and talks to it over HTTP and IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';
import { Agent, request } from 'undici';
import type { ProcessStats } from './ipc.ts';

export interface BenchServer {
  kind: 'subgraph' | 'bare';
  url: string;
  /** POSTs a JSON body to /graphql; resolves once the whole answer has arrived (a non-200 throws). */
  post(body: string): Promise<string>;
  gql(query: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: Array<{ message: string }> }>;
  /** CPU so far and memory, after a forced GC when `gc`. */
  stats(gc: boolean): Promise<ProcessStats>;
  /** The bare server's Map (company JSON by INN). */
  load(companies: Record<string, unknown>): Promise<void>;
  /** The subgraph's /metrics text. */
  metrics(): Promise<string>;
  stop(): Promise<void>;
  /** Asks it to exit normally (a CPU profile is written on a normal exit, not on SIGKILL). */
  exit(): Promise<void>;
}

const agent = new Agent({ keepAliveTimeout: 30_000, connections: 16 });

export async function startBenchServer(
  kind: BenchServer['kind'],
  env: Record<string, string>,
  nodeOptions: string[] = [],
): Promise<BenchServer> {
  let stderr = '';
  const child = fork(await compiled(kind), [], {
    // BENCH_NODE_FLAGS: V8/Node flags to try on the servers (e.g. --optimize-for-size), which NODE_OPTIONS refuses.
    execArgv: ['--expose-gc', ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean), ...nodeOptions],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  child.stderr!.on('data', (chunk) => {
    stderr += String(chunk);
    if (process.env.BENCH_SPACES) process.stderr.write(chunk);
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code} before listening:\n${stderr}`)));
    child.once('message', (message: { type: string; url: string }) => resolve(message.url));
  });
  child.removeAllListeners('exit');

  const post = async (body: string): Promise<string> => {
    const response = await request(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      dispatcher: agent,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`${kind} answered ${response.statusCode}: ${text.slice(0, 300)}`);
    return text;
  };
  return {
    kind,
    url,
    post,
    async gql(query, variables) {
      return JSON.parse(await post(JSON.stringify({ query, variables })));
    },
    stats: (gc) => ask<ProcessStats>(child, { type: 'stats', gc }, 'stats'),
    async load(companies) {
      await ask(child, { type: 'load', companies }, 'loaded');
    },
    async metrics() {
      const response = await request(`${url}/metrics`, { dispatcher: agent });
      return response.body.text();
    },
    async exit() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'exit' });
      await exited;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

const builds = new Map<string, Promise<string>>();

/**
 * The server compiled to one JavaScript file, as `npm start` runs compiled code: no TypeScript loader in the measured
 * process (tsx's loader thread and its source maps would add about 60 MB of RSS and 25 MB of heap that production
 * never has). Written one level below the project root, where src/paths.ts expects itself, so schema/ and fixtures/
 * resolve as they do from dist/.
 */
function compiled(kind: BenchServer['kind']): Promise<string> {
  let built = builds.get(kind);
  if (!built) {
    const outfile = path.join(import.meta.dirname, '..', '..', '.bench', `${kind}.mjs`);
    built = build({
      entryPoints: [path.join(import.meta.dirname, `${kind}.ts`)],
      outfile,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
    }).then(() => outfile);
    builds.set(kind, built);
  }
  return built;
}

function ask<T>(child: ChildProcess, message: unknown, answer: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (reply: { type: string; stats?: T }) => {
      if (reply.type !== answer) return;
      child.off('message', listener);
      resolve(reply.stats as T);
    };
    child.on('message', listener);
    child.send(message as never);
  });
}
