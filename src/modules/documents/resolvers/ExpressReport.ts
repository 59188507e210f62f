import type { ExpressReportResolvers } from '../../../generated/graphql.ts';
import { recordForRegistration } from '../../../domain/company.ts';

/** The express report's link and PDF; green/yellow/red come from req (company module). */
export const ExpressReport: ExpressReportResolvers = {
  // A one-time personal link: asked for per operation through the request's briefReport loader, never cached.
  async url(report, _args, ctx) {
    const records = await ctx.focus.briefReportLinks.load(report.inn);
    return recordForRegistration(records, report.ogrn)?.briefReport?.href ?? null;
  },
  pdf: (report) => ({ kind: 'EXPRESS_REPORT', inn: report.inn }),
};
