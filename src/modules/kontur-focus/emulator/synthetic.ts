/**
 * Deterministic synthetic Kontur.Focus records for checksum-valid INNs that are not among the captured fixtures,
 * so sandbox mode and tests can ask about any company and get sparse, realistic, self-consistent answers.
 *
 * Rules (the README repeats them):
 * - INNs whose first two digits are "00" are unknown to the registry (there is no region 00): no records at all.
 * - A 10-digit INN is one legal entity (UL); a 12-digit INN is a sole proprietor (IP).
 * - About 1 in 5 IP INNs (fnv1a(`${inn}/registrations`) % 5 === 0) has TWO registrations: an older dissolved one
 *   and a newer active one, each with its own OGRNIP, in every method.
 * - UL status, from the INN's core stream: 80 % active, 8 % dissolved, 4 % dissolving, 4 % reorganizing,
 *   4 % bankrupting. Single-registration IPs: 80 % active, 20 % dissolved.
 * - Everything is seeded from the INN string (FNV-1a → mulberry32, one stream per INN and purpose), and "today" is the
 *   fixed DATA_DATE, so an INN answers identically in every call and every process, and its records agree across
 *   methods (same OGRNs, same status; analytics s6003–s6008 equal the latest /buh lines 2110/1600/2400).
 * - Output follows the live API's sparseness: no null, no false (flags only when true), `{}`/`[]` where the real
 *   API sends empty containers, codes as strings, dates YYYY-MM-DD, money as numbers in roubles.
 * - Phones: 0–5 per registration; req's contactPhones.count always equals the length of /contacts' phone list.
 * - Paged methods (fssp, govPurchasesOfParticipant, govPurchasesOfCustomer) live in synthetic-paged.ts. Their item
 *   counts: INNs whose digits 3–5 are "250" (e.g. 7725000002) have exactly 2,500 items in each paged method, "120"
 *   (e.g. 7712000008) exactly 1,200; any other INN has a small deterministic count (fssp mostly 0–40, purchases 0–30).
 */
import { innCheckDigits, isValidInn, ogrnCheckDigit } from '../../../domain/identifiers.ts';
import type { FocusRecord } from './fixtures.ts';

// ─── Seeded randomness ──────────────────────────────────────────────────────────────────────────

export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: tiny, fast and identical on every platform. */
  float(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(this.int(0, 9));
    return out;
  }

  between(min: number, max: number): number {
    return min + this.float() * (max - min);
  }

  /** Spread over orders of magnitude, like company sizes and claim amounts. */
  logUniform(min: number, max: number): number {
    return Math.exp(this.between(Math.log(min), Math.log(max)));
  }

  /** Roubles with kopecks, as the analytics `s` keys carry them. */
  money(min: number, max: number): number {
    return Math.round(this.logUniform(min, max) * 100) / 100;
  }

  /** Several distinct items, in the order drawn. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < count && pool.length > 0) out.push(pool.splice(this.int(0, pool.length - 1), 1)[0]!);
    return out;
  }
}

/** Separate streams per purpose, so adding a field to one method never shifts another method's values. */
export function rngFor(inn: string, stream: string): Rng {
  return new Rng(fnv1a(`${inn}/${stream}`));
}

// ─── Dates ──────────────────────────────────────────────────────────────────────────────────────

/** The synthetic registry's "today": fixed so answers never depend on the clock. */
export const DATA_DATE = '2025-04-01';
const DAY_MS = 86_400_000;

export const toDays = (iso: string): number => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
export const fromDays = (days: number): string => new Date(days * DAY_MS).toISOString().slice(0, 10);
export const addDays = (iso: string, days: number): string => fromDays(toDays(iso) + days);
export const earlier = (a: string, b: string): string => (a < b ? a : b);
export const later = (a: string, b: string): string => (a > b ? a : b);
export const yearOf = (iso: string): number => Number(iso.slice(0, 4));

export function dateBetween(rng: Rng, from: string, to: string): string {
  const start = toDays(from);
  const end = toDays(to);
  return fromDays(end <= start ? start : rng.int(start, end));
}

// ─── Reference data ─────────────────────────────────────────────────────────────────────────────

export interface Toponym {
  topoShortName: string;
  topoFullName: string;
  topoValue: string;
}
const topo = (topoShortName: string, topoFullName: string, topoValue: string): Toponym => ({
  topoShortName,
  topoFullName,
  topoValue,
});

export interface Region {
  code: string;
  name: Toponym;
  /** Absent for the federal cities, whose addresses carry no `city` (as in the fixtures for Moscow). */
  capital?: string;
  zips: readonly string[];
  /** First two digits of OKATO/OKTMO, which differ from the tax region code. */
  okato: string;
  /** Dative phrase for tax-office names: "Межрайонная инспекция … по <po>". */
  po: string;
}

const REGION_KIND: Record<string, string> = {
  обл: 'область',
  край: 'край',
  Респ: 'Республика',
  г: 'город',
  АО: 'Автономный округ',
  Аобл: 'Автономная область',
};

/** [tax region code, KLADR type, name, capital ('' for federal cities), zip prefixes, OKATO prefix, dative override] */
const REGION_ROWS: readonly (readonly [string, string, string, string, string, string, string?])[] = [
  ['01', 'Респ', 'Адыгея', 'Майкоп', '385', '79'],
  ['02', 'Респ', 'Башкортостан', 'Уфа', '450', '80'],
  ['03', 'Респ', 'Бурятия', 'Улан-Удэ', '670', '81'],
  ['04', 'Респ', 'Алтай', 'Горно-Алтайск', '649', '84'],
  ['05', 'Респ', 'Дагестан', 'Махачкала', '367', '82'],
  ['06', 'Респ', 'Ингушетия', 'Магас', '386', '26'],
  ['07', 'Респ', 'Кабардино-Балкарская', 'Нальчик', '360', '83'],
  ['08', 'Респ', 'Калмыкия', 'Элиста', '358', '85'],
  ['09', 'Респ', 'Карачаево-Черкесская', 'Черкесск', '369', '91'],
  ['10', 'Респ', 'Карелия', 'Петрозаводск', '185', '86'],
  ['11', 'Респ', 'Коми', 'Сыктывкар', '167', '87'],
  ['12', 'Респ', 'Марий Эл', 'Йошкар-Ола', '424', '88'],
  ['13', 'Респ', 'Мордовия', 'Саранск', '430', '89'],
  ['14', 'Респ', 'Саха /Якутия/', 'Якутск', '677', '98'],
  ['15', 'Респ', 'Северная Осетия - Алания', 'Владикавказ', '362', '90'],
  ['16', 'Респ', 'Татарстан', 'Казань', '420', '92'],
  ['17', 'Респ', 'Тыва', 'Кызыл', '667', '93'],
  ['18', 'Респ', 'Удмуртская', 'Ижевск', '426', '94'],
  ['19', 'Респ', 'Хакасия', 'Абакан', '655', '95'],
  ['20', 'Респ', 'Чеченская', 'Грозный', '364', '96'],
  ['21', 'Респ', 'Чувашская', 'Чебоксары', '428', '97'],
  ['22', 'край', 'Алтайский', 'Барнаул', '656', '01'],
  ['23', 'край', 'Краснодарский', 'Краснодар', '350', '03'],
  ['24', 'край', 'Красноярский', 'Красноярск', '660', '04'],
  ['25', 'край', 'Приморский', 'Владивосток', '690', '05'],
  ['26', 'край', 'Ставропольский', 'Ставрополь', '355', '07'],
  ['27', 'край', 'Хабаровский', 'Хабаровск', '680', '08'],
  ['28', 'обл', 'Амурская', 'Благовещенск', '675', '10'],
  ['29', 'обл', 'Архангельская', 'Архангельск', '163', '11'],
  ['30', 'обл', 'Астраханская', 'Астрахань', '414', '12'],
  ['31', 'обл', 'Белгородская', 'Белгород', '308', '14'],
  ['32', 'обл', 'Брянская', 'Брянск', '241', '15'],
  ['33', 'обл', 'Владимирская', 'Владимир', '600', '17'],
  ['34', 'обл', 'Волгоградская', 'Волгоград', '400', '18'],
  ['35', 'обл', 'Вологодская', 'Вологда', '160', '19'],
  ['36', 'обл', 'Воронежская', 'Воронеж', '394', '20'],
  ['37', 'обл', 'Ивановская', 'Иваново', '153', '24'],
  ['38', 'обл', 'Иркутская', 'Иркутск', '664', '25'],
  ['39', 'обл', 'Калининградская', 'Калининград', '236', '27'],
  ['40', 'обл', 'Калужская', 'Калуга', '248', '29'],
  ['41', 'край', 'Камчатский', 'Петропавловск-Камчатский', '683', '30'],
  ['42', 'обл', 'Кемеровская', 'Кемерово', '650', '32'],
  ['43', 'обл', 'Кировская', 'Киров', '610', '33'],
  ['44', 'обл', 'Костромская', 'Кострома', '156', '34'],
  ['45', 'обл', 'Курганская', 'Курган', '640', '37'],
  ['46', 'обл', 'Курская', 'Курск', '305', '38'],
  ['47', 'обл', 'Ленинградская', 'Гатчина', '188', '41'],
  ['48', 'обл', 'Липецкая', 'Липецк', '398', '42'],
  ['49', 'обл', 'Магаданская', 'Магадан', '685', '44'],
  ['50', 'обл', 'Московская', 'Красногорск', '143', '46'],
  ['51', 'обл', 'Мурманская', 'Мурманск', '183', '47'],
  ['52', 'обл', 'Нижегородская', 'Нижний Новгород', '603', '22'],
  ['53', 'обл', 'Новгородская', 'Великий Новгород', '173', '49'],
  ['54', 'обл', 'Новосибирская', 'Новосибирск', '630', '50'],
  ['55', 'обл', 'Омская', 'Омск', '644', '52'],
  ['56', 'обл', 'Оренбургская', 'Оренбург', '460', '53'],
  ['57', 'обл', 'Орловская', 'Орёл', '302', '54'],
  ['58', 'обл', 'Пензенская', 'Пенза', '440', '56'],
  ['59', 'край', 'Пермский', 'Пермь', '614', '57'],
  ['60', 'обл', 'Псковская', 'Псков', '180', '58'],
  ['61', 'обл', 'Ростовская', 'Ростов-на-Дону', '344', '60'],
  ['62', 'обл', 'Рязанская', 'Рязань', '390', '61'],
  ['63', 'обл', 'Самарская', 'Самара', '443', '36'],
  ['64', 'обл', 'Саратовская', 'Саратов', '410', '63'],
  ['65', 'обл', 'Сахалинская', 'Южно-Сахалинск', '693', '64'],
  ['66', 'обл', 'Свердловская', 'Екатеринбург', '620', '65'],
  ['67', 'обл', 'Смоленская', 'Смоленск', '214', '66'],
  ['68', 'обл', 'Тамбовская', 'Тамбов', '392', '68'],
  ['69', 'обл', 'Тверская', 'Тверь', '170', '28'],
  ['70', 'обл', 'Томская', 'Томск', '634', '69'],
  ['71', 'обл', 'Тульская', 'Тула', '300', '70'],
  ['72', 'обл', 'Тюменская', 'Тюмень', '625', '71'],
  ['73', 'обл', 'Ульяновская', 'Ульяновск', '432', '73'],
  ['74', 'обл', 'Челябинская', 'Челябинск', '454', '75'],
  ['75', 'край', 'Забайкальский', 'Чита', '672', '76'],
  ['76', 'обл', 'Ярославская', 'Ярославль', '150', '78'],
  ['77', 'г', 'Москва', '', '101 105 107 109 115 117 119 121 123 125 127 129', '45', 'г. Москве'],
  ['78', 'г', 'Санкт-Петербург', '', '190 191 192 194 195 196 197 198', '40', 'г. Санкт-Петербургу'],
  ['79', 'Аобл', 'Еврейская', 'Биробиджан', '679', '99', 'Еврейской автономной области'],
  ['83', 'АО', 'Ненецкий', 'Нарьян-Мар', '166', '11', 'Ненецкому автономному округу'],
  ['86', 'АО', 'Ханты-Мансийский Автономный округ - Югра', 'Ханты-Мансийск', '628', '71', 'Ханты-Мансийскому автономному округу - Югре'],
  ['87', 'АО', 'Чукотский', 'Анадырь', '689', '77', 'Чукотскому автономному округу'],
  ['89', 'АО', 'Ямало-Ненецкий', 'Салехард', '629', '71', 'Ямало-Ненецкому автономному округу'],
  ['91', 'Респ', 'Крым', 'Симферополь', '295', '35'],
  ['92', 'г', 'Севастополь', '', '299', '67', 'г. Севастополю'],
];

