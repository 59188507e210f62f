/**
 * Composes the supergraph (Apollo Federation v2, @apollo/composition) from running subgraphs: each one's SDL is read
 * from `{ _service { sdl } }`, as Rover does. The counterparty subgraph answers GraphQL only with the
 * `router-authorization` header when it runs with ROUTER_SECRET, so the secret is sent when given.
 *
 *   tsx deploy/supergraph/compose.ts --counterparty http://127.0.0.1:4000/graphql --crm http://127.0.0.1:4200/graphql \
 *     [--counterparty-routing-url http://counterparty:4000/graphql] [--out supergraph.graphql]
 *
 * ROUTER_SECRET (or COUNTERPARTY_ROUTER_SECRET) is sent to the counterparty subgraph. Composition errors are printed
 * one per line and the exit code is 1.
 */
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export interface SubgraphSource {
  name: string;
  /** Where the gateway sends this subgraph's operations (for the counterparty subgraph: the load balancer). */
  routingUrl: string;
  sdl: string;
}

export class CompositionError extends Error {
  constructor(readonly problems: string[]) {
    super(`Composition failed:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** A subgraph's SDL from `{ _service { sdl } }`; fails with the status and body when it does not answer one. */
export async function fetchSubgraphSdl(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
    signal: AbortSignal.timeout(10_000),
  }).catch((error: Error & { cause?: { code?: string; message?: string } }) => {
    throw new Error(`Could not read the SDL at ${url}: ${error.cause?.code ?? error.cause?.message ?? error.message}`);
  });
  const text = await response.text();
  let sdl: unknown;
  try {
    sdl = (JSON.parse(text) as { data?: { _service?: { sdl?: unknown } } }).data?._service?.sdl;
  } catch {
    // not JSON: reported below
  }
  if (response.status !== 200 || typeof sdl !== 'string') {
    const hint = response.status === 401 ? ' (the subgraph runs with ROUTER_SECRET: set the same value here)' : '';
    throw new Error(`${url} answered ${response.status} without an SDL${hint}: ${text.slice(0, 300)}`);
  }
  return sdl;
}

/** The supergraph SDL; throws CompositionError listing every problem composition found. */
export function composeSupergraph(subgraphs: SubgraphSource[]): string {
  const result = composeServices(
    subgraphs.map((subgraph) => ({ name: subgraph.name, url: subgraph.routingUrl, typeDefs: parse(subgraph.sdl) })),
  );
  if (result.errors) {
    throw new CompositionError(
      result.errors.map((error) => {
        const code = error.extensions.code;
        return `${typeof code === 'string' ? `[${code}] ` : ''}${error.message}`;
      }),
    );
  }
  return result.supergraphSdl;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      counterparty: { type: 'string' },
      'counterparty-routing-url': { type: 'string' },
      crm: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (!values.counterparty || !values.crm) {
    console.error('usage: compose.ts --counterparty <url> --crm <url> [--counterparty-routing-url <url>] [--out <file>]');
    process.exit(2);
  }
  const secret = process.env.ROUTER_SECRET || process.env.COUNTERPARTY_ROUTER_SECRET;
  try {
    const supergraph = composeSupergraph([
      {
        name: 'counterparty',
        routingUrl: values['counterparty-routing-url'] ?? values.counterparty,
        sdl: await fetchSubgraphSdl(values.counterparty, secret ? { 'router-authorization': secret } : {}),
      },
      { name: 'crm', routingUrl: values.crm, sdl: await fetchSubgraphSdl(values.crm) },
    ]);
    if (values.out) fs.writeFileSync(values.out, supergraph);
    else process.stdout.write(supergraph);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
