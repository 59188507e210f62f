import type { ExcerptResolvers } from '../../../generated/graphql.ts';
import { pdfFields } from './pdf-fields.ts';

/** The registry extract: its PDF link here; T-Bank's structured extract is the tbank module's field on it. */
export const Excerpt: ExcerptResolvers = { ...pdfFields };