/** Tax codes of former autonomous okrugs, addressed as the region they merged into. */
const MERGED_REGIONS: Record<string, string> = { '80': '75', '81': '59', '82': '41', '84': '24', '85': '38', '88': '24' };
/** Any other code without a row (new or interregional tax codes) is addressed as Moscow. */
const FALLBACK_REGION = '77';

function dativeOf(kind: string, name: string): string {
  if (kind === 'обл') return `${name.replace(/ая$/, 'ой')} области`;
  if (kind === 'край') return `${name.replace(/ий$/, 'ому')} краю`;
  return /ая$/.test(name) ? `${name.replace(/ая$/, 'ой')} Республике` : `Республике ${name}`;
}

const REGIONS: ReadonlyMap<string, Region> = new Map(
  REGION_ROWS.map(([code, kind, name, capital, zips, okato, po]) => [
    code,
    {
      code,
      name: topo(kind, REGION_KIND[kind]!, name),
      ...(capital ? { capital } : {}),
      zips: zips.split(' '),
      okato,
      po: po ?? dativeOf(kind, name),
    },
  ]),
);

export function regionFor(taxRegion: string): Region {
  return REGIONS.get(taxRegion) ?? REGIONS.get(MERGED_REGIONS[taxRegion] ?? FALLBACK_REGION)!;
}

/** Tax region codes that have their own row (every synthetic address lies in one of these). */
export const SYNTHETIC_REGION_CODES: readonly string[] = REGION_ROWS.map(([code]) => code);

export const STREETS: readonly Toponym[] = [
  ...[
    'Ленина',
    'Мира',
    'Гагарина',
    'Советская',
    'Садовая',
    'Московская',
    'Пушкина',
    'Кирова',
    'Карла Маркса',
    'Октябрьская',
    'Чапаева',
    'Лесная',
    'Молодежная',
    'Заводская',
    'Промышленная',
    'Строителей',
    'Комсомольская',
    'Первомайская',
    'Свердлова',
    'Энгельса',
    'Белинского',
    'Куйбышева',
  ].map((name) => topo('ул', 'улица', name)),
  ...['Ленина', 'Мира', 'Победы', 'Космонавтов', 'Октября'].map((name) => topo('пр-кт', 'проспект', name)),
  ...['Школьный', 'Почтовый', 'Банковский'].map((name) => topo('пер', 'переулок', name)),
  topo('б-р', 'бульвар', 'Строителей'),
  topo('ш', 'шоссе', 'Энтузиастов'),
  topo('наб', 'набережная', 'Речная'),
];

const SURNAMES = [
  'Иванов',
  'Смирнов',
  'Кузнецов',
  'Попов',
  'Васильев',
  'Петров',
  'Соколов',
  'Михайлов',
  'Новиков',
  'Федоров',
  'Морозов',
  'Волков',
  'Алексеев',
  'Лебедев',
  'Семенов',
  'Егоров',
  'Павлов',
  'Козлов',
  'Степанов',
  'Николаев',
  'Орлов',
  'Андреев',
  'Макаров',
  'Никитин',
  'Захаров',
  'Зайцев',
  'Соловьев',
  'Борисов',
  'Яковлев',
  'Григорьев',
  'Романов',
  'Воробьев',
  'Сергеев',
  'Кузьмин',
  'Фролов',
  'Александров',
  'Дмитриев',
  'Королев',
  'Гусев',
  'Киселев',
  'Ильин',
  'Максимов',
  'Поляков',
  'Сорокин',
  'Виноградов',
  'Ковалев',
  'Белов',
  'Медведев',
  'Антонов',
  'Тарасов',
  'Жуков',
  'Баранов',
  'Филиппов',
  'Комаров',
  'Давыдов',
  'Беляев',
  'Герасимов',
  'Богданов',
  'Осипов',
  'Сидоров',
  'Покровский',
  'Никольский',
  'Островский',
  'Шевченко',
  'Бондаренко',
  'Ковальчук',
];
const MALE_NAMES = [
  'Александр',
  'Алексей',
  'Андрей',
  'Антон',
  'Артем',
  'Борис',
  'Вадим',
  'Валерий',
  'Василий',
  'Виктор',
  'Владимир',
  'Вячеслав',
  'Геннадий',
  'Георгий',
  'Денис',
  'Дмитрий',
  'Евгений',
  'Иван',
  'Игорь',
  'Илья',
  'Кирилл',
  'Константин',
  'Максим',
  'Михаил',
  'Николай',
  'Олег',
  'Павел',
  'Роман',
  'Сергей',
  'Юрий',
];
const FEMALE_NAMES = [
  'Анна',
  'Елена',
  'Ольга',
  'Наталья',
  'Татьяна',
  'Ирина',
  'Светлана',
  'Мария',
  'Екатерина',
  'Юлия',
  'Марина',
  'Галина',
  'Людмила',
  'Оксана',
  'Анастасия',
  'Евгения',
  'Дарья',
  'Ксения',
  'Виктория',
  'Надежда',
];
/** [male, female] patronymics from one father's name. */
const PATRONYMICS: readonly (readonly [string, string])[] = [
  ['Александрович', 'Александровна'],
  ['Алексеевич', 'Алексеевна'],
  ['Андреевич', 'Андреевна'],
  ['Анатольевич', 'Анатольевна'],
  ['Борисович', 'Борисовна'],
  ['Валерьевич', 'Валерьевна'],
  ['Васильевич', 'Васильевна'],
  ['Викторович', 'Викторовна'],
  ['Владимирович', 'Владимировна'],
  ['Вячеславович', 'Вячеславовна'],
  ['Геннадьевич', 'Геннадьевна'],
  ['Дмитриевич', 'Дмитриевна'],
  ['Евгеньевич', 'Евгеньевна'],
  ['Иванович', 'Ивановна'],
  ['Игоревич', 'Игоревна'],
  ['Михайлович', 'Михайловна'],
  ['Николаевич', 'Николаевна'],
  ['Олегович', 'Олеговна'],
  ['Павлович', 'Павловна'],
  ['Петрович', 'Петровна'],
  ['Сергеевич', 'Сергеевна'],
  ['Юрьевич', 'Юрьевна'],
];

const NAME_STEMS = [
  'Вектор',
  'Альянс',
  'Меридиан',
  'Гранит',
  'Импульс',
  'Созвездие',
  'Контакт',
  'Феникс',
  'Атлант',
  'Вертикаль',
  'Горизонт',
  'Спектр',
  'Эталон',
  'Ресурс',
  'Сфера',
  'Промтех',
  'Агроснаб',
  'Стандарт',
  'Лидер',
  'Орион',
  'Континент',
  'Арсенал',
  'Магистраль',
  'Квадрат',
  'Техноком',
  'Стройинвест',
  'Энергосервис',
  'Уралпром',
  'Сибстрой',
  'Волгатранс',
  'Кристалл',
  'Дельта',
  'Легион',
  'Прайм',
  'Аврора',
  'Полюс',
  'Ладья',
  'Пересвет',
];
const NAME_SUFFIXES = ['', '', '', '-REGION', ' Плюс', ' Групп', '-Сервис', '-Трейд', '-М', ' Инжиниринг'];

