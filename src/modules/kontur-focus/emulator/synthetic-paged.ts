/**
 * Synthetic answers of the paged Kontur.Focus methods: /fssp (enforcement proceedings), /govPurchasesOfParticipant
 * and /govPurchasesOfCustomer (public procurement), for checksum-valid INNs that are not among the captured fixtures.
 *
 * Rules:
 * - How many items an INN has, per method (the same INN may have a different count in each method):
 *   - digits 3–5 of the INN (inn.slice(2, 5)) are "250" → exactly 2,500 items in EACH paged method (3 pages:
 *     1000 + 1000 + 500), e.g. 7725000000, 6625000005, 5025000019, and the IP 772500000006;
 *   - digits 3–5 are "120" → exactly 1,200 items (1000 + 200), e.g. 7712000003, 6612000008, 5412000009;
 *   - any other INN: a small deterministic count — fssp: 45 % of legal entities have 1–40, 30 % of sole
 *     proprietors 1–20; govPurchasesOfParticipant: 40 % (IP 20 %) have 1–30; govPurchasesOfCustomer: 30 % (IP 5 %)
 *     have 1–30; the rest have none.
 *   INNs starting with "00" are unknown (no records at all), as in every synthetic method.
 * - The items belong to the INN's current registration (the newest one); a sole proprietor's older, dissolved
 *   registration answers an empty list. Pages are slices of one fixed list: page `skip` holds items
 *   [skip, skip + 1000), so a page past the end is an empty list, and paging never repeats or loses an item.
 * - Lists are sorted newest first (fssp by startDate, purchases by publicationDate), as every captured page is.
 *   fssp officialNum values are unique within an INN; purchases are unique by purchaseNumber + contractNumber.
 * - fssp: legal entities always carry `updateDate` (even with no proceedings); sole proprietors only when they
 *   have proceedings. Legal-entity items have executoryDocumentNumber and bailiffDepartmentAddress; sole-proprietor
 *   items never do (the address is glued into bailiffDepartment, the document text is long) and often lack `sum`.
 *   About 18 % of topics are "" (as 238 of 1335 captured ones), some items are returnedToClaimer or
 *   cancelledBecauseOfDissolvement with a cancelDate.
 * - Purchases follow the captured shapes: Fz94 before 2014, Fz44 after, Fz223 from 2012 (mostly without a contract
 *   block); contract-only items without purchaseNumber; a few "R…" numbers whose startPrice has no currencyCode;
 *   contractStage "executionСompleted" spelt with a CYRILLIC С (U+0421), as the live API does; joint Fz223
 *   purchases with 2–3 customers; participants with and without inn; isWinner/hasContract/isNotAdmitted only when
 *   true; purchaseObjects with okdps/okpds/okpd2s (usually []) and, from 2019, ktrus.
 * - Counterparties come from deterministic pools of checksum-valid synthetic INNs seeded by the owner's INN: 500
 *   suppliers (85 % legal entities, 70 % from the owner's region) and 20–60 customers. So one page of 1000
 *   purchases names a few hundred DISTINCT participant companies, and every pool INN resolves through the
 *   synthetic /req to a company whose name is the one the purchase prints.
 */
import { innCheckDigits } from '../../../domain/identifiers.ts';
import type { FocusRecord } from './fixtures.ts';
import {
  DATA_DATE,
  STREETS,
  SYNTHETIC_REGION_CODES,
  addDays,
  dateBetween,
  earlier,
  fnv1a,
  later,
  regionFor,
  rngFor,
  sparse,
  syntheticRegistrationByOgrn,
  syntheticRegistrations,
  toDays,
  type Region,
  type Registration,
  type Rng,
} from './synthetic.ts';

export const PAGE_SIZE = 1000;

/** Paged method → the payload key of its records (no "gov" in the purchase keys). */
export const PAGED_PAYLOAD_KEYS = {
  fssp: 'fssp',
  govPurchasesOfParticipant: 'purchasesOfParticipant',
  govPurchasesOfCustomer: 'purchasesOfCustomer',
} as const;

export type PagedMethod = keyof typeof PAGED_PAYLOAD_KEYS;

export const isPagedMethod = (method: string): method is PagedMethod => Object.hasOwn(PAGED_PAYLOAD_KEYS, method);

type Item = Record<string, unknown>;

// ─── Counts ─────────────────────────────────────────────────────────────────────────────────────

/** The marker digits 3–5 that force a large list (see the header). */
export const LARGE_LIST_MARKERS: Readonly<Record<string, number>> = { '250': 2500, '120': 1200 };

/** How many items a synthetic INN has in a paged method (0 for INNs the registry does not know). */
export function syntheticItemCount(method: PagedMethod, inn: string): number {
  if (syntheticRegistrations(inn).length === 0) return 0;
  const forced = LARGE_LIST_MARKERS[inn.slice(2, 5)];
  if (forced !== undefined) return forced;
  const rng = rngFor(inn, `${method}/count`);
  const ip = inn.length === 12;
  switch (method) {
    case 'fssp':
      return rng.chance(ip ? 0.3 : 0.45) ? rng.int(1, ip ? 20 : 40) : 0;
    case 'govPurchasesOfParticipant':
      return rng.chance(ip ? 0.2 : 0.4) ? rng.int(1, 30) : 0;
    case 'govPurchasesOfCustomer':
      return rng.chance(ip ? 0.05 : 0.3) ? rng.int(1, 30) : 0;
  }
}

