import { describe, expect, it } from 'vitest';
import { estimate } from '../support/cost.ts';
import { DocumentSigner } from '../../src/modules/documents/token.ts';
import { legalEntityInns, unknownInn } from '../support/inns.ts';
import { TEST_FOCUS_KEY, withSubgraph } from '../support/subgraph.ts';

/** Synthetic, active organisations (the emulator has their excerpt, financial analysis and express report). */
const INN = '7700000009';
const OTHER_INN = legalEntityInns(1, 41)[0]!;
const ROUTER_SECRET = 'router-secret-0123456789';

const DOCUMENTS = /* GraphQL */ `
  query ($inn: String!) {
    company(inn: $inn) {
      inn
      focusUrl
      excerpt {
        __typename
        format
        url
        fetchedAt
      }
      financialAnalysis {
        kind
        format
        url
        fetchedAt
      }
      expressReport {
        green
        yellow
        red
        pdf {
          kind
          format
          url
          fetchedAt
        }
      }
    }
  }
`;

interface Download {
  status: number;
  contentType: string | null;
  disposition: string | null;
  body: Buffer;
  text: string;
}

async function download(base: string, url: string): Promise<Download> {
  // Root-relative links are resolved against the subgraph; absolute ones (PUBLIC_URL) are fetched by their path.
  const path = url.startsWith('/') ? url : new URL(url).pathname;
  const response = await fetch(`${base}${path}`);
  const body = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    disposition: response.headers.get('content-disposition'),
    body,
    text: body.toString('utf8'),
  };
}

/** The token inside /documents/<token>.pdf */
function tokenOf(url: string): string {
  const match = /\/documents\/([^/]+)\.pdf$/.exec(url);
  if (!match) throw new Error(`not a document link: ${url}`);
  return match[1]!;
}

/** The same token with one character of its payload (or signature) changed. */
function tamper(token: string, part: 'payload' | 'signature'): string {
  const [payload, mac] = token.split('.') as [string, string];
  const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
  return part === 'payload' ? `${flip(payload, 3)}.${mac}` : `${payload}.${flip(mac, 5)}`;
}