/** OKVED2 [code, text] */
const ACTIVITIES: readonly (readonly [string, string])[] = [
  ['62.01', 'Разработка компьютерного программного обеспечения'],
  ['62.02', 'Деятельность консультативная и работы в области компьютерных технологий'],
  ['46.90', 'Торговля оптовая неспециализированная'],
  ['46.19', 'Деятельность агентов по оптовой торговле универсальным ассортиментом товаров'],
  ['41.20', 'Строительство жилых и нежилых зданий'],
  ['43.21', 'Производство электромонтажных работ'],
  ['49.41', 'Деятельность автомобильного грузового транспорта'],
  ['52.29', 'Деятельность вспомогательная прочая, связанная с перевозками'],
  [
    '47.11',
    'Торговля розничная преимущественно пищевыми продуктами, включая напитки, и табачными изделиями в неспециализированных магазинах',
  ],
  ['47.19', 'Торговля розничная прочая в неспециализированных магазинах'],
  ['56.10', 'Деятельность ресторанов и услуги по доставке продуктов питания'],
  ['68.20', 'Аренда и управление собственным или арендованным недвижимым имуществом'],
  ['70.22', 'Консультирование по вопросам коммерческой деятельности и управления'],
  [
    '69.20',
    'Деятельность по оказанию услуг в области бухгалтерского учета, по проведению финансового аудита, по налоговому консультированию',
  ],
  ['73.11', 'Деятельность рекламных агентств'],
  ['25.11', 'Производство строительных металлических конструкций, изделий и их частей'],
  ['10.71', 'Производство хлеба и хлебобулочных изделий недлительного хранения'],
  ['45.20', 'Техническое обслуживание и ремонт автотранспортных средств'],
  [
    '71.12',
    'Деятельность в области инженерных изысканий, инженерно-технического проектирования, управления проектами строительства, выполнения строительного контроля и авторского надзора',
  ],
  ['96.02', 'Предоставление услуг парикмахерскими и салонами красоты'],
];

interface LegalForm {
  short: string;
  full: string;
  okopf: string;
  opf: string;
}
const LEGAL_FORMS = {
  ooo: { short: 'ООО', full: 'Общество с ограниченной ответственностью', okopf: '12300', opf: 'Общества с ограниченной ответственностью' },
  ao: { short: 'АО', full: 'Акционерное общество', okopf: '12267', opf: 'Непубличные акционерные общества' },
  pao: { short: 'ПАО', full: 'Публичное акционерное общество', okopf: '12247', opf: 'Публичные акционерные общества' },
} satisfies Record<string, LegalForm>;

// ─── The registry core shared by every method ───────────────────────────────────────────────────

export type StatusKind = 'active' | 'dissolved' | 'dissolving' | 'reorganizing' | 'bankrupting';

interface TaxOffice {
  code: string;
  name: string;
}

interface Person {
  fio: string;
  innfl: string;
}

interface Head extends Person {
  position: string;
  date: string;
  firstDate: string;
}

interface Address {
  parsedAddressRF: Record<string, unknown>;
  /** One line, as licence addresses print it. */
  line: string;
}

interface StatCodes {
  okpo?: string;
  okato?: string;
  okfs?: string;
  oktmo?: string;
  okogu?: string;
}

interface LegalEntityCore {
  form: LegalForm;
  /** Quoted name without the form, e.g. `"Вектор-62"`. */
  name: string;
  nameDate: string;
  previousName?: string;
  kpp: string;
  address: Address;
  addressDate: string;
  /** The registry marked the legal address unreliable on this date (about 3 % of living companies). */
  addressUnreliableSince?: string;
  head: Head;
  statedCapital: number;
  organizationType: 'Small' | 'Large';
  sme?: 'micro' | 'small';
}

/** One registration (one OGRN/OGRNIP) of a synthetic INN; every method's record is built from it. */
export interface Registration {
  inn: string;
  ogrn: string;
  kind: 'UL' | 'IP';
  /** Position among the INN's registrations, oldest first. */
  index: number;
  status: StatusKind;
  /** When the status began; for `dissolved` also the dissolutionDate. Absent when active. */
  statusDate?: string;
  registrationDate: string;
  ogrnDate: string;
  /** Registered before the ЕГРЮЛ started on 2002-07-01, so ogrnDate is the later re-registration. */
  preOgrn: boolean;
  region: Region;
  localTax: TaxOffice;
  registrar: TaxOffice;
  codes: StatCodes;
  /** OKVED2; the first is the principal activity. */
  activities: readonly (readonly [string, string])[];
  /** Known phone numbers (req contactPhones.count); 0 means none. */
  phones: number;
  ul?: LegalEntityCore;
  ip?: { person: Person };
}

export const ACTIVE_STATUS = 'Действующее';
/** The registry's wording of each status (UL and IP), as req's status.statusString carries it. */
export const STATUS_STRINGS: Record<Exclude<StatusKind, 'active'>, { UL: string; IP: string }> = {
  dissolved: {
    UL: 'Ликвидация юридического лица',
    IP: 'Индивидуальный предприниматель прекратил деятельность в связи с принятием им соответствующего решения',
  },
  dissolving: { UL: 'Находится в стадии ликвидации', IP: 'Находится в стадии ликвидации' },
  reorganizing: {
    UL: 'В процессе реорганизации в форме присоединения к другому юридическому лицу',
    IP: 'В процессе реорганизации в форме присоединения к другому юридическому лицу',
  },
  bankrupting: {
    UL: 'Юридическое лицо признано несостоятельным (банкротом) и в отношении него открыто конкурсное производство',
    IP: 'Индивидуальный предприниматель признан несостоятельным (банкротом)',
  },
};

/**
 * Registry numbers share one layout: sign, year (2), registering office (4), serial, check digit
 * (OGRN 1…, OGRNIP 3…, and their entries' GRNs 2… and 4…).
 */
function makeOgrn(sign: '1' | '2' | '3' | '4', date: string, taxCode: string, tail: string): string {
  const prefix = `${sign}${date.slice(2, 4)}${taxCode}${tail}`;
  return prefix + ogrnCheckDigit(prefix);
}

function personInn(rng: Rng, taxRegion: string): string {
  const prefix = taxRegion + rng.digits(8);
  return prefix + innCheckDigits(prefix);
}

function feminine(surname: string): string {
  if (/(ов|ев|ин)$/.test(surname)) return `${surname}а`;
  if (/ский$/.test(surname)) return surname.replace(/ский$/, 'ская');
  return surname;
}

export function makeFio(rng: Rng): string {
  const male = rng.chance(0.7);
  const [maleP, femaleP] = rng.pick(PATRONYMICS);
  const surname = rng.pick(SURNAMES);
  return male ? `${surname} ${rng.pick(MALE_NAMES)} ${maleP}` : `${feminine(surname)} ${rng.pick(FEMALE_NAMES)} ${femaleP}`;
}

function registrarOffice(taxRegion: string, region: Region): TaxOffice {
  // One registering inspection per region, like the real "МИФНС № 46 по г. Москве" (7746).
  const number = taxRegion === '77' ? 46 : taxRegion === '78' ? 15 : 10 + (fnv1a(`registrar/${taxRegion}`) % 40);
  const code = taxRegion === '78' ? '7847' : `${taxRegion}${String(number).padStart(2, '0')}`;
  return { code, name: `Межрайонная инспекция Федеральной налоговой службы № ${number} по ${region.po}` };
}

function localOffice(inn: string, region: Region): TaxOffice {
  // The INN's first four digits are the inspection that issued it, and the KPP repeats them.
  const number = Number(inn.slice(2, 4)) || 1;
  const kind = region.capital ? 'Межрайонная инспекция' : 'Инспекция';
  return { code: inn.slice(0, 4), name: `${kind} Федеральной налоговой службы № ${number} по ${region.po}` };
}

function makeAddress(rng: Rng, region: Region): Address {
  const street = rng.pick(STREETS);
  const house = String(rng.int(1, 150)) + (rng.chance(0.1) ? rng.pick(['А', 'Б', 'В']) : '');
  const zipCode = rng.pick(region.zips) + String(rng.int(1, 199)).padStart(3, '0');
  const kladrCode = `${region.code}000${region.capital ? '001' : '000'}000${String(rng.int(1, 2999)).padStart(4, '0')}`;
  const upper = rng.chance(0.5);
  const parsed: Record<string, unknown> = {
    zipCode,
    kladrCode,
    regionCode: region.code,
    regionName: region.name,
    ...(region.capital ? { city: topo('г', 'город', region.capital) } : {}),
    street,
    house: topo('дом', 'дом', house),
  };
  let flatPart = '';
  if (rng.chance(0.5)) {
    const office = rng.chance(0.6);
    const number = String(rng.int(1, 420));
    parsed.flat = office ? topo('оф', 'офис', number) : topo('пом', 'помещение', number);
    parsed.flatRaw = upper ? `${office ? 'ОФИС' : 'ПОМЕЩЕНИЕ'} ${number}` : number;
    flatPart = `, ${office ? 'оф.' : 'пом.'} ${number}`;
  }
  parsed.houseRaw = upper ? `ДОМ ${house}` : house;
  const regionLabel = region.capital ? `${region.name.topoValue} ${region.name.topoFullName.toLowerCase()}` : `г. ${region.name.topoValue}`;
  const cityLabel = region.capital ? `, г. ${region.capital}` : '';
  return {
    parsedAddressRF: parsed,
    line: `${zipCode}, ${regionLabel}${cityLabel}, ${street.topoShortName} ${street.topoValue}, д. ${house}${flatPart}`,
  };
}

function makeStatCodes(rng: Rng, region: Region, kind: 'UL' | 'IP'): StatCodes {
  const codes: StatCodes = {};
  if (rng.chance(kind === 'UL' ? 0.95 : 0.75)) codes.okpo = rng.digits(kind === 'UL' ? 8 : 10);
  if (rng.chance(kind === 'UL' ? 0.9 : 0.7)) {
    codes.okato = region.capital ? `${region.okato}401${rng.digits(3)}000` : `${region.okato}2${rng.digits(2)}${rng.digits(3)}000`;
    codes.okfs = kind === 'IP' ? '16' : rng.pick(['16', '16', '16', '16', '16', '34', '23']);
    codes.oktmo = region.capital ? `${region.okato}701000001` : `${region.okato}3${rng.digits(2)}000000`;
    codes.okogu = kind === 'UL' ? '4210014' : '4210015';
  }
  return codes;
}