/** When the proceedings data of an INN was last refreshed: one of the ten days before DATA_DATE. */
export function fsspUpdateDate(inn: string): string {
  return addDays(DATA_DATE, -(fnv1a(`${inn}/fssp/updateDate`) % 10));
}

// ─── Shared helpers ─────────────────────────────────────────────────────────────────────────────

const dmy = (iso: string): string => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

/** `count` dates in [from, to], newest first. */
function datesNewestFirst(rng: Rng, count: number, from: string, to: string): string[] {
  return Array.from({ length: count }, () => dateBetween(rng, from, to)).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
}

/** The window a registration's items fall in: the last 3 (long lists) or 8 years of its life. */
function activeWindow(registration: Registration, count: number, lastDay: string): [string, string] {
  const end =
    registration.status === 'dissolved' && registration.statusDate ? earlier(addDays(registration.statusDate, 365), lastDay) : lastDay;
  const start = later(registration.ogrnDate, addDays(end, -(count > 100 ? 3 : 8) * 365));
  return [earlier(start, end), end];
}

/** A bijection of 0…modulus-1 (7919 is prime and divides no modulus used here): unique serials per item index. */
const serial = (index: number, salt: number, modulus: number, width: number): string =>
  String((index * 7919 + salt) % modulus).padStart(width, '0');

function cityOf(region: Region): string {
  return region.capital ?? region.name.topoValue;
}

function zipIn(rng: Rng, region: Region): string {
  return rng.pick(region.zips) + String(rng.int(1, 199)).padStart(3, '0');
}

/** A registration's printed name as counterparties appear in procurement records (a fixed style per INN). */
export function partyName(registration: Registration): string {
  const style = fnv1a(`${registration.inn}/partyName`) % 4;
  if (registration.ul) {
    const { form, name } = registration.ul;
    const bare = name.replace(/^"|"$/g, '');
    if (style === 0) return `${form.short} «${bare}»`;
    if (style === 1) return `${form.short} ${name}`.toUpperCase();
    if (style === 2) return `${form.full} «${bare}»`;
    return `${form.short} ${name}`;
  }
  const fio = registration.ip?.person.fio ?? '';
  return style === 1 ? `ИП ${fio}` : fio;
}

const currentRegistration = (inn: string): Registration | undefined => syntheticRegistrations(inn).at(-1);

/**
 * `size` distinct checksum-valid INNs, seeded by the owner: 70 % share the owner's region, `ipShare` are 12-digit
 * (sole proprietors). None starts with "00", so every one resolves to a synthetic company.
 */
function innPool(owner: string, purpose: string, size: number, ipShare: number): string[] {
  const rng = rngFor(owner, `pool/${purpose}`);
  const home = owner.slice(0, 2);
  const pool = new Set<string>();
  while (pool.size < size) {
    const region = rng.chance(0.7) ? home : rng.pick(SYNTHETIC_REGION_CODES);
    const prefix = region + rng.digits(rng.chance(ipShare) ? 8 : 7);
    const inn = prefix + innCheckDigits(prefix);
    if (inn !== owner) pool.add(inn);
  }
  return [...pool];
}

// ─── /fssp ──────────────────────────────────────────────────────────────────────────────────────

interface Department {
  code: string;
  name: string;
  address: string;
}

const DISTRICTS = ['Ленинский', 'Центральный', 'Советский', 'Октябрьский', 'Кировский', 'Железнодорожный', 'Заводской'];

function departments(rng: Rng, registration: Registration, count: number): Department[] {
  const wanted = count > 100 ? rng.int(5, 8) : rng.int(1, 3);
  const out: Department[] = [];
  const codes = new Set<string>();
  while (out.length < wanted) {
    const region = out.length === 0 || rng.chance(0.6) ? registration.region : regionFor(rng.pick(SYNTHETIC_REGION_CODES));
    const code = `${region.code}${String(rng.int(1, 80)).padStart(3, '0')}`;
    if (codes.has(code)) continue;
    codes.add(code);
    const city = cityOf(region);
    const district = rng.pick(DISTRICTS);
    const name = rng.pick([
      `${district} РОСП г. ${city}`,
      `ОСП по ${district.replace(/ий$/, 'ому').replace(/ый$/, 'ому')} району г. ${city}`,
      'МСОСП по ОВИП',
      `Межрайонный ОСП по ИОИП по ${region.po}`,
    ]);
    const street = rng.pick(STREETS);
    const regionLabel = region.capital ? `${region.name.topoValue} ${region.name.topoShortName}.` : 'Россия';
    const address = `${zipIn(rng, region)}, ${regionLabel}, г. ${city}, ${street.topoShortName}. ${street.topoValue}, д. ${rng.int(1, 120)}`;
    out.push({ code, name, address });
  }
  return out;
}

interface ClaimKind {
  document: string;
  weight: number;
  topics: readonly string[];
  sum: readonly [number, number];
}

