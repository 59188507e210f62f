import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fixturesDir } from '../../src/paths.ts';
import { FOCUS_BATCH_METHODS, type FocusBatchMethod } from '../../src/modules/kontur-focus/vendor/methods.ts';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { EVERY_COMPANY_FIELD } from '../support/queries.ts';
import { startEmulator, startSubgraph, type TestSubgraph } from '../support/subgraph.ts';

/** Every captured response file for the methods the core graph reads, with its method. */
function fixtureFiles(): Array<{ file: string; method: FocusBatchMethod }> {
  const files: Array<{ file: string; method: FocusBatchMethod }> = [];
  for (const folder of ['kontur-focus', 'kontur-focus-2018', 'kontur-focus-2022']) {
    for (const name of fs.readdirSync(path.join(fixturesDir, folder)).sort()) {
      const method =
        folder === 'kontur-focus-2022'
          ? name.includes('egrDetails')
            ? 'egrDetails'
            : name.includes('license')
              ? 'licences'
              : 'req'
          : (name.split('.').at(-2) as string);
      if (method in FOCUS_BATCH_METHODS) files.push({ file: path.join(folder, name), method: method as FocusBatchMethod });
    }
  }
  return files;
}

const readRecords = (file: string) => JSON.parse(fs.readFileSync(path.join(fixturesDir, file), 'utf8')) as Array<{ inn: string }>;

