import type { CompanyStatusCode, TbankColor, TbankRiskLevel } from '../../generated/graphql.ts';
import type { TbankExcerpt } from './vendor/schemas.ts';
import { finance, frozenAccounts, negativeLists, riskLevel, riskLevelValue, sameAddressCount, statusCodeOf, taxDebt } from './mapping.ts';

/**
 * What T-Bank contributes to a risk assessment (for src/modules/risk): read with the per-request loader
 * `ctx.tbank.tbankExcerpt` (`ctx.tbank` is undefined when T-Bank is not configured), then `riskSignals(excerpt)` —
 * which is what `ctx.tbank.signals(inn)` does:
 *
 *   const excerpt = await ctx.tbank?.tbankExcerpt.load(inn);   // null: T-Bank has no data; rejects with a
 *   const signals = excerpt ? riskSignals(excerpt) : null;      // VendorError (e.g. VENDOR_RATE_LIMITED)
 */
export interface TbankRiskSignals {
  /** Negative registers the company is in (unfair suppliers, disqualified persons …); `since` is null: T-Bank gives no date. */
  negativeLists: Array<{ name: string; since: string | null }>;
  /** Tax-office decisions suspending operations on its bank accounts. */
  frozenAccountDecisions: number;
  /** Companies registered at the same address (T-Bank's count); null when unknown. */
  sameAddressCompanies: number | null;
  /** T-Bank's normalised status; null when there is no excerpt to read it from. */
  statusCode: CompanyStatusCode | null;
  /** T-Bank's tax-debt check: the amount in roubles (for comparison only; the graph serves it exact), its date and colour. */
  taxDebt: { amount: number; date: string; color: TbankColor } | null;
  /** T-Bank's own risk level (the colour of its riskLevel check) and the check's raw value; null when not given. */
  riskLevel: { level: TbankRiskLevel; value: number | null } | null;
  /** Revenue of the latest year T-Bank has, in roubles (to weigh the tax debt against); null when unknown. */
  revenue: number | null;
}

export function riskSignals(excerpt: TbankExcerpt): TbankRiskSignals {
  const debt = taxDebt(excerpt);
  const level = riskLevel(excerpt);
  const revenue = finance(excerpt).find((year) => year.revenue !== null)?.revenue;
  return {
    negativeLists: negativeLists(excerpt).map((list) => ({ name: list.name, since: list.since ?? null })),
    frozenAccountDecisions: frozenAccounts(excerpt).count,
    sameAddressCompanies: sameAddressCount(excerpt),
    statusCode: statusCodeOf(excerpt),
    taxDebt: debt ? { amount: Number(debt.amount), date: debt.date, color: debt.color } : null,
    riskLevel: level ? { level, value: riskLevelValue(excerpt) } : null,
    revenue: revenue ? Number(revenue) : null,
  };
}
