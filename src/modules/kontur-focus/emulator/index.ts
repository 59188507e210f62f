/**
 * What other vendors' emulators share of this one (re-exports only): the captured and synthetic registry, and the
 * schemas its records are read with, so the sandbox companies are the same in every vendor (npm run deps:check).
 */
export { loadFocusFixtures, type FocusRecord } from './fixtures.ts';
export { SYNTHETIC_PAYLOADS, addDays, rngFor, syntheticRecords, type Rng } from './synthetic.ts';
export {
  AnalyticsRecordSchema,
  EgrDetailsRecordSchema,
  ReqRecordSchema,
  type FocusAnalyticsValues,
  type FocusReqRecord,
} from '../vendor/schemas.ts';
