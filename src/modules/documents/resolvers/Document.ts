import type { DocumentResolvers } from '../../../generated/graphql.ts';

export const Document: DocumentResolvers = {
  kind: (document) => document.kind,
  format: () => 'PDF',
  // Signing is local: selecting a link never downloads the PDF.
  url: (document, _args, ctx) => ctx.documents.url(document),
  async fetchedAt(document, _args, ctx) {
    const fetchedAt = await ctx.documents.fetchedAt(document);
    return fetchedAt === null ? null : new Date(fetchedAt).toISOString();
  },
};
