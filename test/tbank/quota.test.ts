import { describe, expect, it } from 'vitest';
import { withTbankSubgraph } from '../support/tbank.ts';

const CHECK = `query ($inn: String!) { company(inn: $inn) { shortName tbankCheck { status } } }`;

describe('T-Bank quota is spent only on someone who waits', () => {
  // One call per 4 s, and a wait budget long enough to queue behind it.
  const env = withTbankSubgraph({ tbank: { rateLimit: null }, env: { TBANK_RATE_LIMIT: '1/4s', TBANK_MAX_WAIT: '10s' } });

  it('a lookup whose only client hung up while it waited for the rate limiter is never sent', async () => {
    await env.subgraph.gql(CHECK, { inn: '7700000009' });
    expect(env.tbank.calls.map((call) => call.ids[0])).toEqual(['7700000009']);
    const client = new AbortController();
    const waiting = fetch(`${env.subgraph.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: CHECK, variables: { inn: '7700000016' } }),
      signal: client.signal,
    }).catch(() => 'hung up');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    client.abort();
    expect(await waiting).toBe('hung up');
    // Its token came up about 4 s after the first call: by then nobody wanted the answer.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect(env.tbank.calls.map((call) => call.ids[0])).toEqual(['7700000009']);
  }, 20_000);

  it('stateContracts failing (a bad argument) nulls only itself: the company and its other fields answer', async () => {
    const result = await env.subgraph.gql(
      `{ company(inn: "7700000009") { shortName tbankCheck { status } stateContracts(first: -1) { totalCount } } }`,
    );
    expect(result.data.company).toEqual({ shortName: expect.any(String), tbankCheck: { status: 'ACTIVE' }, stateContracts: null });
    expect(result.errors!.map((error) => [error.path, error.extensions!.code])).toEqual([
      [['company', 'stateContracts'], 'BAD_USER_INPUT'],
    ]);
  });
});