function pickActivities(rng: Rng): (readonly [string, string])[] {
  return rng.sample(ACTIVITIES, 1 + rng.int(0, 4));
}

/** 0–5 known numbers; /contacts lists exactly this many (contactsPayload), so req's count and /contacts agree. */
function pickPhones(rng: Rng, status: StatusKind): number {
  return rng.chance(status === 'active' ? 0.4 : 0.15) ? rng.int(1, 5) : 0;
}

function pickUlStatus(rng: Rng): StatusKind {
  const roll = rng.float();
  if (roll < 0.8) return 'active';
  if (roll < 0.88) return 'dissolved';
  if (roll < 0.92) return 'dissolving';
  if (roll < 0.96) return 'reorganizing';
  return 'bankrupting';
}

function ulLifetime(rng: Rng, status: StatusKind): { registrationDate: string; statusDate?: string } {
  const lastDay = addDays(DATA_DATE, -10);
  if (status === 'dissolved') {
    const registrationDate = dateBetween(rng, '1996-01-01', '2019-12-31');
    const statusDate = earlier(addDays(registrationDate, rng.int(365, 3650)), addDays(DATA_DATE, -30));
    return { registrationDate, statusDate };
  }
  const registrationDate = rng.chance(0.1)
    ? dateBetween(rng, addDays(DATA_DATE, -700), addDays(DATA_DATE, -20))
    : dateBetween(rng, '1994-01-01', '2022-12-31');
  if (status === 'active') return { registrationDate };
  const from = later(addDays(registrationDate, 180), addDays(DATA_DATE, -730));
  return { registrationDate, statusDate: dateBetween(rng, earlier(from, lastDay), lastDay) };
}

/** Before 2002-07-01 companies were registered elsewhere and entered the ЕГРЮЛ later that year. */
function ogrnDateFor(rng: Rng, registrationDate: string): string {
  return registrationDate >= '2002-07-01' ? registrationDate : dateBetween(rng, '2002-07-02', '2002-12-27');
}

function companyName(rng: Rng, taxRegion: string): string {
  const suffix = rng.pick(NAME_SUFFIXES).replace('REGION', taxRegion);
  return `"${rng.pick(NAME_STEMS)}${suffix}"`;
}

function makeHead(rng: Rng, taxRegion: string, form: LegalForm, status: StatusKind, start: string, statusDate?: string): Head {
  const person: Person = { fio: makeFio(rng), innfl: personInn(rng, taxRegion) };
  if (status === 'dissolving' || status === 'bankrupting' || (status === 'dissolved' && rng.chance(0.6))) {
    const date = dateBetween(rng, addDays(statusDate!, -60), statusDate!);
    const position = status === 'bankrupting' ? 'Конкурсный управляющий' : 'Ликвидатор';
    return { ...person, position, date: later(date, start), firstDate: later(date, start) };
  }
  const position = form.short === 'ООО' ? rng.pick(['Генеральный директор', 'Генеральный директор', 'Директор']) : 'Генеральный директор';
  const end = earlier(statusDate ?? addDays(DATA_DATE, -30), addDays(start, 3650));
  const date = rng.chance(0.5) ? start : dateBetween(rng, start, end);
  const firstDate = rng.chance(0.8) ? date : dateBetween(rng, start, date);
  return { ...person, position, date, firstDate };
}

function statedCapitalFor(rng: Rng, form: LegalForm): number {
  if (form.short === 'ООО') return rng.pick([10_000, 10_000, 10_000, 12_000, 20_000, 50_000, 100_000, 300_000, 1_000_000]);
  if (form.short === 'АО') return rng.pick([100_000, 500_000, 1_000_000, 10_000_000]);
  return rng.pick([50_000_000, 250_000_000, 1_200_000_000]);
}

function legalEntity(inn: string): Registration {
  const rng = rngFor(inn, 'core');
  const taxRegion = inn.slice(0, 2);
  const region = regionFor(taxRegion);
  const status = pickUlStatus(rng);
  const { registrationDate, statusDate } = ulLifetime(rng, status);
  const ogrnDate = ogrnDateFor(rng, registrationDate);
  const registrar = registrarOffice(taxRegion, region);
  const roll = rng.float();
  const form = roll < 0.8 ? LEGAL_FORMS.ooo : roll < 0.95 ? LEGAL_FORMS.ao : LEGAL_FORMS.pao;
  // Renamed only when there was time for it before any status change.
  const renamed = (statusDate ?? DATA_DATE) > addDays(ogrnDate, 1100) && rng.chance(0.25);
  const organizationType = form === LEGAL_FORMS.pao || (form === LEGAL_FORMS.ao ? rng.chance(0.7) : rng.chance(0.1)) ? 'Large' : 'Small';
  const ul: LegalEntityCore = {
    form,
    name: companyName(rng, taxRegion),
    nameDate: renamed ? dateBetween(rng, addDays(ogrnDate, 365), earlier(statusDate ?? DATA_DATE, addDays(DATA_DATE, -60))) : ogrnDate,
    ...(renamed ? { previousName: companyName(rng, taxRegion) } : {}),
    kpp: `${inn.slice(0, 4)}01001`,
    address: makeAddress(rng, region),
    addressDate: ogrnDate,
    ...addressMark(inn, status, ogrnDate),
    head: makeHead(rng, taxRegion, form, status, ogrnDate, statusDate),
    statedCapital: statedCapitalFor(rng, form),
    organizationType,
    ...(organizationType === 'Small' ? { sme: rng.chance(0.7) ? ('micro' as const) : ('small' as const) } : {}),
  };
  return {
    inn,
    // The INN's own serial as the OGRN serial: two INNs then share an OGRN far more rarely than with random digits.
    ogrn: makeOgrn('1', ogrnDate, registrar.code, inn.slice(4, 9)),
    kind: 'UL',
    index: 0,
    status,
    ...(statusDate ? { statusDate } : {}),
    registrationDate,
    ogrnDate,
    preOgrn: ogrnDate !== registrationDate,
    region,
    localTax: localOffice(inn, region),
    registrar,
    codes: makeStatCodes(rng, region, 'UL'),
    activities: pickActivities(rng),
    phones: pickPhones(rng, status),
    ul,
  };
}

interface IpLifetime {
  status: StatusKind;
  registrationDate: string;
  statusDate?: string;
}

function ipLifetimes(inn: string, rng: Rng): IpLifetime[] {
  const lastDay = addDays(DATA_DATE, -20);
  const dissolvedOne = (to: string): IpLifetime => {
    const registrationDate = dateBetween(rng, '2004-02-01', to);
    const statusDate = earlier(addDays(registrationDate, rng.int(180, 2190)), addDays(DATA_DATE, -400));
    return { status: 'dissolved', registrationDate, statusDate };
  };
  if (fnv1a(`${inn}/registrations`) % 5 === 0) {
    const old = dissolvedOne('2015-12-31');
    const reopened = dateBetween(rng, addDays(old.statusDate!, 60), earlier(addDays(old.statusDate!, 1500), lastDay));
    return [old, { status: 'active', registrationDate: reopened }];
  }
  return rng.chance(0.8) ? [{ status: 'active', registrationDate: dateBetween(rng, '2004-02-01', lastDay) }] : [dissolvedOne('2020-12-31')];
}

function soleProprietor(inn: string): Registration[] {
  const rng = rngFor(inn, 'core');
  const taxRegion = inn.slice(0, 2);
  const region = regionFor(taxRegion);
  const person: Person = { fio: makeFio(rng), innfl: inn };
  const registrar = registrarOffice(taxRegion, region);
  const localTax = localOffice(inn, region);
  return ipLifetimes(inn, rng).map((life, index) => {
    const regRng = rngFor(inn, `core/${index}`);
    return {
      inn,
      ogrn: makeOgrn('3', life.registrationDate, registrar.code, `${inn.slice(4, 10)}${index}`),
      kind: 'IP',
      index,
      status: life.status,
      ...(life.statusDate ? { statusDate: life.statusDate } : {}),
      registrationDate: life.registrationDate,
      ogrnDate: life.registrationDate,
      preOgrn: false,
      region,
      localTax,
      registrar,
      codes: makeStatCodes(regRng, region, 'IP'),
      activities: pickActivities(regRng),
      phones: pickPhones(regRng, life.status),
      ip: { person },
    };
  });
}

// ─── Registry lookups ───────────────────────────────────────────────────────────────────────────

/** OGRN → INN of every synthetic registration generated in this process, so OGRNs seen in answers resolve. */
const seenOgrns = new Map<string, string>();
const registryCache = new Map<string, readonly Registration[]>();
const REGISTRY_CACHE_LIMIT = 10_000;

/** The registrations of a synthetic INN, oldest first; [] for invalid and "00" INNs (no such region). */
export function syntheticRegistrations(inn: string): readonly Registration[] {
  if (!isValidInn(inn) || inn.startsWith('00')) return [];
  let registrations = registryCache.get(inn);
  if (!registrations) {
    registrations = inn.length === 10 ? [legalEntity(inn)] : soleProprietor(inn);
    if (registryCache.size >= REGISTRY_CACHE_LIMIT) registryCache.delete(registryCache.keys().next().value!);
    registryCache.set(inn, registrations);
    for (const registration of registrations) seenOgrns.set(registration.ogrn, inn);
  }
  return registrations;
}

/** A synthetic registration by OGRN/OGRNIP, only once this process has generated it. */
export function syntheticRegistrationByOgrn(ogrn: string): Registration | undefined {
  const inn = seenOgrns.get(ogrn);
  return inn === undefined ? undefined : syntheticRegistrations(inn).find((r) => r.ogrn === ogrn);
}

export type PayloadBuilder = (registration: Registration) => Record<string, unknown>;

