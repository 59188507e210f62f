import { composeServices } from '@apollo/composition';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Kind, OperationTypeNode, parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSupergraph, type Supergraph } from '../../deploy/supergraph/stack.ts';
import { projectRoot } from '../../src/paths.ts';
import { freePort } from '../support/processes.ts';

/**
 * Every ```graphql block of the README, run as printed against a fresh sandbox — started the way `npm start` starts
 * it (src/main.ts in its own process, no vendor keys, so all four emulators run) — twice each, in README order.
 *
 * What a block needs besides its text is in the README too, where a reader sees it: a ```json block right after it,
 * labelled by a line starting with "Variables" or "Headers" and ending with ":". What only the test needs is an HTML
 * comment on the line before the block, `<!-- readme-example: {…} -->`:
 *   {"target": "supergraph"}   run against `npm run supergraph`'s stack (Hive Gateway) instead of the subgraph;
 *   {"kind": "subgraph-schema"} another subgraph's schema: it must compose with this subgraph's `_service { sdl }`;
 *   {"secondRun": {"errorCode": "…", "path": ["…"]}}   the second run (straight after the first) must fail with
 *                              exactly that error on that field, as the README says it does.
 */

interface Directive {
  target?: 'supergraph';
  kind?: 'subgraph-schema';
  secondRun?: { errorCode: string; path: string[] };
}

interface Example {
  line: number;
  source: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
  directive: Directive;
}

interface GraphQLAnswer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; path?: unknown[]; extensions?: { code?: string } }> };
}

const DIRECTIVE = /^<!-- readme-example: (\{.*\}) -->$/;
const LABEL = /^(Variables|Headers)\b.*:$/;

/** The README's graphql blocks with what they need; fails on a Variables/Headers block that follows no example. */
function readmeExamples(markdown: string): Example[] {
  const lines = markdown.split('\n');
  const examples: Example[] = [];
  const attached = new Set<number>();
  const fenceEnd = (start: number) => {
    let end = start + 1;
    while (end < lines.length && lines[end] !== '```') end++;
    return end;
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (!line.startsWith('```')) continue;
    const end = fenceEnd(index);
    if (line === '```graphql') {
      const previous = index > 0 ? DIRECTIVE.exec(lines[index - 1]!) : null;
      const example: Example = {
        line: index + 1,
        source: lines.slice(index + 1, end).join('\n'),
        directive: previous ? (JSON.parse(previous[1]!) as Directive) : {},
      };
      // Labelled JSON blocks right after it: blank lines, "Variables…:" or "Headers…:", blank lines, ```json … ```.
      let next = end + 1;
      for (;;) {
        while (lines[next] === '') next++;
        const label = LABEL.exec(lines[next] ?? '');
        if (!label) break;
        next++;
        while (lines[next] === '') next++;
        expect(lines[next], `README line ${next + 1}: a JSON block after "${label[0]}"`).toBe('```json');
        const jsonEnd = fenceEnd(next);
        const value = JSON.parse(lines.slice(next + 1, jsonEnd).join('\n')) as Record<string, never>;
        if (label[1] === 'Variables') example.variables = value;
        else example.headers = value;
        attached.add(next);
        next = jsonEnd + 1;
      }
      examples.push(example);
    }
    index = end;
  }
  // A labelled JSON block must belong to an example, or it documents something no test runs.
  for (let index = 1; index < lines.length; index++) {
    if (lines[index] !== '```json') continue;
    let label = index - 1;
    while (label > 0 && lines[label] === '') label--;
    if (LABEL.test(lines[label]!)) expect(attached.has(index), `README line ${index + 1}: labelled JSON after no example`).toBe(true);
  }
  return examples;
}

const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
const examples = readmeExamples(readme);

/** Date-times change between runs (fetchedAt, statusCheckedAt, history…): compared as such. */
function comparable(value: unknown): unknown {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return '<date-time>';
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).flatMap(([key, item]) => (key === 'replayed' ? [] : [[key, comparable(item)]])));
  }
  return value;
}

/** Every `replayed` flag in an answer. */
function replayedFlags(value: unknown): boolean[] {
  if (Array.isArray(value)) return value.flatMap(replayedFlags);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => (key === 'replayed' ? [item as boolean] : replayedFlags(item)));
  }
  return [];
}

async function post(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLAnswer['body'] };
}

