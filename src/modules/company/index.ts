/**
 * The public entry of the company module: what other modules may use of it (re-exports only). Other modules import
 * this file, never the module's own files; the registry imports module.ts (npm run deps:check).
 */
export { companyFromEntry, loadCompany, recordOf, registrationOf } from './lookup.ts';
export type { CompanyRef } from './model.ts';
export { assertInnCount, assertValidInns } from './validation.ts';
