/**
 * The graph's company → Bitrix24's requisite, legal address and company fields (the vendor reference's §9 mapping),
 * in one place. Values are strings, as Bitrix24 stores them; a field the registry leaves empty is not written.
 */

/** What the processor asks the graph about each company (the same loaders and cache as any operation). */
export const COMPANIES_QUERY = /* GraphQL */ `
  query Bitrix24Companies($inns: [String!]!) {
    companies(inns: $inns) {
      inn
      kind
      ogrn
      kpp
      shortName
      fullName
      okpo
      oktmo
      registrationDate
      status {
        code
        text
      }
      legalAddress {
        zipCode
        region
        city
        street
        house
        flat
        oneLine
      }
      heads {
        fio
        position
      }
      focusUrl
      freshness {
        fetchedAt
      }
    }
  }
`;

export interface GraphCompany {
  inn: string;
  kind: 'LEGAL_ENTITY' | 'SOLE_PROPRIETOR';
  ogrn: string | null;
  kpp: string | null;
  shortName: string | null;
  fullName: string | null;
  okpo: string | null;
  oktmo: string | null;
  registrationDate: string | null;
  status: { code: string; text: string | null } | null;
  legalAddress: {
    zipCode: string | null;
    region: string | null;
    city: string | null;
    street: string | null;
    house: string | null;
    flat: string | null;
    oneLine: string | null;
  } | null;
  heads: Array<{ fio: string | null; position: string | null }> | null;
  focusUrl: string | null;
  freshness: { fetchedAt: string } | null;
}

export type Fields = Record<string, string>;

/** `2007-04-06` → `06.04.2007`: RQ_COMPANY_REG_DATE is a plain string in the portal's (Russian) date format. */
export function portalDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}.${month}.${year}`;
}

function defined(fields: Record<string, string | null | undefined>): Fields {
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''),
  );
}

/** The requisite's RQ_* fields for a company. */
export function requisiteFields(company: GraphCompany): Fields {
  const head = company.heads?.[0];
  if (company.kind === 'SOLE_PROPRIETOR') {
    // "Фамилия Имя Отчество": split on the first two spaces; a patronymic may be missing or several words.
    const fio = company.fullName ?? '';
    const [last, first, ...rest] = fio.split(' ');
    return defined({
      RQ_OGRNIP: company.ogrn,
      RQ_OKPO: company.okpo,
      RQ_NAME: fio,
      RQ_LAST_NAME: last,
      RQ_FIRST_NAME: first,
      RQ_SECOND_NAME: rest.join(' '),
    });
  }
  return defined({
    RQ_COMPANY_NAME: company.shortName,
    RQ_COMPANY_FULL_NAME: company.fullName,
    RQ_KPP: company.kpp,
    RQ_OGRN: company.ogrn,
    RQ_OKPO: company.okpo,
    RQ_OKTMO: company.oktmo,
    RQ_COMPANY_REG_DATE: company.registrationDate ? portalDate(company.registrationDate) : undefined,
    RQ_DIRECTOR: head?.fio,
    RQ_CEO_NAME: head?.fio,
    RQ_CEO_WORK_POS: head?.position,
  });
}

/** Federal cities are a region and a city at once: Bitrix24's own auto-fill puts them in CITY. */
const FEDERAL_CITY = /^(г\.?\s*)?(Москва|Санкт-Петербург|Севастополь)$|^(Москва|Санкт-Петербург|Севастополь)\s+г\.?$/;

/** The legal address record (TYPE_ID 6 of the requisite), the full set of fields (partial updates misbehave). */
export function legalAddressFields(company: GraphCompany): Fields | undefined {
  const address = company.legalAddress;
  if (!address) return undefined;
  const federal = address.region !== null && FEDERAL_CITY.test(address.region.trim());
  const line1 = [address.street, address.house].filter(Boolean).join(', ');
  return {
    POSTAL_CODE: address.zipCode ?? '',
    PROVINCE: federal ? '' : (address.region ?? ''),
    REGION: '',
    CITY: address.city ?? (federal ? address.region! : ''),
    ADDRESS_1: line1 || (address.oneLine ?? ''),
    ADDRESS_2: address.flat ?? '',
    COUNTRY: 'Россия',
  };
}

/** The company's UF_CRM_FOCUS_* fields (and TITLE when the company has none). */
export function companyFields(company: GraphCompany, currentTitle: string, checkedAt: string): Fields {
  return defined({
    UF_CRM_FOCUS_STATUS: company.status?.code ?? 'UNKNOWN',
    UF_CRM_FOCUS_STATUS_TEXT: company.status?.text,
    UF_CRM_FOCUS_URL: company.focusUrl,
    UF_CRM_FOCUS_CHECKED_AT: checkedAt,
    TITLE: currentTitle.trim() === '' ? company.shortName : undefined,
  });
}

/** Only what differs from what the portal holds: an unchanged entity gets no write (and so fires no echo). */
export function changed(wanted: Fields, current: Record<string, unknown>): Fields {
  return Object.fromEntries(
    Object.entries(wanted).filter(([key, value]) => {
      const held = current[key];
      return (typeof held === 'string' || typeof held === 'number' ? String(held) : '') !== value;
    }),
  );
}
