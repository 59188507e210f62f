import type { GraphQLContext } from '../../common/context.ts';
import type { CompanyStatusCode } from '../../domain/company.ts';
import { innKind } from '../../domain/identifiers.ts';
import { type CompanyRef, recordOf, registrationOf } from '../company/index.ts';
import { assessRisk, type RiskProfile } from './engine.ts';

/** What screenCounterparties answers per INN. */
export interface ScreeningOutcome {
  inn: string;
  company: CompanyRef | null;
  statusCode: CompanyStatusCode | null;
  profile: RiskProfile | null;
  error: string | null;
}

/**
 * The risk profile of one company, from the per-request loaders: requisites (status-fresh), analytics and, when T-Bank
 * is configured and asked for, its excerpt — so 100 companies cost one req and one analytics call.
 */
export async function riskProfileOf(company: CompanyRef, ctx: GraphQLContext, { withTbank = true } = {}): Promise<RiskProfile | null> {
  const [requisites, analyticsEntry] = await Promise.all([
    ctx.requisites.reqForStatus.load(company.inn),
    ctx.focus.analytics.load(company.inn),
  ]);
  const record = await registrationOf(company, ctx, { forStatus: true });
  if (!record) return null;
  const analytics = await recordOf(company, ctx.focus.analytics);
  // A configured source that fails must not make the profile look clean: it is reported, and the profile asks for review.
  const tbank = withTbank ? ctx.tbank : undefined;
  let tbankFailed = false;
  const signals = tbank
    ? await tbank.signals(company.inn).catch(() => {
        tbankFailed = true;
        return null;
      })
    : null;
  return assessRisk(
    {
      isLegalEntity: innKind(company.inn) === 'LEGAL_ENTITY',
      company: record,
      analytics: analytics?.analytics,
      tbank: signals,
      tbankConsulted: tbank !== undefined,
      unavailableSources: tbankFailed ? ['TBANK'] : [],
      checkedAt: new Date(Math.min(requisites.fetchedAt, analyticsEntry.fetchedAt)).toISOString(),
      now: new Date(ctx.now()),
    },
    ctx.riskPolicy,
  );
}

export async function screen(inn: string, company: CompanyRef | null, ctx: GraphQLContext): Promise<ScreeningOutcome> {
  // Unknown to the registry is an answer, but not a clean one: it must never read like "screened, nothing found".
  if (!company) return { inn, company: null, statusCode: null, profile: null, error: 'NOT_FOUND' };
  try {
    // T-Bank allows about 10 calls a minute: a bulk screening would spend the whole quota on its first INNs and leave
    // the rest unchecked, so bulk screening reads Kontur.Focus only (Company.risk adds T-Bank per company).
    const profile = await riskProfileOf(company, ctx, { withTbank: false });
    const record = await registrationOf(company, ctx, { forStatus: true });
    return { inn, company, statusCode: record?.status.code ?? 'UNKNOWN', profile, error: null };
  } catch (error) {
    const code = (error as { extensions?: { code?: string } }).extensions?.code ?? 'INTERNAL_SERVER_ERROR';
    return { inn, company, statusCode: null, profile: null, error: code };
  }
}
