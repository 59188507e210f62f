/**
 * npm run bench:profile — a CPU profile of the subgraph on one path, summarised: where its samples go, by package
 * and by function (self time). PROFILE=warm-list (default), warm-card or cold; PROFILE_SECONDS (default 10).
 * The raw profile (.cpuprofile, for Chrome DevTools) is kept in bench/profiles/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { legalEntityInns } from '../test/support/inns.ts';
import { TEST_FOCUS_KEY, startEmulator } from '../test/support/subgraph.ts';
import { startBenchServer } from './servers/spawn.ts';

const which = process.env.PROFILE ?? 'warm-list';
const seconds = Number(process.env.PROFILE_SECONDS ?? 10);
const directory = path.join(import.meta.dirname, 'profiles');
fs.mkdirSync(directory, { recursive: true });
const started = Date.now();

const LIST = `query List($inns: [String!]!) { companies(inns: $inns) { inn shortName status { code } legalAddress { oneLine } heads { fio } } }`;
const CARD = `query Card($inn: String!) { company(inn: $inn) { inn shortName } }`;

const emulator = await startEmulator(0);
const subgraph = await startBenchServer(
  'subgraph',
  { NODE_ENV: 'production', LOG_LEVEL: 'info', FOCUS_BASE_URL: emulator.url, FOCUS_API_KEY: TEST_FOCUS_KEY, FOCUS_MAX_QUEUE: '20000' },
  ['--cpu-prof', `--cpu-prof-dir=${directory}`],
);
try {
  const inns = legalEntityInns(100, 11);
  await subgraph.gql(LIST, { inns });
  const deadline = Date.now() + seconds * 1000;
  let seed = 50;
  while (Date.now() < deadline) {
    if (which === 'cold') {
      const batch = Array.from({ length: 4 }, () => subgraph.gql(LIST, { inns: legalEntityInns(1000, seed++ % 100) }));
      await Promise.all(batch);
    } else {
      const body = which === 'warm-card' ? { query: CARD, variables: { inn: inns[0] } } : { query: LIST, variables: { inns } };
      await Promise.all(Array.from({ length: 4 }, () => subgraph.post(JSON.stringify(body))));
    }
  }
} finally {
  await subgraph.exit();
  await emulator.close();
}

const file = fs
  .readdirSync(directory)
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (tsx's loader has its own).
  .filter((name) => /\.\d+\.0\.\d+\.cpuprofile$/.test(name))
  .map((name) => path.join(directory, name))
  .filter((name) => fs.statSync(name).mtimeMs >= started)
  .sort()
  .pop();
if (!file) throw new Error('no profile was written');
summarise(JSON.parse(fs.readFileSync(file, 'utf8')), file);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}

function summarise(profile: { nodes: ProfileNode[] }, where: string): void {
  const total = profile.nodes.reduce((sum, node) => sum + node.hitCount, 0);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    if (node.hitCount === 0) continue;
    const { url, functionName, lineNumber } = node.callFrame;
    const owner = ownerOf(url, functionName);
    byPackage.set(owner, (byPackage.get(owner) ?? 0) + node.hitCount);
    const name = `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + node.hitCount);
  }
  const top = (map: Map<string, number>, count: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, hits]) => `  ${((100 * hits) / total).toFixed(1).padStart(5)} %  ${name}`)
      .join('\n');
  console.log(
    `\n${which}: ${total} samples (${where})\n\nBy package:\n${top(byPackage, 15)}\n\nBy function (self):\n${top(byFunction, 30)}\n`,
  );
}

function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1]!;
  if (url.startsWith('node:')) return 'node';
  if (url.includes('/src/')) return `src/${url.split('/src/')[1]!.split('/').slice(0, 2).join('/')}`;
  return url;
}

function shortUrl(url: string): string {
  return url.replace(/^.*node_modules\//, '').replace(/^.*\/src\//, 'src/');
}
