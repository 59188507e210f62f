import type { DocumentResolvers } from '../../../generated/graphql.ts';
import { pdfFields } from './pdf-fields.ts';

export const Document: DocumentResolvers = {
  kind: (document) => document.kind,
  ...pdfFields,
};