const CLAIM_KINDS: readonly ClaimKind[] = [
  {
    document: 'Исполнительный лист',
    weight: 60,
    topics: [
      'Госпошлина, присужденная судом',
      'Иные взыскания имущественного характера не в бюджеты РФ',
      'Задолженность',
      'Моральный вред как самостоятельное требование',
      'Периодические платежи (кроме алиментных платежей)',
      'Иные взыскания имущественного характера в пользу бюджетов Российской Федерации',
      'Задолженность по платежам за газ, тепло и электроэнергию',
      'Оплата труда и иные выплаты по трудовым правоотношениям',
      'Обеспечительная мера неимущественного характера',
    ],
    sum: [2_000, 3_000_000],
  },
  {
    document: 'Акт по делу об административном правонарушении',
    weight: 20,
    topics: [
      'Штраф ГИБДД',
      'Штраф как вид наказания по делам об АП, назначенный судом (за исключением дел по протоколам ФССП)',
      'Штраф по постановлению должностного лица ФССП России',
      'Штраф иного органа',
    ],
    sum: [500, 300_000],
  },
  { document: 'Постановление судебного пристава-исполнителя', weight: 13, topics: ['Исполнительский сбор'], sum: [1_000, 200_000] },
  {
    document: 'Акт органа, осуществляющего контрольные функции',
    weight: 5,
    topics: ['Взыскание налогов и сборов, включая пени', 'Страховые взносы, включая пени'],
    sum: [1_000, 500_000],
  },
  {
    document: 'Судебный приказ',
    weight: 2,
    topics: ['Задолженность', 'Задолженность по платежам за жилую площадь, коммунальные платежи, включая пени'],
    sum: [1_000, 100_000],
  },
];
const CLAIM_WEIGHT = CLAIM_KINDS.reduce((total, kind) => total + kind.weight, 0);

function pickClaim(rng: Rng): ClaimKind {
  let roll = rng.float() * CLAIM_WEIGHT;
  for (const kind of CLAIM_KINDS) {
    roll -= kind.weight;
    if (roll < 0) return kind;
  }
  return CLAIM_KINDS[0]!;
}

function documentNumber(
  rng: Rng,
  kind: ClaimKind,
  topic: string,
  department: Department,
  registration: Registration,
  date: string,
): string {
  switch (kind.document) {
    case 'Исполнительный лист':
      return rng.chance(0.7) ? `ФС ${rng.digits(9)}` : `2-${rng.int(1, 9999)}/${date.slice(0, 4)}`;
    case 'Акт по делу об административном правонарушении':
      return topic === 'Штраф ГИБДД' ? `18810${rng.digits(15)}` : `5-${rng.int(1, 2999)}/${date.slice(0, 4)}`;
    case 'Постановление судебного пристава-исполнителя':
      return `${department.code}/${date.slice(2, 4)}/${rng.int(10_000, 1_999_999)}`;
    case 'Акт органа, осуществляющего контрольные функции':
      return `${registration.localTax.code}${rng.digits(7)}`;
    default:
      return `2-${rng.int(1, 4999)}/${date.slice(0, 4)}`;
  }
}

/** Who issued the document, as sole-proprietor items print it after the number. */
function issuer(rng: Rng, kind: ClaimKind, department: Department, registration: Registration): string {
  const city = cityOf(registration.region);
  switch (kind.document) {
    case 'Исполнительный лист':
      return `${rng.pick(DISTRICTS)} Районный Суд г. ${city}`;
    case 'Акт по делу об административном правонарушении':
      return `Цафап Одд Гибдд Мвд по ${registration.region.po}`;
    case 'Постановление судебного пристава-исполнителя':
      return `Постановление о взыскании исполнительского сбора ${department.name}`;
    case 'Акт органа, осуществляющего контрольные функции':
      return registration.localTax.name;
    default:
      return `Мировой Судья Судебного Участка № ${rng.int(1, 12)} г. ${city}`;
  }
}

/** "РОССИЯ,450077, , ,УФА Г, ,ЛЕНИНА УЛ,12,," — the bailiffs' upper-case comma layout. */
function debtorAddressUL(registration: Registration): string {
  const parsed = registration.ul?.address.parsedAddressRF ?? {};
  const topoValue = (key: string): string => ((parsed[key] as { topoValue?: string } | undefined)?.topoValue ?? '').toUpperCase();
  const street = parsed.street as { topoValue: string; topoShortName: string } | undefined;
  const streetPart = street ? `${street.topoValue} ${street.topoShortName}`.toUpperCase() : '';
  const head = registration.region.capital ? `, ,${topoValue('city')} Г, ` : `Г. ${topoValue('regionName')} , , , `;
  return `РОССИЯ,${typeof parsed.zipCode === 'string' ? parsed.zipCode : ''},${head},${streetPart},${topoValue('house')},,`;
}

