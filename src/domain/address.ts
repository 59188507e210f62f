/**
 * Russian address parts as the registries give them ("обл Свердловская", "г Екатеринбург"), and how they read on one
 * line. Kontur.Focus's parsed addresses have this shape; T-Bank's are mapped onto it.
 */
export interface Toponym {
  topoShortName?: string | undefined;
  topoValue?: string | undefined;
}

export interface ParsedAddress {
  zipCode?: string | undefined;
  regionCode?: string | undefined;
  regionName?: Toponym | undefined;
  district?: Toponym | undefined;
  city?: Toponym | undefined;
  settlement?: Toponym | undefined;
  street?: Toponym | undefined;
  house?: Toponym | undefined;
  bulk?: Toponym | undefined;
  flat?: Toponym | undefined;
  houseRaw?: string | undefined;
  bulkRaw?: string | undefined;
  flatRaw?: string | undefined;
  oneLineFormatOfAddress?: string | undefined;
}

/** Toponym types written after the name in Russian addresses ("Свердловская обл", "Пермский край"). */
const SUFFIX_TYPES = new Set(['обл', 'край', 'АО', 'Аобл', 'р-н', 'ш']);
/** Regions that are cities themselves: their city is the region. */
const FEDERAL_CITY_REGIONS = new Set(['77', '78', '92']);

/** Registry raw parts can be junk such as "----"; such a value is no value. */
function meaningful(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return /[\p{L}\p{N}]/u.test(value) ? value.trim() : undefined;
}

export function formatToponym(toponym: Toponym | undefined): string | undefined {
  const value = meaningful(toponym?.topoValue);
  if (!value) return undefined;
  const type = toponym?.topoShortName;
  if (!type) return value;
  return SUFFIX_TYPES.has(type) ? `${value} ${type}` : `${type} ${value}`;
}

export function houseOf(address: ParsedAddress): string | undefined {
  const house = meaningful(address.house?.topoValue) ?? meaningful(address.houseRaw);
  const bulk = meaningful(address.bulk?.topoValue) ?? meaningful(address.bulkRaw);
  if (!house) return bulk ? `${address.bulk?.topoShortName ?? 'корп'} ${bulk}` : undefined;
  return bulk ? `${house} ${address.bulk?.topoShortName ?? 'корп'} ${bulk}` : house;
}

export function flatOf(address: ParsedAddress): string | undefined {
  return meaningful(address.flat?.topoValue) ?? meaningful(address.flatRaw);
}

export function cityOf(address: ParsedAddress): string | undefined {
  const city = formatToponym(address.city) ?? formatToponym(address.settlement);
  if (city) return city;
  return address.regionCode && FEDERAL_CITY_REGIONS.has(address.regionCode) ? formatToponym(address.regionName) : undefined;
}

/** A readable one-line address: "620017, Свердловская обл, г Екатеринбург, пр-кт Космонавтов, д 56, кв 12". */
export function oneLineAddress(address: ParsedAddress): string | undefined {
  if (address.oneLineFormatOfAddress) return address.oneLineFormatOfAddress;
  const house = houseOf(address);
  const flat = flatOf(address);
  const flatType = address.flat?.topoShortName ?? 'пом';
  const parts = [
    meaningful(address.zipCode),
    formatToponym(address.regionName),
    formatToponym(address.district),
    formatToponym(address.city),
    formatToponym(address.settlement),
    formatToponym(address.street),
    house ? `д ${house}` : undefined,
    flat ? `${flatType} ${flat}` : undefined,
  ].filter((part): part is string => part !== undefined);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** The graph's address (domain/company.ts AddressModel) from parsed parts. */
export function addressModel(address: ParsedAddress) {
  return {
    oneLine: oneLineAddress(address) ?? null,
    zipCode: address.zipCode ?? null,
    regionCode: address.regionCode ?? null,
    region: formatToponym(address.regionName) ?? null,
    city: cityOf(address) ?? null,
    street: formatToponym(address.street) ?? null,
    house: houseOf(address) ?? null,
    flat: flatOf(address) ?? null,
    unreliable: false,
    unreliableSince: null as string | null,
  };
}
