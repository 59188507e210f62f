import type { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../../common/context.ts';
import { isValidInn } from '../../domain/identifiers.ts';
import { graphError, notFound, VendorError } from '../../errors.ts';
import { JUMP_LEGAL_FORMS, type JumpContractor } from './vendor/schemas.ts';
import { pickCurrent } from '../../domain/company.ts';
import type { GuardMode, PayoutFinding } from './model.ts';

/**
 * The counterparty guard run before every payout (PAYOUT_GUARD = off | warn | block):
 * - a sole proprietor's INN is checked against the registry through Kontur.Focus — the same per-request loader and
 *   process-wide cache as `company { status }` (CACHE_TTL_STATUS), so a cached company costs nothing extra; a
 *   registration that is not operating (dissolved, bankrupt, in liquidation) or unknown is a finding;
 * - a self-employed contractor's stored state at Jump.Finance (GET …/selfemployer, no tax-service call): not bound to
 *   the company, no permission to pay their tax, or another warning is a finding;
 * - an individual has nothing to check.
 * warn returns the findings (they become the result's warnings); block refuses with COUNTERPARTY_CHECK_FAILED and
 * the reasons. A check that cannot be made (a vendor down) is itself a finding, so block fails closed.
 */
export async function checkCounterparty(mode: GuardMode, contractorId: number, ctx: GraphQLContext): Promise<PayoutFinding[]> {
  if (mode === 'off') return [];
  const contractor = await ctx.payouts.contractors.load(contractorId);
  if (!contractor) throw notFound(`Jump.Finance has no contractor ${contractorId}`, { contractorId: String(contractorId) });
  const findings = await findingsFor(contractor, ctx);
  if (mode === 'block' && findings.length > 0) throw counterpartyCheckFailed(contractorId, findings);
  return findings;
}

async function findingsFor(contractor: JumpContractor, ctx: GraphQLContext): Promise<PayoutFinding[]> {
  const legalForm = contractor.legal_form?.id ?? contractor.legal_form_id;
  if (legalForm === JUMP_LEGAL_FORMS.SOLE_PROPRIETOR) return soleProprietorFindings(contractor, ctx);
  if (legalForm === JUMP_LEGAL_FORMS.SELF_EMPLOYED) return selfEmployedFindings(contractor, ctx);
  return [];
}

async function soleProprietorFindings(contractor: JumpContractor, ctx: GraphQLContext): Promise<PayoutFinding[]> {
  const inn = contractor.inn?.trim();
  if (!inn) return [{ code: 'INN_MISSING', message: 'The sole proprietor has no INN at Jump.Finance', source: 'JUMP_FINANCE' }];
  if (!isValidInn(inn))
    return [{ code: 'INN_INVALID', message: `The sole proprietor's INN ${inn} is not a valid INN`, source: 'JUMP_FINANCE' }];
  let registrations;
  try {
    ({ registrations } = await ctx.requisites.reqForStatus.load(inn));
  } catch (error) {
    return [unavailable('KONTUR_FOCUS', error)];
  }
  const current = pickCurrent(registrations);
  if (!current)
    return [{ code: 'NOT_IN_REGISTRY', message: `INN ${inn} is not in the registry of sole proprietors (EGRIP)`, source: 'KONTUR_FOCUS' }];
  const { status } = current;
  const { code } = status;
  if (status.isActive) return [];
  const since = status.date ? ` since ${status.date}` : '';
  const text = status.text ? `: ${status.text}` : '';
  const what = code === 'LIQUIDATED' ? 'dissolved' : code === 'UNKNOWN' ? 'of unknown status' : code.toLowerCase();
  return [{ code: `REGISTRY_${code}`, message: `The sole proprietor's registration is ${what}${since}${text}`, source: 'KONTUR_FOCUS' }];
}

async function selfEmployedFindings(contractor: JumpContractor, ctx: GraphQLContext): Promise<PayoutFinding[]> {
  let state;
  try {
    state = await ctx.payouts.api.selfEmployedState(contractor.id, ctx.payouts.stats);
  } catch (error) {
    return [unavailable('JUMP_FINANCE', error)];
  }
  if (!state)
    return [
      {
        code: 'SELF_EMPLOYED_STATUS_UNKNOWN',
        message: 'Jump.Finance has no self-employed status for the contractor',
        source: 'JUMP_FINANCE',
      },
    ];
  const findings: PayoutFinding[] = [];
  if (!state.is_verified) {
    findings.push({
      code: 'SELF_EMPLOYED_NOT_VERIFIED',
      message:
        'The tax service has not confirmed that the self-employed contractor is bound to the company (syncSelfEmployedStatus checks again)',
      source: 'JUMP_FINANCE',
    });
  }
  if (state.has_company_agrees_pay_taxes && !state.is_can_pay_taxes) {
    findings.push({
      code: 'SELF_EMPLOYED_NO_TAX_PERMISSION',
      message: 'The self-employed contractor has not allowed the company to pay their tax',
      source: 'JUMP_FINANCE',
    });
  }
  if (state.has_warning && findings.length === 0) {
    const hint = state.messages.status?.short_title ?? state.messages.status?.detail;
    findings.push({
      code: 'SELF_EMPLOYED_WARNING',
      message: `Jump.Finance flags the self-employed status${hint ? `: ${hint}` : ''}`,
      source: 'JUMP_FINANCE',
    });
  }
  return findings;
}

function unavailable(source: PayoutFinding['source'], error: unknown): PayoutFinding {
  const vendor = source === 'KONTUR_FOCUS' ? 'Kontur.Focus' : 'Jump.Finance';
  const reason = error instanceof VendorError ? error.code : 'error';
  return { code: 'CHECK_UNAVAILABLE', message: `The counterparty check could not be made: ${vendor} failed (${reason})`, source };
}

/** PAYOUT_GUARD=block refused the payout: the findings are the reasons, nothing was paid. */
function counterpartyCheckFailed(contractorId: number, reasons: PayoutFinding[]): GraphQLError {
  const summary = reasons.map((reason) => reason.message).join('; ');
  return graphError('COUNTERPARTY_CHECK_FAILED', `Payout refused by the counterparty check (PAYOUT_GUARD=block): ${summary}`, {
    contractorId: String(contractorId),
    reasons,
  });
}