function fsspItems(registration: Registration, count: number): Item[] {
  if (count === 0) return [];
  const rng = rngFor(registration.inn, `fssp/${registration.index}`);
  const updateDate = fsspUpdateDate(registration.inn);
  const [from, to] = activeWindow(registration, count, updateDate);
  const dates = datesNewestFirst(rng, count, from, to);
  const depts = departments(rng, registration, count);
  const aggregates = Array.from({ length: rng.int(1, 3) }, () => {
    const dept = rng.pick(depts);
    return `${rng.int(1_000, 99_999)}/${from.slice(2, 4)}/${dept.code}-СД`;
  });
  const ul = registration.ul;
  const debtorName = ul ? `${ul.form.short} ${ul.name}` : (registration.ip?.person.fio ?? '');
  const debtorCity = cityOf(registration.region);
  const dissolved = registration.status === 'dissolved';
  return dates.map((startDate, index) => {
    const kind = pickClaim(rng);
    const dept = rng.chance(0.6) ? depts[0]! : rng.pick(depts);
    const topicRoll = rng.float();
    const topic = topicRoll < (ul ? 0.18 : 0.05) ? '' : topicRoll < (ul ? 0.19 : 0.12) ? undefined : rng.pick(kind.topics);
    const documentDate = addDays(startDate, -rng.int(3, 240));
    const number = documentNumber(rng, kind, topic ?? '', dept, registration, documentDate);
    const sumRoll = rng.float();
    const sum = sumRoll < (ul ? 0.03 : 0.5) ? undefined : sumRoll < (ul ? 0.04 : 0.51) ? 0 : rng.money(kind.sum[0], kind.sum[1]);
    let flag: 'returnedToClaimer' | 'cancelledBecauseOfDissolvement' | undefined;
    if (toDays(updateDate) - toDays(startDate) > 30) {
      const roll = rng.float();
      if (roll < (dissolved ? 0.05 : 0.002)) flag = 'cancelledBecauseOfDissolvement';
      else if (roll < 0.04) flag = 'returnedToClaimer';
    }
    const cancelDate = flag ? dateBetween(rng, addDays(startDate, 10), earlier(addDays(startDate, 400), updateDate)) : undefined;
    const officialNum = `${serial(index, 4_711, 900_000, 1)}/${startDate.slice(2, 4)}/${dept.code}-ИП`;
    const officialAggregatedNum = rng.chance(0.18) ? rng.pick(aggregates) : undefined;
    const junkAddress = rng.chance(0.005);
    if (ul) {
      return sparse({
        officialNum,
        officialAggregatedNum,
        startDate,
        sum,
        topic,
        executoryDocument: kind.document,
        executoryDocumentNumber: number,
        executoryDocumentDate: documentDate,
        debtorName: rng.chance(0.85) ? debtorName.toUpperCase() : debtorName,
        debtorAddress: junkAddress ? '643' : debtorAddressUL(registration),
        returnedToClaimer: flag === 'returnedToClaimer',
        cancelledBecauseOfDissolvement: flag === 'cancelledBecauseOfDissolvement',
        cancelDate,
        bailiffDepartment: dept.name,
        bailiffDepartmentAddress: dept.address,
      });
    }
    // Sole proprietors' items are poorer: no document number or department address, the rest glued into text.
    return sparse({
      officialNum,
      officialAggregatedNum,
      startDate,
      sum,
      topic,
      executoryDocument: `${kind.document} от ${dmy(documentDate)} № ${number} ${issuer(rng, kind, dept, registration)}`,
      executoryDocumentDate: documentDate,
      debtorName,
      debtorAddress: junkAddress ? '643' : rng.chance(0.5) ? `Россия, г ${debtorCity}` : `г. ${debtorCity}`,
      returnedToClaimer: flag === 'returnedToClaimer',
      cancelledBecauseOfDissolvement: flag === 'cancelledBecauseOfDissolvement',
      cancelDate,
      bailiffDepartment: `${dept.name} ${dept.address}`,
    });
  });
}

// ─── /govPurchasesOf* ───────────────────────────────────────────────────────────────────────────

type Code = readonly [code: string, name: string];

interface Good {
  topic: string;
  object: string;
  okpd2: Code;
  /** The pre-2016 OKPD (ОК 034-2007) code. */
  okpd: Code;
  /** The pre-2014 OKDP code. */
  okdp: Code;
}

