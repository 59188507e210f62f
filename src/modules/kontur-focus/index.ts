/**
 * The public entry of the Kontur.Focus module: what other modules may use of it (re-exports only). Other modules
 * import this file, never the module's own files; the registry imports module.ts (npm run deps:check).
 */
export type { FocusEntry, FocusStoredOf } from './batcher.ts';
export type { FocusBatchers, FocusLoader } from './loaders.ts';
export { focusSingleFetch, type FocusFetchDeps } from './pages.ts';
export { requisitesEntryOf } from './requisites.ts';
export { ANALYTICS_BY_CODE, ANALYTICS_INDICATORS, type AnalyticsIndicatorDef } from './vendor/analytics-catalog.ts';
export {
  FOCUS_LIST_DEFAULT_FIRST,
  FOCUS_LIST_MAX_FIRST,
  FOCUS_PAGE_SIZE,
  type FocusClient,
  type FocusDocumentMethod,
  type FocusPage,
} from './vendor/client.ts';
export {
  PER_INN_METHODS,
  companyFieldMethods,
  type FocusBatchMethod,
  type FocusPagedMethod,
  type FocusRecordOf,
  type PerInnMethod,
} from './vendor/methods.ts';
export type {
  FocusActivity,
  FocusAnalyticsValues,
  FocusBuhForm,
  FocusBuhLine,
  FocusEgrUL,
  FocusFounderFL,
  FocusFounderForeign,
  FocusFounderUL,
  FocusFsspItem,
  FocusIdentifierPair,
  FocusLicence,
  FocusPrice,
  FocusPurchase,
  FocusPurchaseObject,
  FocusPurchaseParty,
  FocusRegBody,
  FocusShare,
  FocusStat,
  FocusSuccessor,
} from './vendor/schemas.ts';