describe('documents: signed links, download route, cache', () => {
  const env = withSubgraph();

  it('selecting document links costs no document call, and no link carries the vendor key', async () => {
    env.emulator.resetCalls();
    const { data, errors } = await env.subgraph.gql(DOCUMENTS, { inn: INN });
    expect(errors).toBeUndefined();
    const company = data.company;
    expect(company.excerpt).toMatchObject({ __typename: 'Excerpt', format: 'PDF', fetchedAt: null });
    expect(company.financialAnalysis).toMatchObject({ kind: 'FINANCIAL_ANALYSIS', format: 'PDF', fetchedAt: null });
    expect(company.expressReport.pdf).toMatchObject({ kind: 'EXPRESS_REPORT', format: 'PDF', fetchedAt: null });
    for (const url of [company.excerpt.url, company.financialAnalysis.url, company.expressReport.pdf.url]) {
      expect(url).toMatch(/^\/documents\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\.pdf$/);
    }
    // Only req: the PDFs are downloaded by the route, not by the query.
    expect(env.emulator.calls.map((call) => call.method)).toEqual(['req']);
    expect(JSON.stringify(data)).not.toContain(TEST_FOCUS_KEY);
    expect(JSON.stringify(data)).not.toContain('key=');
  });

  it('excerpt.url downloads the PDF once; a second download within CACHE_TTL_DOCUMENTS makes no vendor call', async () => {
    const { data } = await env.subgraph.gql(`query ($inn: String!) { company(inn: $inn) { excerpt { url } } }`, { inn: INN });
    env.emulator.resetCalls();

    const first = await download(env.subgraph.url, data.company.excerpt.url);
    expect(first.status).toBe(200);
    expect(first.contentType).toBe('application/pdf');
    expect(first.disposition).toBe(`attachment; filename="excerpt-${INN}.pdf"`);
    expect(first.body.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(env.emulator.callsTo('excerpt')).toHaveLength(1);
    expect(env.emulator.callsTo('excerpt')[0]!.ids).toEqual([INN]);

    const second = await download(env.subgraph.url, data.company.excerpt.url);
    expect(second.status).toBe(200);
    expect(second.body.equals(first.body)).toBe(true);
    expect(env.emulator.callsTo('excerpt')).toHaveLength(1);

    // A fresh link to the same document is served from the cache too, and the graph now says when it was fetched.
    const again = await env.subgraph.gql(`query ($inn: String!) { company(inn: $inn) { excerpt { url fetchedAt } } }`, { inn: INN });
    expect(again.errors).toBeUndefined();
    expect(Date.parse(again.data.company.excerpt.fetchedAt)).toBeGreaterThan(Date.now() - 60_000);
    const third = await download(env.subgraph.url, again.data.company.excerpt.url);
    expect(third.status).toBe(200);
    expect(env.emulator.callsTo('excerpt')).toHaveLength(1);
    expect(env.emulator.calls.map((call) => call.method)).toEqual(['excerpt']);
  });

  it('concurrent downloads of one document share one vendor call', async () => {
    const { data } = await env.subgraph.gql(`query ($inn: String!) { company(inn: $inn) { excerpt { url } } }`, { inn: OTHER_INN });
    env.emulator.resetCalls();
    const downloads = await Promise.all([1, 2, 3].map(() => download(env.subgraph.url, data.company.excerpt.url)));
    expect(downloads.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(env.emulator.callsTo('excerpt')).toHaveLength(1);
  });

  it('financialAnalysis and expressReport.pdf download too, with their own file names', async () => {
    const { data } = await env.subgraph.gql(DOCUMENTS, { inn: INN });
    env.emulator.resetCalls();

    const finan = await download(env.subgraph.url, data.company.financialAnalysis.url);
    expect(finan.status).toBe(200);
    expect(finan.contentType).toBe('application/pdf');
    expect(finan.disposition).toBe(`attachment; filename="financial-analysis-${INN}.pdf"`);
    expect(finan.body.subarray(0, 4).toString('latin1')).toBe('%PDF');

    const report = await download(env.subgraph.url, data.company.expressReport.pdf.url);
    expect(report.status).toBe(200);
    expect(report.contentType).toBe('application/pdf');
    expect(report.disposition).toBe(`attachment; filename="express-report-${INN}.pdf"`);
    expect(report.body.subarray(0, 4).toString('latin1')).toBe('%PDF');

    expect(env.emulator.calls.map((call) => call.method).sort()).toEqual(['briefReport', 'finan']);
    expect(env.emulator.calls.every((call) => call.ids.length === 1 && call.ids[0] === INN)).toBe(true);
  });

  it('a changed token → 403, without any vendor call', async () => {
    const { data } = await env.subgraph.gql(`query ($inn: String!) { company(inn: $inn) { excerpt { url } } }`, { inn: INN });
    const token = tokenOf(data.company.excerpt.url);
    env.emulator.resetCalls();
    for (const changed of [tamper(token, 'payload'), tamper(token, 'signature'), `${token}x`, token.split('.')[0]!, 'not-a-token']) {
      const answer = await download(env.subgraph.url, `/documents/${changed}.pdf`);
      expect(answer.status, changed).toBe(403);
      expect(answer.contentType).toMatch(/^text\/plain/);
    }
    // Signed with another secret: 403 as well.
    const foreign = new DocumentSigner('another-secret-0123456789', 600_000).sign('EXCERPT', INN);
    expect((await download(env.subgraph.url, `/documents/${foreign}.pdf`)).status).toBe(403);
    // Only .pdf links exist.
    expect((await download(env.subgraph.url, `/documents/${token}.txt`)).status).toBe(404);
    expect(env.emulator.calls).toHaveLength(0);
  });

  it('a company the vendor does not know → 404', async () => {
    const unknown = unknownInn(7);
    const token = env.subgraph.services.modules.documents.signer.sign('EXCERPT', unknown);
    env.emulator.resetCalls();
    const answer = await download(env.subgraph.url, `/documents/${token}.pdf`);
    expect(answer.status).toBe(404);
    expect(answer.contentType).toMatch(/^text\/plain/);
    expect(env.emulator.callsTo('excerpt')).toHaveLength(1);
  });

  it('expressReport.url comes from briefReport on every operation (never cached): two operations, two links', async () => {
    const query = `query ($inn: String!) { company(inn: $inn) { expressReport { url } } }`;
    env.emulator.resetCalls();
    const first = await env.subgraph.gql(query, { inn: INN });
    const second = await env.subgraph.gql(query, { inn: INN });
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    const links = [first.data.company.expressReport.url, second.data.company.expressReport.url];
    for (const link of links) expect(link).toMatch(/^https?:\/\//);
    expect(links[0]).not.toBe(links[1]);
    expect(env.emulator.callsTo('briefReport')).toHaveLength(2);
    expect(env.emulator.callsTo('briefReport').map((call) => call.ids)).toEqual([[INN], [INN]]);
    expect(JSON.stringify([first, second])).not.toContain(TEST_FOCUS_KEY);
  });

  it('expressReport.url for 150 companies costs 2 briefReport calls of at most 100 INNs', async () => {
    const inns = legalEntityInns(150, 42);
    await env.subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { inn } }`, { inns });
    env.emulator.resetCalls();
    const { data, errors } = await env.subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { expressReport { url } } }`, {
      inns,
    });
    expect(errors).toBeUndefined();
    expect(data.companies).toHaveLength(150);
    expect(env.emulator.calls.map((call) => call.method)).toEqual(['briefReport', 'briefReport']);
    expect(env.emulator.calls.map((call) => call.ids.length).sort((a, b) => a - b)).toEqual([50, 100]);
  });

  it('a failing vendor answers 503 with its VENDOR_* code, no stack and no key', async () => {
    const inn = legalEntityInns(1, 43)[0]!;
    const token = env.subgraph.services.modules.documents.signer.sign('EXCERPT', inn);
    env.emulator.injectFault({ fault: { kind: 'status', status: 500 }, methods: ['excerpt'], whenIdsInclude: [inn] });
    try {
      const answer = await download(env.subgraph.url, `/documents/${token}.pdf`);
      expect(answer.status).toBe(503);
      expect(answer.text).toMatch(/^VENDOR_UNAVAILABLE: /);
      expect(answer.text).not.toContain(TEST_FOCUS_KEY);
      expect(answer.text).not.toMatch(/https?:|\n\s+at /);
    } finally {
      env.emulator.clearFaults();
    }
  });

  it('document downloads are counted in the vendor metrics', async () => {
    const metrics = await (await fetch(`${env.subgraph.url}/metrics`)).text();
    expect(metrics).toMatch(/vendor_calls_total\{vendor="kontur-focus",method="excerpt",outcome="ok"\} \d+/);
    expect(metrics).toMatch(/cache_lookups_total\{method="excerpt",result="hit"\} \d+/);
    expect(metrics).not.toContain(INN);
  });
});

describe('documents: link expiry (controllable clock)', () => {
  let clock = Date.parse('2026-03-01T10:00:00Z');
  const env = withSubgraph({ now: () => clock });

  it('a link answers until DOCUMENT_URL_TTL (default 10m) has passed, then 410', async () => {
    const { data } = await env.subgraph.gql(`query ($inn: String!) { company(inn: $inn) { excerpt { url } } }`, { inn: INN });
    clock += 10 * 60_000 - 1;
    expect((await download(env.subgraph.url, data.company.excerpt.url)).status).toBe(200);
    clock += 1;
    env.emulator.resetCalls();
    const expired = await download(env.subgraph.url, data.company.excerpt.url);
    expect(expired.status).toBe(410);
    expect(expired.contentType).toMatch(/^text\/plain/);
    expect(env.emulator.calls).toHaveLength(0);
    // A tampered expired token is still a forgery: 403, not 410.
    expect((await download(env.subgraph.url, `/documents/${tamper(tokenOf(data.company.excerpt.url), 'signature')}.pdf`)).status).toBe(403);
  });

  it('cached bytes older than CACHE_TTL_DOCUMENTS (24h) are fetched again', async () => {
    const query = `query ($inn: String!) { company(inn: $inn) { excerpt { url fetchedAt } } }`;
    const { data } = await env.subgraph.gql(query, { inn: OTHER_INN });
    env.emulator.resetCalls();
    expect((await download(env.subgraph.url, data.company.excerpt.url)).status).toBe(200);
    expect(env.emulator.callsTo('excerpt')).toHaveLength(1);
    const fetched = (await env.subgraph.gql(query, { inn: OTHER_INN })).data.company.excerpt.fetchedAt;
    expect(fetched).toBe(new Date(clock).toISOString());

    clock += 24 * 3_600_000;
    const later = await env.subgraph.gql(query, { inn: OTHER_INN });
    expect(later.data.company.excerpt.fetchedAt).toBeNull();
    expect((await download(env.subgraph.url, later.data.company.excerpt.url)).status).toBe(200);
    expect(env.emulator.callsTo('excerpt')).toHaveLength(2);
  });
});

describe('documents: behind the router (ROUTER_SECRET) with PUBLIC_URL', () => {
  const env = withSubgraph({ env: { ROUTER_SECRET, PUBLIC_URL: 'https://counterparty.example.ru/' } });

  it('links are absolute under PUBLIC_URL, and the document route needs no router header', async () => {
    const denied = await env.subgraph.gql(`{ company(inn: "${INN}") { inn } }`, undefined, { 'router-authorization': '' });
    expect(denied.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const { data, errors } = await env.subgraph.gql(DOCUMENTS, { inn: INN }, { 'router-authorization': ROUTER_SECRET });
    expect(errors).toBeUndefined();
    expect(data.company.excerpt.url).toMatch(/^https:\/\/counterparty\.example\.ru\/documents\/[A-Za-z0-9_.-]+\.pdf$/);
    expect(JSON.stringify(data)).not.toContain(TEST_FOCUS_KEY);

    const answer = await download(env.subgraph.url, data.company.excerpt.url);
    expect(answer.status).toBe(200);
    expect(answer.body.subarray(0, 4).toString('latin1')).toBe('%PDF');
  });
});

describe('documents: cost estimate', () => {
  it('document links cost nothing; expressReport.url costs one briefReport call per 100 companies', () => {
    expect(estimate(`{ company(inn: "${INN}") { excerpt { url } financialAnalysis { url } expressReport { pdf { url } } } }`)).toBe(1);
    expect(estimate(`{ company(inn: "${INN}") { expressReport { green url } } }`)).toBe(2);
    const inns = JSON.stringify(legalEntityInns(150, 44));
    expect(estimate(`{ companies(inns: ${inns}) { expressReport { ...Link } } } fragment Link on ExpressReport { url }`)).toBe(4);
  });
});