/** The synthetic records one identifier (INN or OGRN) yields for a method. */
export function syntheticRecords(build: PayloadBuilder, identifier: string): FocusRecord[] {
  const registrations =
    identifier.length === 10 || identifier.length === 12
      ? syntheticRegistrations(identifier)
      : [syntheticRegistrationByOgrn(identifier)].filter((r): r is Registration => r !== undefined);
  return registrations.map((registration) =>
    sparse({
      inn: registration.inn,
      ogrn: registration.ogrn,
      focusHref: `https://focus.kontur.ru/entity?query=${registration.ogrn}`,
      ...build(registration),
    }),
  );
}

/** Drops undefined, null and false, because the live API never sends them (flags appear only when true). */
export function sparse<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sparse) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined && item !== null && item !== false) out[key] = sparse(item);
    }
    return out as T;
  }
  return value;
}

// ─── /req ───────────────────────────────────────────────────────────────────────────────────────

function statusObject(registration: Registration): Record<string, unknown> {
  if (registration.status === 'active') return { statusString: ACTIVE_STATUS };
  return {
    statusString: STATUS_STRINGS[registration.status][registration.kind],
    [registration.status]: true,
    date: registration.statusDate,
  };
}

function briefSummary(rng: Rng, status: StatusKind): Record<string, true> {
  if (status === 'dissolved' || status === 'bankrupting' || status === 'dissolving') {
    return { ...(status !== 'dissolved' && rng.chance(0.4) ? { yellowStatements: true } : {}), redStatements: true };
  }
  if (status === 'reorganizing') return { yellowStatements: true, ...(rng.chance(0.3) ? { redStatements: true } : {}) };
  const green = rng.chance(0.6);
  const yellow = rng.chance(0.45);
  return { ...(green || !yellow ? { greenStatements: true } : {}), ...(yellow ? { yellowStatements: true } : {}) };
}

function branches(rng: Rng, registration: Registration, ul: LegalEntityCore): Record<string, unknown>[] | undefined {
  if (registration.status !== 'active' || !rng.chance(0.12)) return undefined;
  return Array.from({ length: rng.int(1, 3) }, (_, i) => {
    const region = rng.pick([...REGIONS.values()]);
    return {
      ...(rng.chance(0.5) ? { name: `ФИЛИАЛ № ${i + 1} ${ul.form.short} ${ul.name.toUpperCase()}` } : {}),
      ...(rng.chance(0.5) ? { kpp: `${region.code}${rng.digits(2)}43001` } : {}),
      parsedAddressRF: makeAddress(rng, region).parsedAddressRF,
      date: dateBetween(rng, registration.ogrnDate, addDays(DATA_DATE, -30)),
    };
  });
}

/** Its own random stream, so the marks leave every other synthetic value as it was. */
function addressMark(inn: string, status: StatusKind, ogrnDate: string): { addressUnreliableSince?: string } {
  const rng = rngFor(inn, 'registry-marks');
  if (status === 'dissolved' || !rng.chance(0.03)) return {};
  return { addressUnreliableSince: dateBetween(rng, addDays(ogrnDate, 30), addDays(DATA_DATE, -30)) };
}

function reqLegalEntity(registration: Registration, ul: LegalEntityCore, rng: Rng): Record<string, unknown> {
  const { form } = ul;
  return {
    kpp: ul.kpp,
    ...registration.codes,
    okopf: form.okopf,
    opf: form.opf,
    legalName: { short: `${form.short} ${ul.name}`, full: `${form.full} ${ul.name}`, date: ul.nameDate },
    legalAddress: {
      parsedAddressRF: ul.address.parsedAddressRF,
      date: ul.addressDate,
      firstDate: ul.addressDate,
      ...(ul.addressUnreliableSince ? { isInaccuracy: true, inaccuracyDate: ul.addressUnreliableSince } : {}),
    },
    branches: branches(rng, registration, ul),
    status: statusObject(registration),
    registrationDate: registration.registrationDate,
    dissolutionDate: registration.status === 'dissolved' ? registration.statusDate : undefined,
    heads: [ul.head],
    history: ul.previousName
      ? {
          legalNames: [{ short: `${form.short} ${ul.previousName}`, full: `${form.full} ${ul.previousName}`, date: registration.ogrnDate }],
        }
      : {},
  };
}

function reqSoleProprietor(registration: Registration, person: Person): Record<string, unknown> {
  const { okpo, okato, okfs, okogu, oktmo } = registration.codes;
  return {
    fio: person.fio,
    okpo,
    okato,
    okfs,
    okogu,
    okopf: '50102',
    opf: 'Индивидуальные предприниматели',
    oktmo,
    registrationDate: registration.registrationDate,
    dissolutionDate: registration.status === 'dissolved' ? registration.statusDate : undefined,
    status: statusObject(registration),
  };
}

export const reqPayload: PayloadBuilder = (registration) => {
  const rng = rngFor(registration.inn, `req/${registration.index}`);
  const body = registration.ul
    ? { UL: reqLegalEntity(registration, registration.ul, rng) }
    : { IP: reqSoleProprietor(registration, registration.ip!.person) };
  return {
    ...body,
    briefReport: { summary: briefSummary(rng, registration.status) },
    contactPhones: registration.phones > 0 ? { count: registration.phones } : {},
  };
};

// ─── /egrDetails ────────────────────────────────────────────────────────────────────────────────

function activitiesObject(registration: Registration): Record<string, unknown> {
  const [principal, ...complementary] = registration.activities.map(([code, text]) => ({
    code,
    text,
    date: registration.ogrnDate,
  }));
  return {
    principalActivity: principal,
    complementaryActivities: complementary.length > 0 ? complementary : undefined,
    okvedVersion: '2',
  };
}

/** egrRecords' regName capitalises every word ("Межрайонная Инспекция Федеральной Налоговой Службы …"). */
function titleCase(text: string): string {
  return text.replace(/(^|\s)([а-яё])(?=[а-яё]{2})/g, (_, space: string, first: string) => space + first.toUpperCase());
}

interface EgrEvent {
  date: string;
  name: string;
  documents?: { name: string; date?: string }[];
  certificate?: boolean;
}

function grnFor(rng: Rng, registration: Registration, date: string): string {
  return registration.kind === 'UL'
    ? makeOgrn('2', date, registration.registrar.code, rng.digits(5))
    : makeOgrn('4', date, registration.registrar.code, rng.digits(7));
}

function egrEvents(rng: Rng, registration: Registration): EgrEvent[] {
  const { ogrnDate, kind, statusDate } = registration;
  const start: EgrEvent =
    kind === 'IP'
      ? {
          date: ogrnDate,
          name: 'Регистрация в качестве ИП',
          documents: [
            { name: 'Р21001 заявление о регистрации ФЛ в качестве ИП', date: addDays(ogrnDate, -5) },
            { name: 'Документ, удостоверяющий личность гражданина РФ' },
            { name: 'Квитанция', date: addDays(ogrnDate, -5) },
          ],
          certificate: true,
        }
      : registration.preOgrn
        ? { date: ogrnDate, name: 'Внесение сведений о регистрации до 1 июля 2002 года', certificate: true }
        : {
            date: ogrnDate,
            name: 'Создание ЮЛ',
            documents: [
              { name: 'Заявление о государственной регистрации юридического лица при создании', date: addDays(ogrnDate, -7) },
              { name: 'Устав юридического лица', date: addDays(ogrnDate, -7) },
              { name: 'Документ об уплате государственной пошлины', date: addDays(ogrnDate, -8) },
            ],
            certificate: true,
          };
  const end = statusDate ?? addDays(DATA_DATE, -15);
  const events: EgrEvent[] = [
    start,
    { date: addDays(ogrnDate, rng.int(0, 5)), name: 'Внесение сведений об учете в налоговом органе' },
    {
      date: addDays(ogrnDate, rng.int(7, 40)),
      name: ogrnDate < '2010-01-01' ? 'Внесение сведений о регистрации в ПФ' : 'Внесение сведений о регистрации в ПФР',
    },
  ];
  if (kind === 'UL') events.push({ date: addDays(ogrnDate, rng.int(7, 40)), name: 'Внесение сведений о регистрации в ФСС' });
  const changes = rng.int(0, 3);
  for (let i = 0; i < changes; i++) {
    events.push({
      date: dateBetween(rng, addDays(ogrnDate, 60), end),
      name:
        kind === 'IP'
          ? 'Внесение изменений в сведения об ИП'
          : rng.pick([
              'Изменение сведений о ЮЛ, содержащихся в ЕГРЮЛ',
              'Регистрация изменений в учредительных документах на основании заявления',
            ]),
    });
  }
  events.push(...statusEvents(registration));
  return events;
}

function statusEvents(registration: Registration): EgrEvent[] {
  const date = registration.statusDate;
  if (!date) return [];
  if (registration.kind === 'IP') {
    return [
      {
        date,
        name: 'Прекращение деятельности ИП',
        documents: [
          { name: 'Р26001 заявление о прекращении деятельности ИП', date: addDays(date, -6) },
          { name: 'Документ об оплате государственной пошлины', date: addDays(date, -6) },
        ],
      },
    ];
  }
  switch (registration.status) {
    case 'dissolving':
      return [{ date, name: 'Принятие юридическим лицом решения о ликвидации' }];
    case 'reorganizing':
      return [{ date, name: 'Начало процедуры реорганизации ЮЛ в форме присоединения' }];
    case 'bankrupting':
      return [{ date, name: 'Юридическое лицо признано несостоятельным (банкротом) и в отношении него открыто конкурсное производство' }];
    default:
      return [
        { date: later(addDays(date, -200), registration.ogrnDate), name: 'Принятие юридическим лицом решения о ликвидации' },
        { date: later(addDays(date, -60), registration.ogrnDate), name: 'Составление промежуточного ликвидационного баланса ЮЛ' },
        { date, name: 'Ликвидация ЮЛ', certificate: true },
      ];
  }
}

function egrRecords(registration: Registration): Record<string, unknown>[] {
  const rng = rngFor(registration.inn, `egrRecords/${registration.index}`);
  const regName = titleCase(registration.registrar.name);
  const events = egrEvents(rng, registration)
    .map((event, order) => ({ event, order }))
    // Newest first, as in every fixture; of two same-day entries the later one first.
    .sort((a, b) => (a.event.date === b.event.date ? b.order - a.order : a.event.date < b.event.date ? 1 : -1));
  return events.map(({ event, order }) => {
    const grn = grnFor(rng, registration, event.date);
    return {
      grn: order === 0 ? registration.ogrn : grn,
      date: event.date,
      name: event.name,
      regName,
      regCode: registration.registrar.code,
      documents: event.documents,
      certificates: event.certificate ? [{ serialNumber: `${registration.region.code} ${rng.digits(9)}`, date: event.date }] : undefined,
    };
  });
}

