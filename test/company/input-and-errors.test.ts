import { describe, expect, it } from 'vitest';
import { legalEntityInns } from '../support/inns.ts';
import { startEmulator, startSubgraph, withSubgraph } from '../support/subgraph.ts';

describe('input validation: nothing invalid reaches a paid call', () => {
  const env = withSubgraph();

  it('a checksum-bad INN is BAD_USER_INPUT naming it, with 0 vendor calls', async () => {
    env.emulator.resetCalls();
    const result = await env.subgraph.gql(`{ company(inn: "7707083890") { shortName } }`);
    expect(result.data).toEqual({ company: null });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0]!.message).toBe('Invalid INN in "inn": "7707083890" (check digit does not match)');
    expect(env.emulator.calls).toHaveLength(0);
  });

  it('malformed INNs in a list give one error naming all of them, and no call even for the valid ones', async () => {
    env.emulator.resetCalls();
    const [valid] = legalEntityInns(1, 21);
    const result = await env.subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { inn } }`, {
      inns: [valid, '12345', 'abcdefghij', '7707083890'],
    });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', invalid: ['12345', 'abcdefghij', '7707083890'] });
    expect(env.emulator.calls).toHaveLength(0);
  });

  it('more than 1000 INNs is BAD_USER_INPUT', async () => {
    env.emulator.resetCalls();
    const inns = legalEntityInns(1001, 22);
    const result = await env.subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { inn } }`, { inns });
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 1000, given: 1001 });
    expect(env.emulator.calls).toHaveLength(0);
  });

  it('company() needs exactly one of inn and ogrn', async () => {
    const none = await env.subgraph.gql(`{ company { inn } }`);
    const both = await env.subgraph.gql(`{ company(inn: "6663003127", ogrn: "1026605606620") { inn } }`);
    expect(none.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(both.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(both.errors![0]!.message).toBe('Give exactly one of "inn" or "ogrn"');
  });

  it('a bad OGRN is BAD_USER_INPUT; a good one resolves to its company', async () => {
    env.emulator.resetCalls();
    const bad = await env.subgraph.gql(`{ company(ogrn: "1026605606621") { inn } }`);
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(env.emulator.calls).toHaveLength(0);
    const good = await env.subgraph.gql(`{ company(ogrn: "1026605606620") { inn ogrn shortName } }`);
    expect(good.errors).toBeUndefined();
    expect(good.data.company).toEqual({ inn: '6663003127', ogrn: '1026605606620', shortName: 'АО "ПФ "СКБ Контур"' });
  });

  it('an invalid INN in an _entities representation is BAD_USER_INPUT with no call', async () => {
    env.emulator.resetCalls();
    const result = await env.subgraph.gql(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Company { inn } } }`, {
      r: [{ __typename: 'Company', inn: '123' }],
    });
    expect(result.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(env.emulator.calls).toHaveLength(0);
  });
});

describe('vendor errors', () => {
  it('a rejected key is VENDOR_AUTH_FAILED, and the key is in no response and no log line', async () => {
    const emulator = await startEmulator();
    const wrongKey = 'wrong-secret-key-7f3a9c21';
    const subgraph = await startSubgraph({ emulator, env: { FOCUS_API_KEY: wrongKey } });
    try {
      const [inn] = legalEntityInns(1, 23);
      const response = await fetch(`${subgraph.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ company(inn: "${inn}") { shortName } }` }),
      });
      const text = await response.text();
      const result = JSON.parse(text);
      expect(result.errors[0].extensions.code).toBe('VENDOR_AUTH_FAILED');
      expect(result.errors[0].message).toBe('Kontur.Focus rejected the API key (HTTP 403); check FOCUS_API_KEY');
      expect(text).not.toContain(wrongKey);
      expect(subgraph.logs.length).toBeGreaterThan(0);
      expect(subgraph.logs.join('\n')).not.toContain(wrongKey);
      expect(emulator.calls).toHaveLength(1);
    } finally {
      await subgraph.close();
      await emulator.close();
    }
  });

  it('when the vendor is unreachable the affected companies fail with VENDOR_UNAVAILABLE and the operation still answers', async () => {
    const emulator = await startEmulator();
    const deadUrl = emulator.url;
    await emulator.close();
    const subgraph = await startSubgraph({ emulator: { ...emulator, url: deadUrl }, env: { FOCUS_RETRIES: '1' } });
    try {
      const inns = legalEntityInns(2, 24);
      const result = await subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { inn } }`, { inns });
      expect(result.data.companies).toEqual([null, null]);
      expect(result.errors!.map((error) => error.extensions!.code)).toEqual(['VENDOR_UNAVAILABLE', 'VENDOR_UNAVAILABLE']);
      expect(result.errors!.map((error) => error.path)).toEqual([
        ['companies', 0],
        ['companies', 1],
      ]);
    } finally {
      await subgraph.close();
    }
  });
});