const GOODS: readonly Good[] = [
  {
    topic: 'Поставка бумаги для офисной техники',
    object: 'Бумага для офисной техники',
    okpd2: ['17.12.14.129', 'Бумага прочая для печати и письма'],
    okpd: ['21.12.14.119', 'Бумага прочая'],
    okdp: ['2112020', 'Бумага для печати'],
  },
  {
    topic: 'Предоставление неисключительных прав на использование программного обеспечения',
    object: 'Неисключительная лицензия на программу для ЭВМ',
    okpd2: ['58.29.50.000', 'Услуги по предоставлению лицензий на право использовать компьютерное программное обеспечение'],
    okpd: ['72.20.11.000', 'Услуги по разработке программного обеспечения'],
    okdp: ['7220000', 'Услуги по программному обеспечению'],
  },
  {
    topic: 'Оказание услуг местной телефонной связи',
    object: 'Услуги местной телефонной связи',
    okpd2: ['61.10.11.110', 'Услуги местной телефонной связи'],
    okpd: ['64.20.11.110', 'Услуги местной телефонной связи'],
    okdp: ['6420010', 'Услуги телефонной связи'],
  },
  {
    topic: 'Поставка тепловой энергии в горячей воде',
    object: 'Тепловая энергия',
    okpd2: ['35.30.11.111', 'Энергия тепловая, отпущенная тепловыми электростанциями'],
    okpd: ['40.30.14.120', 'Энергия тепловая, отпущенная котельными'],
    okdp: ['4030000', 'Пар и горячая вода'],
  },
  {
    topic: 'Отпуск питьевой воды и прием сточных вод',
    object: 'Питьевая вода',
    okpd2: ['36.00.20.130', 'Услуги по распределению воды прочими потребителям'],
    okpd: ['41.00.20.110', 'Услуги по забору и подготовке воды'],
    okdp: ['4100000', 'Вода собранная и очищенная'],
  },
  {
    topic: 'Оказание услуг по уборке помещений',
    object: 'Услуги по уборке помещений',
    okpd2: ['81.21.10.000', 'Услуги по общей уборке зданий'],
    okpd: ['74.70.13.000', 'Услуги по уборке помещений'],
    okdp: ['7493000', 'Услуги по чистке и уборке'],
  },
  {
    topic: 'Оказание услуг по охране объектов',
    object: 'Услуги охраны',
    okpd2: ['80.10.12.000', 'Услуги охраны'],
    okpd: ['74.60.14.000', 'Услуги по охране'],
    okdp: ['7492000', 'Услуги по расследованию и обеспечению безопасности'],
  },
  {
    topic: 'Выполнение работ по текущему ремонту помещений',
    object: 'Работы по текущему ремонту',
    okpd2: ['43.39.19.190', 'Работы завершающие и отделочные в зданиях и сооружениях, прочие, не включенные в другие группировки'],
    okpd: ['45.44.21.000', 'Работы малярные'],
    okdp: ['4540000', 'Работы отделочные'],
  },
  {
    topic: 'Поставка бензина автомобильного',
    object: 'Бензин автомобильный АИ-92',
    okpd2: ['19.20.21.100', 'Бензин автомобильный'],
    okpd: ['23.20.11.110', 'Бензин автомобильный'],
    okdp: ['2320000', 'Нефтепродукты'],
  },
  {
    topic: 'Поставка лекарственных препаратов',
    object: 'Лекарственный препарат',
    okpd2: ['21.20.10.190', 'Препараты лекарственные прочие, не включенные в другие группировки'],
    okpd: ['24.42.13.000', 'Лекарственные средства прочие'],
    okdp: ['2423000', 'Средства лекарственные'],
  },
  {
    topic: 'Поставка компьютерного оборудования',
    object: 'Персональный компьютер',
    okpd2: ['26.20.15.000', 'Машины вычислительные электронные цифровые прочие'],
    okpd: ['30.02.14.000', 'Машины вычислительные цифровые прочие'],
    okdp: ['3020000', 'Вычислительная техника'],
  },
  {
    topic: 'Поставка молочной продукции',
    object: 'Молоко питьевое',
    okpd2: ['10.51.11.111', 'Молоко питьевое нормализованное пастеризованное'],
    okpd: ['15.51.11.110', 'Молоко обработанное жидкое'],
    okdp: ['1520000', 'Продукция молочная'],
  },
  {
    topic: 'Разработка проектной документации',
    object: 'Проектная документация',
    okpd2: ['71.12.12.000', 'Услуги по инженерно-техническому проектированию зданий'],
    okpd: ['74.20.13.110', 'Услуги по проектированию зданий'],
    okdp: ['7420000', 'Услуги в области архитектуры и проектирования'],
  },
  {
    topic: 'Техническое обслуживание и ремонт служебных автомобилей',
    object: 'Техническое обслуживание автомобилей',
    okpd2: ['45.20.11.211', 'Услуги по техническому обслуживанию легковых автомобилей'],
    okpd: ['50.20.11.110', 'Услуги по техническому обслуживанию легковых автомобилей'],
    okdp: ['5020000', 'Техническое обслуживание автотранспортных средств'],
  },
  {
    topic: 'Поставка канцелярских товаров',
    object: 'Ручка шариковая',
    okpd2: ['32.99.12.120', 'Ручки шариковые'],
    okpd: ['36.63.21.000', 'Ручки'],
    okdp: ['3663000', 'Изделия канцелярские'],
  },
  {
    topic: 'Сопровождение информационных систем',
    object: 'Услуги по сопровождению информационной системы',
    okpd2: ['62.02.30.000', 'Услуги по технической поддержке информационных технологий'],
    okpd: ['72.50.10.000', 'Услуги по техническому обслуживанию ЭВМ'],
    okdp: ['7250000', 'Техническое обслуживание вычислительной техники'],
  },
];

