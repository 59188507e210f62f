import { describe, expect, it } from 'vitest';
import { MonitoringJob } from '../../src/modules/monitoring/job.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { encodeCursor } from '../../src/common/relay.ts';
import { legalEntityInns } from '../support/inns.ts';
import { TEST_FOCUS_KEY, withSubgraph } from '../support/subgraph.ts';

const FSSP = `query ($inn: String!, $first: Int, $after: String) { company(inn: $inn) { shortName
  fsspProceedings(first: $first, after: $after) { totalCount edges { node { number } } } } }`;

const proceedings = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => ({ officialNum: `${prefix}-${String(i).padStart(4, '0')}`, startDate: '2020-01-01' }));

describe('collections: failures, registrations and arguments', () => {
  const env = withSubgraph();

  it('a failing proceedings call nulls only that field: the rest of the company answers', async () => {
    const [inn] = legalEntityInns(1, 20) as [string];
    env.emulator.injectFault({ fault: { kind: 'status', status: 503 }, methods: ['fssp'] });
    try {
      const result = await env.subgraph.gql(FSSP, { inn, first: 5 });
      expect(result.data.company.shortName).toEqual(expect.any(String));
      expect(result.data.company.fsspProceedings).toBeNull();
      expect(result.errors!.map((error) => [error.extensions!.code, error.path])).toEqual([
        ['VENDOR_UNAVAILABLE', ['company', 'fsspProceedings']],
      ]);
    } finally {
      env.emulator.clearFaults();
    }
  });

  it("pages only the answering registration: 7736050003 shows its live record's list, not the erroneous one's", async () => {
    const base = `${env.emulator.url}/fssp?key=${TEST_FOCUS_KEY}&inn=7736050003`;
    const [live, erroneous] = (await (await fetch(base)).json()) as Array<Record<string, unknown>>;
    env.emulator.setRecords('fssp', '7736050003', [
      { ...live, fssp: proceedings('live', 600) },
      { ...erroneous, fssp: proceedings('old', 500) },
    ]);
    const result = await env.subgraph.gql(FSSP, { inn: '7736050003', first: 1000 });
    const numbers = result.data.company.fsspProceedings.edges.map((edge: { node: { number: string } }) => edge.node.number);
    expect(numbers).toHaveLength(600);
    expect(numbers.every((number: string) => number.startsWith('live-'))).toBe(true);
    expect(result.data.company.fsspProceedings.totalCount).toBe(600);
  });

  it('first: 0 costs no vendor call; a forged or bad cursor and a bad window are field errors that cost no fssp call', async () => {
    const [inn] = legalEntityInns(1, 21) as [string];
    await env.subgraph.gql(`{ company(inn: "${inn}") { shortName } }`);
    env.emulator.resetCalls();
    const none = await env.subgraph.gql(FSSP, { inn, first: 0 });
    expect(none.data.company.fsspProceedings).toEqual({ totalCount: null, edges: [] });
    expect(env.emulator.calls).toHaveLength(0);
    for (const variables of [{ first: 5, after: encodeCursor('fssp', 99_999) }, { first: 5, after: 'garbage' }, { first: 5000 }]) {
      const result = await env.subgraph.gql(FSSP, { inn, ...variables });
      // The sibling field answers; only the paged field is refused.
      expect(result.data.company).toEqual({ shortName: expect.any(String), fsspProceedings: null });
      expect(result.errors!.map((error) => [error.path, error.extensions!.code, error.extensions!.argument])).toEqual([
        [['company', 'fsspProceedings'], 'BAD_USER_INPUT', 'first' in variables && variables.first === 5000 ? 'first' : 'after'],
      ]);
    }
    expect(env.emulator.calls).toHaveLength(0);
  });

  it('changedCompanies counts as up to 1000 companies in the cost estimate', async () => {
    const result = await env.subgraph.gql(`{ changedCompanies(date: "2026-11-20") { fsspProceedings { totalCount } } }`);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', estimatedVendorCalls: 1010 });
  });

  it('one failing company in changedCompanies nulls only its item', async () => {
    const [a, b] = legalEntityInns(2, 23) as [string, string];
    await env.subgraph.gql(`{ company(inn: "${a}") { inn } }`);
    env.emulator.setChanges('req', '2026-11-21', [a, b]);
    env.emulator.injectFault({ fault: { kind: 'status', status: 503 }, methods: ['req'], whenIdsInclude: [b] });
    try {
      const result = await env.subgraph.gql(`{ changedCompanies(date: "2026-11-21") { inn } }`);
      expect(result.data.changedCompanies).toEqual([{ inn: a }, null]);
      expect(result.errors!.map((error) => error.path)).toEqual([['changedCompanies', 1]]);
    } finally {
      env.emulator.clearFaults();
    }
  });

  it('a PDF is recognised by its bytes even under an unexpected content type', async () => {
    const result = await env.subgraph.gql(`{ company(inn: "6663003127") { excerpt { url } } }`);
    env.emulator.injectFault({ fault: { kind: 'wrongContentType' }, methods: ['excerpt'] });
    try {
      const response = await fetch(`${env.subgraph.url}${result.data.company.excerpt.url}`);
      expect(response.status).toBe(200);
      expect(
        Buffer.from(await response.arrayBuffer())
          .subarray(0, 5)
          .toString('latin1'),
      ).toBe('%PDF-');
    } finally {
      env.emulator.clearFaults();
    }
  });

  it('a stopped monitoring job makes no further calls', async () => {
    const job = new MonitoringJob(env.subgraph.services.modules.monitoring.service, env.subgraph.services.cache, createLogger('silent'), {
      intervalMs: 10,
    });
    job.start();
    await new Promise((resolve) => setTimeout(resolve, 60));
    await job.stop();
    env.emulator.resetCalls();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(env.emulator.callsTo('req/mon')).toHaveLength(0);
  });
});