describe('real Kontur.Focus responses', () => {
  const files = fixtureFiles();
  let emulator: FocusEmulator;
  let subgraph: TestSubgraph;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await subgraph?.close();
    await emulator.close();
  });

  it('covers the 115 captured files of req, egrDetails, analytics, licences, buh and contacts', () => {
    expect(files).toHaveLength(115);
  });

  it.each(files)('$file parses with the zod schema', ({ file, method }) => {
    const parsed = z.array(FOCUS_BATCH_METHODS[method]).safeParse(readRecords(file));
    expect(parsed.success).toBe(true);
  });

  const served = [...new Set(files.filter((f) => f.file.startsWith('kontur-focus/')).map((f) => path.basename(f.file).split('.')[0]!))];

  it.each(served)('company %s (2020 capture) resolves every field without errors', async (inn) => {
    subgraph ??= await startSubgraph({ emulator });
    const result = await subgraph.gql(`query ($inn: String!) { company(inn: $inn) { ${EVERY_COMPANY_FIELD} } }`, { inn });
    expect(result.errors).toBeUndefined();
    expect(result.data.company.inn).toBe(inn);
  });

  it.each(files.filter((f) => !f.file.startsWith('kontur-focus/')))(
    '$file (older capture) resolves through the graph',
    async ({ file, method }) => {
      const records = readRecords(file);
      const byInn = new Map<string, typeof records>();
      for (const record of records) byInn.set(record.inn, [...(byInn.get(record.inn) ?? []), record]);
      // A fresh subgraph per file: the older shape must be what is read, not a cached newer one.
      const isolated = await startSubgraph({ emulator });
      try {
        for (const [inn, ownRecords] of byInn) {
          emulator.setRecords(method, inn, ownRecords);
          const result = await isolated.gql(`query ($inn: String!) { company(inn: $inn) { ${EVERY_COMPANY_FIELD} } }`, { inn });
          expect(result.errors).toBeUndefined();
          expect(result.data.company.inn).toBe(inn);
        }
      } finally {
        for (const inn of byInn.keys()) emulator.setRecords(method, inn, readRecords(`kontur-focus/${inn}.${method}.json`));
        await isolated.close();
      }
    },
  );

  it('4401006984 (ОАО «Мотордеталь», bankrupt and dissolved in 2016) is LIQUIDATED', async () => {
    subgraph ??= await startSubgraph({ emulator });
    const result = await subgraph.gql(`{ company(inn: "4401006984") { status { code isActive date } dissolutionDate } }`);
    expect(result.data.company).toEqual({
      status: { code: 'LIQUIDATED', isActive: false, date: '2016-08-25' },
      dissolutionDate: '2016-08-25',
    });
  });

  it('6663003127 (АО «ПФ «СКБ Контур») comes with its head, address and principal OKVED 62.01', async () => {
    subgraph ??= await startSubgraph({ emulator });
    const result = await subgraph.gql(`{ company(inn: "6663003127") {
      kind shortName status { code isActive }
      heads { fio position }
      legalAddress { oneLine zipCode regionCode region city street house }
      activities { code isPrincipal okvedVersion }
    } }`);
    expect(result.errors).toBeUndefined();
    const company = result.data.company;
    expect(company.kind).toBe('LEGAL_ENTITY');
    expect(company.shortName).toBe('АО "ПФ "СКБ Контур"');
    expect(company.status).toEqual({ code: 'ACTIVE', isActive: true });
    expect(company.heads).toEqual([{ fio: 'Филатов Евгений Юрьевич', position: 'Генеральный Директор' }]);
    expect(company.legalAddress).toEqual({
      oneLine: '620017, Свердловская обл, г Екатеринбург, пр-кт Космонавтов, д 56',
      zipCode: '620017',
      regionCode: '66',
      region: 'Свердловская обл',
      city: 'г Екатеринбург',
      street: 'пр-кт Космонавтов',
      house: '56',
    });
    expect(company.activities[0]).toEqual({ code: '62.01', isPrincipal: true, okvedVersion: '2' });
  });

  it('7736050003 has two registrations; the company answers with the live one', async () => {
    subgraph ??= await startSubgraph({ emulator });
    const result = await subgraph.gql(
      `{ company(inn: "7736050003") { ogrn status { code } registrations { ogrn isCurrent status { code } } } }`,
    );
    expect(result.data.company.ogrn).toBe('1027700070518');
    expect(result.data.company.status.code).toBe('ACTIVE');
    expect(result.data.company.registrations).toEqual([
      { ogrn: '1027700070518', isCurrent: true, status: { code: 'ACTIVE' } },
      { ogrn: '1061515009555', isCurrent: false, status: { code: 'LIQUIDATED' } },
    ]);
  });

  it('7708503727 (ОАО «РЖД») keeps all 70 branches, 17 of them abroad', async () => {
    subgraph ??= await startSubgraph({ emulator });
    const result = await subgraph.gql(`{ company(inn: "7708503727") { branches { address { oneLine } foreignAddress } } }`);
    const branches = result.data.company.branches as Array<{ address: unknown; foreignAddress: string | null }>;
    expect(branches).toHaveLength(70);
    expect(branches.filter((branch) => branch.foreignAddress !== null)).toHaveLength(17);
  });

  it('6663003127 financials for 2018 read revenue, net profit and balance by line code, in roubles', async () => {
    subgraph ??= await startSubgraph({ emulator });
    const result = await subgraph.gql(`{ company(inn: "6663003127") {
      financials { year organizationType revenue netProfit balance }
      statedCapital { amount date }
      taxAuthority { code }
      analytics { defendantCases12m defendantClaimsAmount12m massRegistrationAddress }
    } }`);
    const year2018 = result.data.company.financials.find((year: { year: number }) => year.year === 2018);
    expect(year2018).toEqual({ year: 2018, organizationType: 'Large', revenue: 12775966000, netProfit: 794775000, balance: 4396705000 });
    expect(result.data.company.statedCapital).toEqual({ amount: 5654097, date: '2018-01-12' });
    expect(result.data.company.taxAuthority).toEqual({ code: '6686' });
    expect(result.data.company.analytics).toEqual({
      defendantCases12m: 13,
      defendantClaimsAmount12m: 754354.22,
      massRegistrationAddress: false,
    });
  });

  it('5053051872 registered its activities in OKVED1 (no okvedVersion): principal 33.1 and 14 complementary', async () => {
    subgraph ??= await startSubgraph({ emulator });
    const result = await subgraph.gql(`{ company(inn: "5053051872") { activities { code okvedVersion isPrincipal } } }`);
    const activities = result.data.company.activities as Array<{ code: string; okvedVersion: string; isPrincipal: boolean }>;
    expect(activities[0]).toEqual({ code: '33.1', okvedVersion: '1', isPrincipal: true });
    expect(activities.filter((activity) => !activity.isPrincipal)).toHaveLength(14);
  });
});