const SELECTION_TYPES: Record<'Fz44' | 'Fz94' | 'Fz223', readonly string[]> = {
  Fz44: [
    'Электронный аукцион',
    'Электронный аукцион',
    'Запрос котировок',
    'Открытый конкурс',
    'Запрос котировок в электронной форме',
    'Открытый конкурс в электронной форме',
    'Закупка у единственного поставщика (подрядчика, исполнителя)',
  ],
  Fz94: [
    'Открытый аукцион в электронной форме',
    'Открытый аукцион в электронной форме',
    'Запрос котировок',
    'Открытый конкурс',
    'Закупка у единственного поставщика',
  ],
  Fz223: [
    'Аукцион в электронной форме, участниками которого могут быть только субъекты малого и среднего предпринимательства',
    'Запрос котировок в электронной форме, участниками которого могут быть только субъекты малого и среднего предпринимательства',
    'Конкурс в электронной форме, участниками которого могут быть только субъекты малого и среднего предпринимательства',
    'Запрос цен в электронной форме',
    'Закупка у единственного поставщика (подрядчика, исполнителя)',
  ],
};
const isSingleSupplier = (selection: string): boolean => selection.startsWith('Закупка у единственного');

/** U+0421 CYRILLIC CAPITAL LETTER ES: the live API spells the stage this way in all 577 captured occurrences. */
const EXECUTION_COMPLETED = 'execution\u0421ompleted';

type Role = 'customer' | 'participant';
type Shape = 'contract' | 'contractOnly' | 'rNumber' | 'open';

interface Party {
  inn?: string;
  kpp?: string;
  name: string;
  isWinner?: boolean;
  hasContract?: boolean;
  isNotAdmitted?: boolean;
}

interface PurchaseContext {
  role: Role;
  owner: Registration;
  suppliers: readonly string[];
  customers: readonly string[];
}

function party(inn: string): Party {
  const registration = currentRegistration(inn);
  return { inn, name: registration ? partyName(registration) : inn };
}

function customerParty(rng: Rng, inn: string): Party {
  const registration = currentRegistration(inn);
  const name = registration ? partyName(registration) : inn;
  return {
    inn,
    kpp: registration?.ul && rng.chance(0.45) ? registration.ul.kpp : undefined,
    name: rng.chance(0.5) ? name.toUpperCase() : name,
  };
}

/** Distinct pool members, none of them in `exclude`. */
function drawDistinct(rng: Rng, pool: readonly string[], count: number, exclude: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (let tries = 0; out.size < count && tries < count * 10; tries++) {
    const inn = rng.pick(pool);
    if (!exclude.has(inn)) out.add(inn);
  }
  return [...out];
}

function purchaseType(rng: Rng, date: string): 'Fz44' | 'Fz94' | 'Fz223' {
  const fz223 = date >= '2012-01-01' && rng.chance(0.45);
  if (fz223) return 'Fz223';
  return date < '2014-01-01' ? 'Fz94' : 'Fz44';
}

function shapeFor(rng: Rng, type: 'Fz44' | 'Fz94' | 'Fz223', role: Role): Shape {
  const roll = rng.float();
  if (type === 'Fz223') return roll < (role === 'participant' ? 0.3 : 0.03) ? 'contract' : 'open';
  const contractOnly = role === 'participant' ? 0.35 : 0.1;
  if (roll < contractOnly) return 'contractOnly';
  if (roll < contractOnly + 0.01) return 'rNumber';
  if (roll < contractOnly + 0.63) return 'contract';
  return 'open';
}

function openState(rng: Rng, type: 'Fz44' | 'Fz94' | 'Fz223', role: Role, date: string): string {
  const weighted = (pairs: readonly (readonly [string, number])[]): string => {
    let roll = rng.float() * pairs.reduce((total, [, weight]) => total + weight, 0);
    for (const [state, weight] of pairs) {
      roll -= weight;
      if (roll < 0) return state;
    }
    return pairs[0]![0];
  };
  if (role === 'participant') {
    return weighted([
      ['Работа комиссии', 5],
      ['Исход опред. не удалось', 2.5],
      ['Победитель определен', 1],
      ['Закупка отменена', 1.5],
    ]);
  }
  if (date > addDays(DATA_DATE, -20) && rng.chance(0.7)) return 'Подача заявок';
  if (type === 'Fz223') {
    return weighted([
      ['Работа комиссии', 50],
      ['Без участников', 20],
      ['Подача заявок', 15],
      ['Исход опред. не удалось', 8],
      ['Закупка отменена', 7],
    ]);
  }
  return weighted([
    ['Без участников', 50],
    ['Исход опред. не удалось', 20],
    ['Закупка отменена', 15],
    ['Подача заявок', 10],
    ['Победитель определен', 5],
  ]);
}

function codes(code: Code, withName: boolean): { code: string; name?: string }[] {
  return [withName ? { code: code[0], name: code[1] } : { code: code[0] }];
}

function purchaseObjects(rng: Rng, good: Good, date: string): Item[] {
  const roll = rng.float();
  const count = roll < 0.8 ? 1 : roll < 0.95 ? rng.int(2, 5) : roll < 0.99 ? rng.int(6, 25) : 50;
  return Array.from({ length: count }, (_, i) => {
    const item = i === 0 ? good : rng.pick(GOODS);
    const old = date < '2014-01-01';
    const okpd2Era = date >= '2016-01-01';
    const object: Item = {
      name: i === 0 ? item.object : `${item.object} (позиция ${i + 1})`,
      okdps: old && rng.chance(0.4) ? codes(item.okdp, true) : [],
      okpds: !okpd2Era && !(old && rng.chance(0.4)) ? codes(item.okpd, rng.chance(0.7)) : [],
      okpd2s: okpd2Era ? codes(item.okpd2, true) : [],
    };
    if (date >= '2019-01-01') {
      object.ktrus = rng.chance(0.1) ? [{ code: `${item.okpd2[0]}-${rng.digits(8)}`, name: item.object }] : [];
    }
    return object;
  });
}