/** The sandbox as `npm start` runs it: src/main.ts in its own process, a new user's environment (no keys, no Redis). */
async function startSandbox(): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start in 60 s:\n${output}`)), 60_000);
    const check = setInterval(() => {
      if (!output.includes('"msg":"subgraph listening"')) return;
      clearInterval(check);
      clearTimeout(timer);
      resolve();
    }, 50);
    child.once('exit', (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`the sandbox exited with ${code}:\n${output}`));
    });
  });
  return { url: `http://127.0.0.1:${port}/graphql`, child, output: () => output };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

describe("the README's examples, each run twice on a fresh sandbox", () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let supergraph: Supergraph | undefined;

  beforeAll(async () => {
    sandbox = await startSandbox();
  }, 90_000);
  afterAll(async () => {
    await supergraph?.stop();
    if (sandbox) await stop(sandbox.child);
  }, 60_000);

  it('the README has examples, and the sandbox runs every vendor on its emulator', () => {
    expect(examples.length).toBeGreaterThan(10);
    const listening = sandbox
      .output()
      .split('\n')
      .find((line) => line.includes('"msg":"subgraph listening"'))!;
    expect(JSON.parse(listening)).toMatchObject({
      sandbox: true,
      vendors: { 'kontur-focus': 'sandbox', tbank: 'sandbox', 'jump-finance': 'sandbox', bitrix24: 'sandbox' },
    });
  });

  for (const example of examples) {
    const document = parse(example.source);
    const operations = document.definitions.filter(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    );
    const names = operations.map((operation) => operation.name?.value ?? '(anonymous)').join(', ');
    const title = `README line ${example.line}: ${example.directive.kind === 'subgraph-schema' ? 'a subgraph schema' : names}${example.directive.target ? ` (through ${example.directive.target})` : ''}`;

    if (example.directive.kind === 'subgraph-schema') {
      it(`${title} composes with this subgraph's schema`, async () => {
        expect(operations).toEqual([]);
        const answer = await post(sandbox.url, { query: '{ _service { sdl } }' });
        const composed = composeServices([
          { name: 'counterparty', typeDefs: parse((answer.body.data!._service as { sdl: string }).sdl), url: sandbox.url },
          { name: 'crm', typeDefs: document, url: 'http://crm.example/graphql' },
        ]);
        expect(composed.errors).toBeUndefined();
      });
      continue;
    }

    it(
      `${title} runs twice as printed`,
      async () => {
        expect(operations.length, 'a block holds operations, or is marked as a schema').toBeGreaterThan(0);
        if (operations.length > 1) {
          for (const operation of operations) expect(operation.name, 'operations sharing a block are named').toBeDefined();
        }
        let url = sandbox.url;
        if (example.directive.target === 'supergraph') {
          supergraph ??= await startSupergraph({ replicas: 1, env: {} });
          url = supergraph.gatewayUrl;
        }
        for (const operation of operations) {
          const request = {
            query: example.source,
            ...(operations.length > 1 ? { operationName: operation.name!.value } : {}),
            ...(example.variables ? { variables: example.variables } : {}),
          };
          const first = await post(url, request, example.headers);
          const second = await post(url, request, example.headers);
          for (const [run, answer] of [
            ['first', first],
            ['second', second],
          ] as const) {
            const expectedError = run === 'second' ? example.directive.secondRun : undefined;
            const label = `${operation.name?.value ?? 'operation'}, ${run} run`;
            expect(answer.status, label).toBe(200);
            if (expectedError) {
              expect(
                answer.body.errors?.map((error) => ({ code: error.extensions?.code, path: error.path })),
                label,
              ).toEqual([{ code: expectedError.errorCode, path: expectedError.path }]);
            } else {
              expect(answer.body.errors, label).toBeUndefined();
            }
            expect(answer.body.data, label).toBeTruthy();
            // Every root field answers something (an example that shows nothing on a fresh sandbox teaches nothing).
            const nullRoots = Object.entries(answer.body.data!).filter(
              ([field, value]) => value === null && !expectedError?.path.includes(field),
            );
            expect(nullRoots, label).toEqual([]);
          }
          if (operation.operation === OperationTypeNode.MUTATION && !example.directive.secondRun) {
            // A mutation run again is harmless: the same answer, and a payout answered as the one the key already made.
            expect(comparable(second.body.data)).toEqual(comparable(first.body.data));
            expect(replayedFlags(first.body.data).every((flag) => !flag)).toBe(true);
            expect(replayedFlags(second.body.data).every((flag) => flag)).toBe(true);
          }
        }
      },
      // Starting the supergraph (a replica, the CRM subgraph, Hive Gateway) takes a while on a busy machine.
      example.directive.target === 'supergraph' ? 150_000 : 60_000,
    );
  }
});
