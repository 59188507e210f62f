import type { ExpressReportResolvers, RegistrationResolvers } from '../../../generated/graphql.ts';

/**
 * CompanyStatus, Address, Head, ManagementCompany and Branch are read as the requisites source mapped them
 * (domain/company.ts has the graph's shape): default resolvers.
 */

export const ExpressReport: ExpressReportResolvers = {
  green: ({ summary }) => summary.green,
  yellow: ({ summary }) => summary.yellow,
  red: ({ summary }) => summary.red,
};

export const Registration: RegistrationResolvers = {
  ogrn: ({ record }) => record.ogrn,
  kind: ({ record }) => record.kind,
  name: ({ record }) => record.shortName,
  status: ({ record }) => record.status,
  registrationDate: ({ record }) => record.registrationDate,
  dissolutionDate: ({ record }) => record.dissolutionDate,
  focusUrl: ({ record }) => record.focusUrl,
  isCurrent: ({ isCurrent }) => isCurrent,
};