function contractStage(rng: Rng, executionDate: string | undefined, contractDate: string): string {
  const over = (executionDate ?? addDays(contractDate, 365)) < DATA_DATE;
  const roll = rng.float();
  if (over) return roll < 0.85 ? EXECUTION_COMPLETED : roll < 0.95 ? 'executionTerminated' : 'execution';
  return roll < 0.93 ? 'execution' : 'executionTerminated';
}

function purchase(rng: Rng, context: PurchaseContext, date: string, index: number): Item {
  const { role, owner } = context;
  const type = purchaseType(rng, date);
  const shape = shapeFor(rng, type, role);
  const self = party(owner.inn);

  // Customers: the owner itself (…OfCustomer) or one from the pool; joint Fz223 purchases name 2–3.
  const leadInn = role === 'customer' ? owner.inn : rng.pick(context.customers);
  const customers = [customerParty(rng, leadInn)];
  if (type === 'Fz223' && rng.chance(0.03)) {
    for (const inn of drawDistinct(rng, context.customers, rng.int(1, 2), new Set([leadInn]))) customers.push(customerParty(rng, inn));
  }

  const good = rng.pick(GOODS);
  const selection = rng.pick(SELECTION_TYPES[type]);
  const single = isSingleSupplier(selection);
  const withContract = shape !== 'open';
  const state = withContract ? 'Контракт заключен' : openState(rng, type, role, date);

  // Participants: for …OfParticipant the owner is always among them (the winner whenever there is a contract).
  const taken = new Set([owner.inn, leadInn]);
  const winnerInn = role === 'participant' ? owner.inn : drawDistinct(rng, context.suppliers, 1, taken)[0]!;
  taken.add(winnerInn);
  const winner = winnerInn === owner.inn ? self : party(winnerInn);
  const participants: Party[] = [];
  const others = (max: number): void => {
    for (const inn of drawDistinct(rng, context.suppliers, rng.int(0, max), taken)) {
      taken.add(inn);
      const roll = rng.float();
      const entry = party(inn);
      if (roll < 0.005) participants.push({ name: entry.name });
      else participants.push(roll < 0.05 ? { ...entry, isNotAdmitted: true } : entry);
    }
  };
  if (withContract) {
    const roll = rng.float();
    if (shape === 'contractOnly' || single) participants.push({ ...winner, hasContract: true });
    else if (roll < 0.02) participants.push({ name: winner.name, isWinner: true }, { ...winner, hasContract: true });
    else participants.push(roll < 0.72 ? { ...winner, isWinner: true, hasContract: true } : { ...winner, hasContract: true });
    if (shape !== 'contractOnly' && !single) others(4);
  } else if (state === 'Победитель определен') {
    participants.push({ ...winner, isWinner: true });
    others(3);
  } else if (role === 'participant') {
    participants.push(state === 'Исход опред. не удалось' && rng.chance(0.5) ? { ...self, isNotAdmitted: true } : self);
    if (state === 'Работа комиссии') others(3);
  } else if (state === 'Работа комиссии' && rng.chance(0.5)) {
    others(4);
  } else if (state === 'Исход опред. не удалось' && rng.chance(0.5)) {
    others(1);
  }

  // Numbers: unique per item index, so purchaseNumber + contractNumber never repeats within an INN's list.
  const yy = date.slice(2, 4);
  const regCode = `${leadInn.slice(0, 2)}${String(fnv1a(`regcode/${leadInn}`) % 100_000_000).padStart(8, '0')}`;
  const fz44Number = `0${regCode}${yy}${serial(index, 1_234, 1_000_000, 6)}`;
  const purchaseNumber =
    shape === 'contractOnly'
      ? undefined
      : type === 'Fz223'
        ? `3${yy}${serial(index, 4_321, 100_000_000, 8)}`
        : shape === 'rNumber'
          ? `R${fz44Number}`
          : fz44Number;

  const startSum = rng.money(20_000, type === 'Fz223' ? 100_000_000 : 30_000_000);
  const hasPurchaseBlock = shape !== 'contractOnly';
  const item: Item = {
    purchaseType: type,
    purchaseNumber,
    purchaseStateDescription: state,
    selectionTypeDescription: hasPurchaseBlock ? selection : undefined,
    topicDescription: rng.chance(0.3) ? `${good.topic} в ${date.slice(0, 4)} году` : good.topic,
    publicationDate: date,
    // "R…" purchases carry a startPrice without currencyCode, as all 8 captured ones do.
    startPrice: hasPurchaseBlock ? (shape === 'rNumber' ? { sum: startSum } : { sum: startSum, currencyCode: 'RUB' }) : undefined,
    startSum: hasPurchaseBlock ? startSum : undefined,
    customers,
    participants,
  };
  if (withContract) {
    const contractDate =
      shape === 'contractOnly' ? addDays(date, -rng.int(0, 5)) : earlier(addDays(date, rng.int(10, 45)), addDays(DATA_DATE, -1));
    const executionDate = rng.chance(0.98)
      ? later(addDays(contractDate, 1), rng.chance(0.6) ? `${contractDate.slice(0, 4)}-12-31` : addDays(contractDate, rng.int(30, 540)))
      : undefined;
    const contractSum = single || shape === 'contractOnly' ? startSum : Math.round(startSum * rng.between(0.6, 1) * 100) / 100;
    const stage = contractStage(rng, executionDate, contractDate);
    const competitive = hasPurchaseBlock && !single;
    Object.assign(item, {
      // winnerPrice is probably a unit-price bid: not comparable with contractPrice.
      winnerPrice: competitive && rng.chance(0.2) ? { sum: rng.money(100, Math.max(200, Math.min(contractSum, 500_000))) } : undefined,
      contractNumber: `${type === 'Fz223' ? '5' : rng.pick(['1', '2', '3'])}${leadInn.slice(0, 10)}${contractDate.slice(2, 4)}${serial(index, 777, 1_000_000, 6)}`,
      contractDate,
      contractExecutionDate: executionDate,
      contractEnforcement:
        type === 'Fz44' && competitive && rng.chance(0.3) ? (rng.chance(0.7) ? 'cashAccount' : 'bankGuarantee') : undefined,
      contractPrice: { sum: contractSum, currencyCode: 'RUB' },
      contractSum,
      contractStage: stage,
      contractCanceledReason:
        stage === 'executionTerminated' && rng.chance(0.3)
          ? `по соглашению сторон от ${dmy(dateBetween(rng, contractDate, earlier(executionDate ?? addDays(contractDate, 180), addDays(DATA_DATE, -1))))}`
          : undefined,
      partiallyExecuted: stage !== 'executionTerminated' && date >= '2016-01-01' && rng.chance(0.4),
    });
  } else if (state === 'Победитель определен' && rng.chance(0.5)) {
    item.winnerPrice = { sum: rng.money(100, Math.max(200, Math.min(startSum, 500_000))) };
  }
  if (hasPurchaseBlock) item.purchaseObjects = type === 'Fz223' && rng.chance(0.1) ? [] : purchaseObjects(rng, good, date);
  return sparse(item);
}

