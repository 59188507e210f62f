import { describe, expect, it } from 'vitest';
import { withSubgraph } from '../support/subgraph.ts';

/** Synthetic emulator companies with each registry status (see src/modules/kontur-focus/emulator/synthetic.ts). */
describe('registry statuses and registrations through the graph', () => {
  const env = withSubgraph();

  it.each([
    ['7700000009', 'ACTIVE', true],
    ['7700000129', 'REORGANIZING', true],
    ['7700000016', 'LIQUIDATING', false],
    ['7700000376', 'BANKRUPT', false],
    ['6600000074', 'LIQUIDATED', false],
  ])('%s is %s', async (inn, code, isActive) => {
    const result = await env.subgraph.gql(`{ company(inn: "${inn}") { status { code isActive } } }`);
    expect(result.data.company.status).toEqual({ code, isActive });
  });

  it('a sole proprietor with two registrations answers with the active one and lists both', async () => {
    const result = await env.subgraph.gql(`{ company(inn: "770000000156") {
      kind ogrn shortName status { code }
      registrations { ogrn kind status { code } isCurrent }
    } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.company).toEqual({
      kind: 'SOLE_PROPRIETOR',
      ogrn: '310774600000119',
      shortName: 'ИП Гусев Юрий Владимирович',
      status: { code: 'ACTIVE' },
      registrations: [
        { ogrn: '306774600000105', kind: 'SOLE_PROPRIETOR', status: { code: 'LIQUIDATED' }, isCurrent: false },
        { ogrn: '310774600000119', kind: 'SOLE_PROPRIETOR', status: { code: 'ACTIVE' }, isCurrent: true },
      ],
    });
  });

  it('a sole proprietor shows the region the registry publishes, and no address', async () => {
    const result = await env.subgraph.gql(`{ company(inn: "366512608416") { kind region legalAddress { oneLine } heads { fio } } }`);
    expect(result.data.company).toEqual({ kind: 'SOLE_PROPRIETOR', region: 'Воронежская обл', legalAddress: null, heads: [] });
  });
});