/** Share splits in percent; the capital is a multiple of 100 roubles, so shares stay whole. */
const SHARE_SPLITS: readonly (readonly number[])[] = [[100], [100], [50, 50], [51, 49], [60, 40], [34, 33, 33], [50, 25, 25]];

function shareOf(capital: number, percent: number): Record<string, number> {
  return { sum: (capital / 100) * percent, percentagePlain: percent };
}

/** Another synthetic company as founder, so its INN/OGRN/name resolve to the same registry entry. */
function founderCompany(rng: Rng, taxRegion: string, self: string): Registration | undefined {
  for (let attempt = 0; attempt < 5; attempt++) {
    const prefix = taxRegion + rng.digits(7);
    const inn = prefix + innCheckDigits(prefix);
    const [company] = syntheticRegistrations(inn);
    if (inn !== self && company?.status === 'active') return company;
  }
  return undefined;
}

function founders(rng: Rng, registration: Registration, ul: LegalEntityCore): Record<string, unknown> {
  const capital = ul.statedCapital;
  const date = registration.ogrnDate;
  if (ul.form !== LEGAL_FORMS.ooo) {
    const parent = rng.chance(0.5) ? founderCompany(rng, registration.inn.slice(0, 2), registration.inn) : undefined;
    return parent ? { foundersUL: [founderUL(parent, capital, 100, date)] } : {};
  }
  const split = rng.pick(SHARE_SPLITS);
  const companyShare = rng.chance(0.3) ? split[split.length - 1]! : 0;
  const parent = companyShare > 0 ? founderCompany(rng, registration.inn.slice(0, 2), registration.inn) : undefined;
  const personShares = parent ? split.slice(0, -1) : split;
  const people = personShares.map((percent, i) => {
    const person: Person =
      i === 0 && rng.chance(0.6) ? ul.head : { fio: makeFio(rng), innfl: personInn(rng, registration.inn.slice(0, 2)) };
    return { fio: person.fio, innfl: person.innfl, share: shareOf(capital, percent), date, firstDate: date };
  });
  return {
    foundersFL: people.length > 0 ? people : undefined,
    foundersUL: parent ? [founderUL(parent, capital, companyShare, date)] : undefined,
  };
}

function founderUL(parent: Registration, capital: number, percent: number, date: string): Record<string, unknown> {
  return {
    ogrn: parent.ogrn,
    inn: parent.inn,
    fullName: `${parent.ul!.form.full} ${parent.ul!.name}`,
    share: shareOf(capital, percent),
    date,
    firstDate: date,
  };
}

function fundNumbers(rng: Rng, registration: Registration): Record<string, string | undefined> {
  const region = registration.region.code;
  const ul = registration.kind === 'UL';
  return {
    pfrRegNumber: rng.chance(ul ? 0.95 : 0.9) ? `0${rng.digits(11)}` : undefined,
    fssRegNumber: rng.chance(ul ? 0.9 : 0.2) ? `${region}${rng.digits(13)}` : undefined,
    fomsRegNumber: rng.chance(ul ? 0.6 : 0.4) ? `${registration.region.okato}${rng.digits(13)}` : undefined,
  };
}

function regInfo(registration: Registration): Record<string, unknown> {
  const { region } = registration;
  const regName = region.capital
    ? `Администрация г. ${region.capital}`
    : region.code === '77'
      ? 'Московская регистрационная палата'
      : `Администрация г. ${region.name.topoValue}`;
  return { ogrnDate: registration.ogrnDate, regName: registration.preOgrn ? regName : undefined };
}

const egrDetailsPayload: PayloadBuilder = (registration) => {
  const rng = rngFor(registration.inn, `egrDetails/${registration.index}`);
  const { localTax, registrar, ogrnDate } = registration;
  const nalogRegBody = {
    nalogCode: localTax.code,
    nalogName: localTax.name,
    nalogRegDate: ogrnDate,
    kpp: registration.ul?.kpp,
    date: addDays(ogrnDate, rng.int(1, 10)),
  };
  const regBody = {
    nalogCode: registrar.code,
    nalogName: registrar.name,
    date: dateBetween(rng, ogrnDate, earlier(registration.statusDate ?? DATA_DATE, '2020-12-31')),
  };
  const common = { okpo: registration.codes.okpo, ...fundNumbers(rng, registration) };
  const ul = registration.ul;
  if (!ul) {
    const { region } = registration;
    return {
      IP: {
        ...common,
        okato: registration.codes.okato,
        shortenedAddress: {
          regionCode: region.code,
          regionName: region.name,
          ...(region.capital ? { city: topo('г', 'город', region.capital) } : {}),
        },
        activities: activitiesObject(registration),
        regInfo: regInfo(registration),
        nalogRegBody,
        regBody,
        egrRecords: egrRecords(registration),
      },
    };
  }
  return {
    UL: {
      ...common,
      activities: activitiesObject(registration),
      regInfo: regInfo(registration),
      nalogRegBody,
      regBody,
      statedCapital: { sum: ul.statedCapital, date: ogrnDate },
      ...founders(rng, registration, ul),
      egrRecords: egrRecords(registration),
      history: {},
    },
  };
};

// ─── /buh ───────────────────────────────────────────────────────────────────────────────────────

type Lines = Map<number, number>;

export interface BuhLine {
  code: number;
  name: string;
  startValue: number;
  endValue: number;
}

export interface BuhForm {
  year: number;
  organizationType: 'Small' | 'Large';
  form1: BuhLine[];
  form2: BuhLine[];
}

/** Line sets exactly as the captured forms list them (Large: totals first; Small: aggregated names). */
const LARGE_FORM1: readonly (readonly [number, string])[] = [
  [1100, 'Итого'],
  [1110, 'Нематериальные активы'],
  [1120, 'Результаты исследований и разработок'],
  [1130, 'Нематериальные поисковые активы'],
  [1140, 'Материальные поисковые активы'],
  [1150, 'Основные средства'],
  [1160, 'Доходные вложения в материальные ценности'],
  [1170, 'Финансовые вложения'],
  [1180, 'Отложенные налоговые активы'],
  [1190, 'Прочие внеоборотные активы'],
  [1200, 'Итого'],
  [1210, 'Запасы'],
  [1220, 'НДС по приобретенным ценностям'],
  [1230, 'Дебиторская задолженность'],
  [1240, 'Финансовые вложения (за исключением денежных эквивалентов)'],
  [1250, 'Денежные средства и денежные эквиваленты'],
  [1260, 'Прочие оборотные активы'],
  [1300, 'Итого'],
  [1310, 'Уставный капитал'],
  [1320, 'Собственные акции, выкупленные у акционеров'],
  [1340, 'Переоценка внеоборотных активов'],
  [1350, 'Добавочный капитал (без переоценки)'],
  [1360, 'Резервный капитал'],
  [1370, 'Нераспределенная прибыль (непокрытый убыток)'],
  [1400, 'Итого'],
  [1410, 'Заемные средства'],
  [1420, 'Отложенные налоговые обязательства'],
  [1430, 'Оценочные обязательства'],
  [1450, 'Прочие обязательства'],
  [1500, 'Итого'],
  [1510, 'Заемные средства'],
  [1520, 'Кредиторская задолженность'],
  [1530, 'Доходы будущих периодов'],
  [1540, 'Оценочные обязательства'],
  [1550, 'Прочие обязательства'],
  [1600, 'Баланс'],
];
const LARGE_FORM2: readonly (readonly [number, string])[] = [
  [2100, 'Валовая прибыль (убыток)'],
  [2110, 'Выручка'],
  [2120, 'Себестоимость продаж'],
  [2200, 'Прибыль (убыток) от продаж'],
  [2210, 'Коммерческие расходы'],
  [2220, 'Управленческие расходы'],
  [2300, 'Прибыль (убыток) до налогообложения'],
  [2310, 'Доходы от участия в других организациях'],
  [2320, 'Проценты к получению'],
  [2330, 'Проценты к уплате'],
  [2340, 'Прочие доходы'],
  [2350, 'Прочие расходы'],
  [2400, 'Чистая прибыль (убыток)'],
  [2410, 'Текущий налог на прибыль'],
  [2421, 'Постоянные налоговые обязательства (активы)'],
  [2430, 'Изменение отложенных налоговых обязательств'],
  [2450, 'Изменение отложенных налоговых активов'],
  [2460, 'Прочее'],
  [2500, 'Совокупный финансовый результат периода'],
  [2510, 'Результат от переоценки внеоборотных активов, не включаемый в чистую прибыль (убыток)'],
  [2520, 'Результат от прочих операций, не включаемый в чистую прибыль (убыток) периода'],
];
const OTHER_NON_CURRENT = 'Нематериальные, финансовые и другие внеоборотные активы';
const OTHER_CURRENT = 'Финансовые и другие оборотные активы';
const OTHER_LONG = 'Другие долгосрочные обязательства';
const OTHER_SHORT = 'Другие краткосрочные обязательства';
const SMALL_FORM1: readonly (readonly [number, string])[] = [
  [1110, OTHER_NON_CURRENT],
  [1120, OTHER_NON_CURRENT],
  [1130, OTHER_NON_CURRENT],
  [1140, OTHER_NON_CURRENT],
  [1150, 'Материальные внеоборотные активы'],
  [1160, OTHER_NON_CURRENT],
  [1170, OTHER_NON_CURRENT],
  [1180, OTHER_NON_CURRENT],
  [1190, OTHER_NON_CURRENT],
  [1210, 'Запасы'],
  [1220, OTHER_CURRENT],
  [1230, OTHER_CURRENT],
  [1240, OTHER_CURRENT],
  [1250, 'Денежные средства и денежные эквиваленты'],
  [1260, OTHER_CURRENT],
  [1300, 'Капитал и резервы'],
  [1410, 'Долгосрочные заемные средства'],
  [1420, OTHER_LONG],
  [1430, OTHER_LONG],
  [1450, OTHER_LONG],
  [1510, 'Краткосрочные заемные средства'],
  [1520, 'Кредиторская задолженность'],
  [1530, OTHER_SHORT],
  [1540, OTHER_SHORT],
  [1550, OTHER_SHORT],
  [1600, 'Баланс'],
  [1700, 'Баланс'],
];
const SMALL_FORM2: readonly (readonly [number, string])[] = [
  [2110, 'Выручка'],
  [2120, 'Расходы по обычной деятельности'],
  [2330, 'Проценты к уплате'],
  [2340, 'Прочие доходы'],
  [2350, 'Прочие расходы'],
  [2400, 'Чистая прибыль (убыток)'],
  [2410, 'Налоги на прибыль (доходы)'],
];