function purchaseItems(role: Role, registration: Registration, count: number): Item[] {
  if (count === 0) return [];
  const rng = rngFor(registration.inn, `purchases/${role}/${registration.index}`);
  const [from, to] = activeWindow(registration, count, addDays(DATA_DATE, -1));
  const context: PurchaseContext = {
    role,
    owner: registration,
    suppliers: innPool(registration.inn, `${role}/suppliers`, 500, 0.15),
    customers: innPool(registration.inn, `${role}/customers`, role === 'participant' ? 60 : 20, 0),
  };
  return datesNewestFirst(rng, count, from, to).map((date, index) => purchase(rng, context, date, index));
}

// ─── Records ────────────────────────────────────────────────────────────────────────────────────

const itemCache = new Map<string, readonly Item[]>();
const ITEM_CACHE_LIMIT = 64;

/** Every item of an INN in a paged method, newest first (all pages; the emulator slices them). */
export function syntheticItems(method: PagedMethod, inn: string): readonly Item[] {
  const key = `${method}/${inn}`;
  let items = itemCache.get(key);
  if (!items) {
    const carrier = currentRegistration(inn);
    const count = syntheticItemCount(method, inn);
    items = !carrier
      ? []
      : method === 'fssp'
        ? fsspItems(carrier, count)
        : purchaseItems(method === 'govPurchasesOfCustomer' ? 'customer' : 'participant', carrier, count);
    if (itemCache.size >= ITEM_CACHE_LIMIT) itemCache.delete(itemCache.keys().next().value!);
    itemCache.set(key, items);
  }
  return items;
}

/**
 * The synthetic answer of a paged method for one identifier (INN: every registration; OGRN: that one) and one
 * page; [] when the registry does not know the identifier.
 */
export function syntheticPagedRecords(method: PagedMethod, identifier: string, skip: number): FocusRecord[] {
  const byInn = identifier.length === 10 || identifier.length === 12;
  const registrations = byInn
    ? syntheticRegistrations(identifier)
    : [syntheticRegistrationByOgrn(identifier)].filter((r): r is Registration => r !== undefined);
  const first = registrations[0];
  if (!first) return [];
  const carrier = currentRegistration(first.inn)!;
  const items = syntheticItems(method, first.inn);
  return registrations.map((registration) => {
    const own = registration.ogrn === carrier.ogrn ? items : [];
    const record: FocusRecord = { inn: registration.inn, ogrn: registration.ogrn };
    // Legal entities always carry updateDate; sole proprietors only when they have proceedings.
    if (method === 'fssp' && (registration.kind === 'UL' || own.length > 0)) record.updateDate = fsspUpdateDate(registration.inn);
    record.focusHref = `https://focus.kontur.ru/entity?query=${registration.ogrn}`;
    record[PAGED_PAYLOAD_KEYS[method]] = own.slice(skip, skip + PAGE_SIZE);
    return record;
  });
}
