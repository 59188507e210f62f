import type { FocusBatchMethod } from '../../vendors/kontur-focus/schemas.ts';

/**
 * Which Kontur.Focus method each Company field needs, for the cost estimate made before execution.
 * Fields not listed read the req record that every company lookup loads anyway.
 */
export const COMPANY_FIELD_METHODS: Readonly<Record<string, readonly FocusBatchMethod[]>> = {
  // A sole proprietor's region comes from egrDetails.
  region: ['req', 'egrDetails'],
  activities: ['egrDetails'],
  founders: ['egrDetails'],
  statedCapital: ['egrDetails'],
  taxAuthority: ['egrDetails'],
  registrationAuthority: ['egrDetails'],
  registrationInfo: ['egrDetails'],
  fundNumbers: ['egrDetails'],
  predecessors: ['egrDetails'],
  successors: ['egrDetails'],
  analytics: ['analytics'],
  licences: ['licences'],
  financials: ['buh'],
};

/** Every method refreshCompany may refetch. */
export const ALL_COMPANY_METHODS: readonly FocusBatchMethod[] = ['req', 'egrDetails', 'analytics', 'licences', 'buh'];