const sumOf = (lines: Lines, codes: readonly number[]): number => codes.reduce((total, code) => total + (lines.get(code) ?? 0), 0);

/**
 * One year's Large-form lines in thousands of roubles; Small forms are aggregated from them.
 * Distressed companies (bankrupting, dissolving) spend more than they earn, so their 2400 line is usually a loss.
 */
function yearLines(rng: Rng, revenue: number, charter: number, distressed: boolean): Lines {
  const part = (base: number, min: number, max: number): number => Math.round(base * rng.between(min, max));
  const lines: Lines = new Map();
  const set = (code: number, value: number): void => void lines.set(code, value);
  set(2110, Math.round(revenue));
  set(2120, distressed ? part(revenue, 0.9, 1.15) : part(revenue, 0.62, 0.88));
  set(2210, part(revenue, 0, 0.05));
  set(2220, part(revenue, 0.02, 0.09));
  set(2310, rng.chance(0.2) ? part(revenue, 0, 0.01) : 0);
  set(2320, part(revenue, 0, 0.01));
  set(2330, rng.chance(0.4) ? part(revenue, 0, 0.02) : 0);
  set(2340, part(revenue, 0, 0.03));
  set(2350, part(revenue, 0, 0.04));
  set(2100, lines.get(2110)! - lines.get(2120)!);
  set(2200, lines.get(2100)! - sumOf(lines, [2210, 2220]));
  set(2300, lines.get(2200)! + sumOf(lines, [2310, 2320, 2340]) - sumOf(lines, [2330, 2350]));
  set(2410, Math.max(0, Math.round(lines.get(2300)! * 0.2)));
  set(2400, lines.get(2300)! - lines.get(2410)!);
  set(2500, lines.get(2400)!);
  const assets = revenue * rng.between(0.3, 1.2);
  for (const [code, min, max] of [
    [1110, 0, 0.02],
    [1150, 0.1, 0.5],
    [1170, 0, 0.1],
    [1180, 0, 0.02],
    [1190, 0, 0.02],
    [1210, 0.05, 0.3],
    [1220, 0, 0.005],
    [1230, 0.1, 0.35],
    [1240, 0, 0.05],
    [1250, 0.01, 0.1],
    [1260, 0, 0.005],
  ] as const) {
    set(code, part(assets, min, max));
  }
  set(1100, sumOf(lines, [1110, 1120, 1130, 1140, 1150, 1160, 1170, 1180, 1190]));
  set(1200, sumOf(lines, [1210, 1220, 1230, 1240, 1250, 1260]));
  set(1600, lines.get(1100)! + lines.get(1200)!);
  const total = lines.get(1600)!;
  set(1310, charter);
  set(1360, Math.round(charter * 0.05));
  set(1410, rng.chance(0.3) ? part(total, 0, 0.2) : 0);
  set(1420, part(total, 0, 0.01));
  set(1510, rng.chance(0.4) ? part(total, 0, 0.2) : 0);
  set(1520, part(total, 0.1, 0.4));
  set(1540, part(total, 0, 0.03));
  set(1400, sumOf(lines, [1410, 1420, 1430, 1450]));
  set(1500, sumOf(lines, [1510, 1520, 1530, 1540, 1550]));
  // Retained earnings close the balance; negative means an accumulated loss, as in real filings.
  set(1370, total - lines.get(1400)! - lines.get(1500)! - sumOf(lines, [1310, 1340, 1350, 1360]));
  set(1300, sumOf(lines, [1310, 1340, 1350, 1360, 1370]) - (lines.get(1320) ?? 0));
  return lines;
}

/** Collapse Large lines into the Small-form groups (the value sits on one code of each group). */
function smallLines(large: Lines): Lines {
  const small: Lines = new Map();
  small.set(1150, sumOf(large, [1150]));
  small.set(1170, sumOf(large, [1110, 1170, 1180, 1190]));
  small.set(1210, sumOf(large, [1210]));
  small.set(1230, sumOf(large, [1220, 1230, 1240, 1260]));
  small.set(1250, sumOf(large, [1250]));
  small.set(1300, sumOf(large, [1300]));
  small.set(1410, sumOf(large, [1410]));
  small.set(1450, sumOf(large, [1420, 1430, 1450]));
  small.set(1510, sumOf(large, [1510]));
  small.set(1520, sumOf(large, [1520]));
  small.set(1550, sumOf(large, [1530, 1540, 1550]));
  small.set(1600, sumOf(large, [1600]));
  small.set(1700, sumOf(large, [1600]));
  small.set(2110, sumOf(large, [2110]));
  small.set(2120, sumOf(large, [2120, 2210, 2220]));
  small.set(2330, sumOf(large, [2330]));
  small.set(2340, sumOf(large, [2310, 2320, 2340]));
  small.set(2350, sumOf(large, [2350]));
  small.set(2410, sumOf(large, [2410]));
  small.set(2400, sumOf(large, [2400]));
  return small;
}

function formLines(layout: readonly (readonly [number, string])[], start: Lines, end: Lines): BuhLine[] {
  // Filings are in thousands; the API reports roubles, so every value is a whole multiple of 1000.
  return layout.map(([code, name]) => ({ code, name, startValue: (start.get(code) ?? 0) * 1000, endValue: (end.get(code) ?? 0) * 1000 }));
}

/** Annual statements of a registration, oldest first; [] for IPs, dissolved companies and this year's newcomers. */
export function financialStatements(registration: Registration): BuhForm[] {
  const ul = registration.ul;
  if (!ul || registration.status === 'dissolved') return [];
  const rng = rngFor(registration.inn, `buh/${registration.index}`);
  const lastYear = yearOf(DATA_DATE) - 1;
  const firstYear = Math.max(yearOf(registration.registrationDate), lastYear - rng.int(1, 2));
  if (firstYear > lastYear) return [];
  const large = ul.organizationType === 'Large';
  let revenue = large ? rng.logUniform(400_000, 50_000_000) : rng.logUniform(500, 300_000);
  const charter = Math.max(1, Math.round(ul.statedCapital / 1000));
  const distressed = registration.status === 'bankrupting' || registration.status === 'dissolving';
  let previous: Lines =
    firstYear > yearOf(registration.registrationDate) ? yearLines(rng, revenue, charter, distressed) : new Map<number, number>();
  const forms: BuhForm[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    revenue *= rng.between(0.8, 1.3);
    const current = yearLines(rng, revenue, charter, distressed);
    const [start, end] = large ? [previous, current] : [smallLines(previous), smallLines(current)];
    forms.push({
      year,
      organizationType: ul.organizationType,
      form1: formLines(large ? LARGE_FORM1 : SMALL_FORM1, start, end),
      form2: formLines(large ? LARGE_FORM2 : SMALL_FORM2, start, end),
    });
    previous = current;
  }
  return forms;
}

const buhPayload: PayloadBuilder = (registration) => ({ buhForms: financialStatements(registration) });

// ─── /analytics ─────────────────────────────────────────────────────────────────────────────────

type Analytics = Record<string, number | string | boolean>;

function countAndSum(rng: Rng, a: Analytics, qKey: string, sKey: string, maxCount: number, minSum: number, maxSum: number): void {
  a[qKey] = rng.int(1, maxCount);
  a[sKey] = rng.money(minSum, maxSum);
}

function fsspKeys(rng: Rng, a: Analytics, probability: number): void {
  if (!rng.chance(probability)) return;
  countAndSum(rng, a, 'q1001', 's1001', 5, 3_000, 300_000);
  a.q1002 = (a.q1001 as number) + rng.int(0, 20);
  a.s1002 = Math.round(((a.s1001 as number) + rng.money(1_000, 500_000)) * 100) / 100;
  if (rng.chance(0.1)) a.m1003 = true;
  if (rng.chance(0.3)) a.s1007 = rng.money(1_000, a.s1002);
}

function arbitrationKeys(rng: Rng, a: Analytics, probability: number): void {
  if (!rng.chance(probability)) return;
  countAndSum(rng, a, 'q2001', 's2001', 8, 20_000, 20_000_000);
  a.q2002 = (a.q2001 as number) + rng.int(0, 15);
  a.s2002 = Math.round(((a.s2001 as number) + rng.money(10_000, 30_000_000)) * 100) / 100;
  if (rng.chance(0.6)) {
    countAndSum(rng, a, 'q2003', 's2003', 10, 20_000, 20_000_000);
    a.q2004 = (a.q2003 as number) + rng.int(0, 15);
    a.s2004 = Math.round(((a.s2003 as number) + rng.money(10_000, 30_000_000)) * 100) / 100;
  }
}

function financeKeys(a: Analytics, registration: Registration): void {
  const latest = financialStatements(registration).at(-1);
  if (!latest) return;
  const line = (code: number): BuhLine => [...latest.form1, ...latest.form2].find((l) => l.code === code)!;
  a.q6001 = latest.year;
  if (latest.year === yearOf(DATA_DATE) - 1) a.m6002 = true;
  a.s6003 = line(2110).startValue;
  a.s6004 = line(2110).endValue;
  a.s6005 = line(1600).startValue;
  a.s6006 = line(1600).endValue;
  a.s6007 = line(2400).startValue;
  a.s6008 = line(2400).endValue;
}

