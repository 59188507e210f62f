import type {
  AddressResolvers,
  BranchResolvers,
  CompanyStatusResolvers,
  ExpressReportResolvers,
  HeadResolvers,
  ManagementCompanyResolvers,
  RegistrationResolvers,
} from '../../../generated/graphql.ts';
import { cityOf, flatOf, formatToponym, houseOf, oneLineAddress } from '../address.ts';
import { NO_STATUS, isOperating, kindOf, registryPart, shortNameOf, statusCode, statusOf } from '../registry.ts';

/** Types mapped from Kontur.Focus req records (see codegen.ts mappers). */

export const CompanyStatus: CompanyStatusResolvers = {
  code: (status) => statusCode(status),
  text: (status) => status.statusString ?? null,
  date: (status) => status.date ?? null,
  isActive: (status) => isOperating(statusCode(status)),
};

export const Address: AddressResolvers = {
  oneLine: (address) => oneLineAddress(address) ?? null,
  zipCode: (address) => address.zipCode ?? null,
  regionCode: (address) => address.regionCode ?? null,
  region: (address) => formatToponym(address.regionName) ?? null,
  city: (address) => cityOf(address) ?? null,
  street: (address) => formatToponym(address.street) ?? null,
  house: (address) => houseOf(address) ?? null,
  flat: (address) => flatOf(address) ?? null,
};

export const Head: HeadResolvers = {
  fio: (head) => head.fio ?? null,
  innfl: (head) => head.innfl ?? null,
  position: (head) => head.position ?? null,
  since: (head) => head.firstDate ?? head.date ?? null,
};

export const ManagementCompany: ManagementCompanyResolvers = {
  name: (company) => company.name ?? null,
  inn: (company) => company.inn ?? null,
  ogrn: (company) => company.ogrn ?? null,
  since: (company) => company.date ?? null,
};

export const Branch: BranchResolvers = {
  name: (branch) => branch.name ?? null,
  kpp: (branch) => branch.kpp ?? null,
  address: (branch) => branch.parsedAddressRF ?? null,
  foreignAddress: (branch) =>
    [branch.foreignAddress?.countryName, branch.foreignAddress?.addressString].filter(Boolean).join(', ') || null,
  since: (branch) => branch.date ?? null,
};

export const ExpressReport: ExpressReportResolvers = {
  green: ({ summary }) => summary.greenStatements,
  yellow: ({ summary }) => summary.yellowStatements,
  red: ({ summary }) => summary.redStatements,
};

export const Registration: RegistrationResolvers = {
  ogrn: ({ record }) => record.ogrn ?? null,
  kind: ({ record }) => kindOf(record),
  name: ({ record }) => shortNameOf(record) ?? null,
  status: ({ record }) => statusOf(record) ?? NO_STATUS,
  registrationDate: ({ record }) => registryPart(record)?.registrationDate ?? null,
  dissolutionDate: ({ record }) => registryPart(record)?.dissolutionDate ?? null,
  focusUrl: ({ record }) => record.focusHref ?? null,
  isCurrent: ({ isCurrent }) => isCurrent,
};
