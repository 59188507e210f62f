import type { LicenceResolvers } from '../../../generated/graphql.ts';

export const Licence: LicenceResolvers = {
  number: (licence) => licence.officialNum ?? null,
  issuer: (licence) => licence.issuerName ?? null,
  source: (licence) => licence.source ?? null,
  activity: (licence) => licence.activity ?? null,
  services: (licence) => licence.services,
  addresses: (licence) => licence.addresses,
  validFrom: (licence) => licence.dateStart ?? licence.date ?? null,
  validTo: (licence) => licence.dateEnd ?? null,
  statusText: (licence) => licence.statusDescription ?? null,
};
