import { describe, expect, it } from 'vitest';
import { legalEntityInns } from '../support/inns.ts';
import { withSubgraph } from '../support/subgraph.ts';

const HISTORY = /* GraphQL */ `
  query ($inn: String!) {
    company(inn: $inn) {
      history {
        names {
          shortName
          fullName
          since
          until
        }
        legalAddresses {
          address {
            oneLine
          }
          since
          until
        }
        heads {
          fio
          innfl
          position
          unreliable
          since
          until
        }
        kpps {
          kpp
          since
          until
        }
      }
    }
  }
`;

describe('Company.history and the registry marks', () => {
  const env = withSubgraph();

  it('СКБ Контур (a real captured req): former name, KPP and head with their periods, from req alone', async () => {
    env.emulator.resetCalls();
    const result = await env.subgraph.gql(HISTORY, { inn: '6663003127' });
    expect(result.errors).toBeUndefined();
    expect(result.data.company.history).toEqual({
      names: [
        {
          shortName: 'ЗАО "ПФ "СКБ Контур"',
          fullName: 'Закрытое акционерное общество "Производственная фирма "СКБ Контур"',
          since: '2006-03-28',
          until: '2017-06-21',
        },
      ],
      legalAddresses: [],
      heads: [
        {
          fio: 'Мраморов Дмитрий Михайлович',
          innfl: '744800102483',
          position: 'Генеральный Директор',
          unreliable: false,
          since: '2010-02-11',
          until: '2019-01-28',
        },
      ],
      kpps: [{ kpp: '667301001', since: '2005-07-29', until: null }],
    });
    expect(env.emulator.calls.map((call) => call.method)).toEqual(['req']);
  });

  it('Мотордеталь: a former address until the current record, two former heads in order', async () => {
    const result = await env.subgraph.gql(HISTORY, { inn: '4401006984' });
    const { history } = result.data.company;
    expect(history.legalAddresses).toEqual([
      {
        address: { oneLine: '156022, Костромская обл, Костромской, г Кострома, ул Московская, д 105' },
        since: '2002-07-04',
        until: '2016-02-17',
      },
    ]);
    expect(history.heads.map((head: any) => [head.fio, head.position, head.since, head.until])).toEqual([
      ['Михалев Михаил Михайлович', 'Генеральный директор', '2010-06-28', '2011-01-24'],
      ['Кубелун Валерий Янкелевич', 'Конкурсный управляющий', '2011-01-24', history.heads[1].until],
    ]);
  });

  it('former founders and stated capitals come from egrDetails, called only when selected', async () => {
    env.emulator.resetCalls();
    const result = await env.subgraph.gql(/* GraphQL */ `
      {
        kontur: company(inn: "6663003127") {
          history {
            statedCapitals {
              amount
              date
            }
          }
        }
        motor: company(inn: "4401006984") {
          history {
            founders {
              companies {
                name
                ogrn
              }
              persons {
                fio
              }
            }
          }
        }
      }
    `);
    expect(result.errors).toBeUndefined();
    expect(result.data.kontur.history.statedCapitals).toEqual([{ amount: 5465115, date: '2008-05-07' }]);
    expect(result.data.motor.history.founders.persons).toEqual([]);
    expect(result.data.motor.history.founders.companies.map((founder: any) => founder.ogrn)).toEqual([
      '1027739143497',
      '1027739329375',
      '1097799013256',
      '1044408623962',
    ]);
    expect(result.data.motor.history.founders.companies[0].name).toBe('Закрытое акционерное общество Депозитарно-Клиринговая Компания');
    // Both companies' req entries are cached by the tests above: egrDetails is the one call, for both INNs.
    expect(env.emulator.calls.map((call) => call.method)).toEqual(['egrDetails']);
    expect(env.emulator.calls[0]!.ids.sort()).toEqual(['4401006984', '6663003127']);
  });

  it('an address the registry marked unreliable: the mark, its date, and a red risk factor from the registry itself', async () => {
    const inn = legalEntityInns(38, 1)[37]!;
    expect(inn).toBe('7701000379');
    const result = await env.subgraph.gql(/* GraphQL */ `
      {
        company(inn: "${inn}") {
          legalAddress {
            unreliable
            unreliableSince
          }
          heads {
            unreliable
            unreliableSince
          }
          risk {
            factors {
              code
              severity
              source
              details {
                name
                value
              }
            }
          }
        }
      }
    `);
    expect(result.errors).toBeUndefined();
    const { company } = result.data;
    expect(company.legalAddress).toEqual({ unreliable: true, unreliableSince: '2009-08-03' });
    expect(company.heads).toEqual([{ unreliable: false, unreliableSince: null }]);
    expect(company.risk.factors.find((factor: any) => factor.code === 'UNRELIABLE_REGISTRY_DATA')).toEqual({
      code: 'UNRELIABLE_REGISTRY_DATA',
      severity: 'RED',
      source: 'STATUS',
      details: [
        { name: 'address', value: 'true' },
        { name: 'addressSince', value: '2009-08-03' },
      ],
    });
  });

  it('a clean company has no marks', async () => {
    const result = await env.subgraph.gql(
      '{ company(inn: "6663003127") { legalAddress { unreliable unreliableSince } heads { unreliable } } }',
    );
    expect(result.data.company).toEqual({ legalAddress: { unreliable: false, unreliableSince: null }, heads: [{ unreliable: false }] });
  });
});
