import type { GraphQLContext } from '../../../common/context.ts';
import type { DocumentRef } from '../model.ts';

/** The link and cache state of any of the PDFs: the same for the registry extract (`Excerpt`) and the reports (`Document`). */
export const pdfFields = {
  format: () => 'PDF',
  // Signing is local: selecting a link never downloads the PDF.
  url: (document: DocumentRef, _args: unknown, ctx: GraphQLContext) => ctx.documents.url(document),
  async fetchedAt(document: DocumentRef, _args: unknown, ctx: GraphQLContext) {
    const fetchedAt = await ctx.documents.fetchedAt(document);
    return fetchedAt === null ? null : new Date(fetchedAt).toISOString();
  },
};