function ageKeys(a: Analytics, registration: Registration): void {
  const age = toDays(DATA_DATE) - toDays(registration.registrationDate);
  if (age < 91) a.m7002 = true;
  if (age < 183) a.m7003 = true;
  if (age < 365) a.m7004 = true;
}

function legalEntityAnalytics(rng: Rng, a: Analytics, registration: Registration, ul: LegalEntityCore): void {
  const { status } = registration;
  const alive = status !== 'dissolved';
  fsspKeys(rng, a, alive ? 0.3 : 0.1);
  arbitrationKeys(rng, a, status === 'bankrupting' ? 1 : alive ? 0.4 : 0.1);
  if (status === 'active' && rng.chance(0.25)) {
    countAndSum(rng, a, 'q4002', 's4002', 20, 50_000, 50_000_000);
    a.q4003 = (a.q4002 as number) + rng.int(0, 60);
    a.s4003 = Math.round(((a.s4002 as number) + rng.money(50_000, 100_000_000)) * 100) / 100;
  }
  // Kontur's marker of an unreliable address follows the registry's own mark in req.
  if (alive && (rng.chance(0.03) || ul.addressUnreliableSince)) a.m5006 = true;
  financeKeys(a, registration);
  if (alive) ageKeys(a, registration);
  a.q7007 = rng.int(1, 40);
  a.q7009 = a.q7007 + rng.int(0, 60);
  a.d7010 = dateBetween(rng, addDays(DATA_DATE, -60), addDays(DATA_DATE, -1));
  if (alive && (status !== 'active' || rng.chance(0.06))) a.m7010 = true;
  if (status === 'bankrupting') {
    a.e7014 = 'Конкурсное производство';
    a.m7014 = true;
    a.q7026 = rng.int(1, 4);
  }
  if (status === 'dissolving') a.m7037 = true;
  a.q7018 = rng.int(1, 3);
  a.q7019 = a.q7018 + rng.int(0, 3);
  a.q7020 = rng.int(1, 6);
  a.q7021 = a.q7020 + rng.int(0, 6);
  if (alive && rng.chance(0.7)) a.q7022 = ul.organizationType === 'Large' ? rng.int(250, 9000) : rng.int(1, 100);
  if (alive && ul.sme) {
    a.d7023 = later('2016-08-10', `${registration.registrationDate.slice(0, 7)}-10`);
    a[ul.sme === 'micro' ? 'm7023' : 'm7024'] = true;
    if (rng.chance(0.5)) a.m7027 = true;
  }
  if (alive && rng.chance(0.3)) a.q8001 = rng.int(1, 5);
  if (alive && rng.chance(0.1)) a.q9001 = rng.int(1, 12);
}

function soleProprietorAnalytics(rng: Rng, a: Analytics, registration: Registration): void {
  fsspKeys(rng, a, 0.25);
  ageKeys(a, registration);
  a.d7010 = dateBetween(rng, addDays(DATA_DATE, -60), addDays(DATA_DATE, -1));
  if (rng.chance(0.1)) a.m7010 = true;
  if (rng.chance(0.5)) {
    a.d7023 = later('2016-08-10', `${registration.registrationDate.slice(0, 7)}-10`);
    a.m7023 = true;
  }
  if (rng.chance(0.4)) a.m7027 = true;
}

const analyticsPayload: PayloadBuilder = (registration) => {
  // Dissolved sole proprietors answer `analytics: {}`, as all three captured ones do.
  if (registration.kind === 'IP' && registration.status === 'dissolved') return { analytics: {} };
  const rng = rngFor(registration.inn, `analytics/${registration.index}`);
  const analytics: Analytics = {};
  if (registration.ul) legalEntityAnalytics(rng, analytics, registration, registration.ul);
  else soleProprietorAnalytics(rng, analytics, registration);
  return { analytics };
};

// ─── /licences ──────────────────────────────────────────────────────────────────────────────────

interface LicenceKind {
  source: string;
  issuer: string;
  activity: string;
  /** Validity in years; absent = open-ended. */
  years?: number;
  number: (rng: Rng, region: string) => string;
  forSoleProprietors: boolean;
}

const LICENCE_KINDS: readonly LicenceKind[] = [
  {
    source: 'Росздравнадзор',
    issuer: 'Федеральная служба по надзору в сфере здравоохранения',
    activity: 'Медицинская деятельность',
    number: (r, reg) => `ЛО-${reg}-01-00${r.digits(4)}`,
    forSoleProprietors: true,
  },
  {
    source: 'Рособрнадзор',
    issuer: 'Федеральная служба по надзору в сфере образования и науки',
    activity: 'Образовательная деятельность',
    number: (r) => r.digits(4),
    forSoleProprietors: true,
  },
  {
    source: 'Росалкогольрегулирование',
    issuer: 'Федеральная служба по регулированию алкогольного рынка',
    activity: 'Розничная продажа алкогольной продукции',
    years: 5,
    number: (r, reg) => `${reg}РПА000${r.digits(4)}`,
    forSoleProprietors: false,
  },
  {
    source: 'РоскомнадзорСвязь',
    issuer: 'Федеральная служба по надзору в сфере связи, информационных технологий и массовых коммуникаций',
    activity: 'Телематические услуги связи',
    years: 5,
    number: (r) => r.digits(6),
    forSoleProprietors: false,
  },
  {
    source: 'Ростехнадзор',
    issuer: 'Федеральная служба по экологическому, технологическому и атомному надзору',
    activity: 'Эксплуатация взрывопожароопасных и химически опасных производственных объектов I, II и III классов опасности',
    number: (r) => `ВП-${r.digits(2)}-00${r.digits(4)}`,
    forSoleProprietors: false,
  },
  {
    source: 'Росприроднадзор',
    issuer: 'Федеральная служба по надзору в сфере природопользования',
    activity:
      'Деятельность по сбору, транспортированию, обработке, утилизации, обезвреживанию, размещению отходов I - IV классов опасности',
    number: (r, reg) => `(${reg})-${r.digits(4)}-СТ`,
    forSoleProprietors: true,
  },
];

function licenceStatus(registration: Registration, dateEnd: string | undefined): string {
  if (registration.status === 'dissolved') return 'Прекращена';
  return dateEnd !== undefined && dateEnd < DATA_DATE ? 'Истекла' : 'Действующая';
}

/** Two record styles, as captured: the authority's own (activity, addresses, no `date`) and ЕГРЮЛ's (date, services). */
function licence(rng: Rng, registration: Registration, kind: LicenceKind): Record<string, unknown> {
  const dateStart = dateBetween(rng, registration.ogrnDate, earlier(registration.statusDate ?? DATA_DATE, addDays(DATA_DATE, -30)));
  const dateEnd = kind.years ? addDays(dateStart, kind.years * 365 + 1) : undefined;
  const number = kind.number(rng, registration.region.code);
  const statusDescription = rng.chance(0.9) ? licenceStatus(registration, dateEnd) : undefined;
  if (rng.chance(0.5)) {
    return {
      source: kind.source,
      officialNum: `№ ${number}`,
      dateStart,
      dateEnd,
      statusDescription,
      activity: kind.activity,
      addresses: registration.ul && rng.chance(0.5) ? [registration.ul.address.line] : undefined,
    };
  }
  return {
    source: 'ЕГРЮЛ',
    officialNum: `№ ${number}`,
    issuerName: kind.issuer,
    date: dateStart,
    dateStart,
    dateEnd,
    statusDescription,
    services: [kind.activity],
  };
}

const licencesPayload: PayloadBuilder = (registration) => {
  const rng = rngFor(registration.inn, `licences/${registration.index}`);
  const kinds = LICENCE_KINDS.filter((kind) => registration.kind === 'UL' || kind.forSoleProprietors);
  const roll = rng.float();
  const count = registration.kind === 'IP' ? (roll < 0.88 ? 0 : 1) : roll < 0.6 ? 0 : roll < 0.8 ? 1 : roll < 0.92 ? 2 : 3;
  return { licenses: rng.sample(kinds, count).map((kind) => licence(rng, registration, kind)) };
};

// ─── /contacts ──────────────────────────────────────────────────────────────────────────────────

/** Landline area codes (after the trunk 8) of the larger regions; elsewhere numbers are mobile (89…). */
const AREA_CODES: Record<string, readonly string[]> = {
  '02': ['347'],
  '16': ['843'],
  '23': ['861'],
  '24': ['391'],
  '38': ['3952'],
  '50': ['495', '496', '498'],
  '52': ['831'],
  '54': ['383'],
  '55': ['3812'],
  '59': ['342'],
  '61': ['863'],
  '63': ['846'],
  '66': ['343'],
  '72': ['3452'],
  '74': ['351'],
  '77': ['495', '499'],
  '78': ['812'],
};

/**
 * Exactly `registration.phones` distinct numbers (req's contactPhones.count for the same registration): 11-digit
 * strings starting with the trunk prefix 8, as all 4678 captured numbers do.
 */
function phoneNumbers(registration: Registration): string[] {
  const rng = rngFor(registration.inn, `contacts/${registration.index}`);
  const areas = AREA_CODES[registration.region.code];
  const phones = new Set<string>();
  while (phones.size < registration.phones) {
    const area = areas && rng.chance(0.7) ? rng.pick(areas) : `9${rng.digits(2)}`;
    phones.add(`8${area}${rng.digits(10 - area.length)}`);
  }
  return [...phones];
}

const contactsPayload: PayloadBuilder = (registration) => {
  const phones = phoneNumbers(registration);
  // With no numbers the live API sends {"phones":[]} without a count (13 of 19 fixtures).
  return { contactPhones: phones.length > 0 ? { count: phones.length, phones } : { phones: [] } };
};

/** Payload builders per API method; the emulator's method table picks from here. */
export const SYNTHETIC_PAYLOADS = {
  req: reqPayload,
  egrDetails: egrDetailsPayload,
  analytics: analyticsPayload,
  licences: licencesPayload,
  buh: buhPayload,
  contacts: contactsPayload,
} satisfies Record<string, PayloadBuilder>;
