import { responsePathAsArray } from 'graphql';
import type { ContractorInput, MutationResolvers } from '../../../generated/graphql.ts';
import { badUserInput, VendorError } from '../../../errors.ts';
import type { ContractorBody } from '../contractor-writes.ts';
import type { PaymentRequest } from '../payout-creation.ts';
import { outcomeUnknown } from '../payout-post.ts';
import { requireWriteScope } from '../auth.ts';
import { checkCounterparty } from '../guard.ts';
import { LEGAL_FORM_IDS, selfEmployedOf } from '../mapping.ts';
import {
  checkAmount,
  checkCustomerPaymentId,
  checkInn,
  checkText,
  derivedCustomerPaymentId,
  normalizePhone,
  parseId,
} from '../validation.ts';

/** ContractorInput → the vendor's body: phone normalised, names required, INN checked (12 digits for SE and IP). */
function contractorBody(input: ContractorInput): ContractorBody {
  const name = (value: string | null | undefined, argument: string, required: boolean) => {
    const text = checkText(value, `input.${argument}`, 100);
    if (required && !text) throw badUserInput(`"input.${argument}" must not be empty`, { argument: `input.${argument}` });
    return text;
  };
  const personal = input.legalForm === 'SELF_EMPLOYED' || input.legalForm === 'SOLE_PROPRIETOR';
  const inn = checkInn(input.inn, personal);
  if (personal && inn && inn.length !== 12)
    throw badUserInput('"inn" of a self-employed contractor or a sole proprietor has 12 digits', { argument: 'inn' });
  const email = input.email?.trim() || undefined;
  if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
    throw badUserInput(`"input.email" is not an email address`, { argument: 'input.email' });
  const middleName = name(input.middleName, 'middleName', false);
  return {
    phone: normalizePhone(input.phone, 'input.phone'),
    ...(email ? { email } : {}),
    last_name: name(input.lastName, 'lastName', true)!,
    first_name: name(input.firstName, 'firstName', true)!,
    ...(middleName ? { middle_name: middleName } : {}),
    legal_form_id: LEGAL_FORM_IDS[input.legalForm],
    ...(inn ? { inn } : {}),
    ...(input.agentId != null ? { agent_id: parseId(input.agentId, 'input.agentId') } : {}),
    ...(input.groupId != null ? { group_id: parseId(input.groupId, 'input.groupId') } : {}),
    ...(input.companyAgreesToPayTaxes != null ? { company_agrees_pay_taxes: input.companyAgreesToPayTaxes } : {}),
  };
}

/** Purpose and service name: the vendor's field limits are not documented; these bound what we send. */
const MAX_PURPOSE = 210;
const MAX_SERVICE_NAME = 255;

/**
 * Every mutation checks the `payouts:write` scope first — before validating input and before any vendor call —
 * then validates, then calls Jump.Finance.
 */
export const Mutation: MutationResolvers = {
  async upsertContractor(_parent, { input }, ctx) {
    requireWriteScope(ctx, 'upsertContractor');
    const card = await ctx.payouts.contractorWrites.upsert(contractorBody(input));
    return { id: card.id, card };
  },

  async updateContractor(_parent, { id, input }, ctx) {
    requireWriteScope(ctx, 'updateContractor');
    const contractorId = parseId(id, 'id');
    const card = await ctx.payouts.contractorWrites.update(contractorId, contractorBody(input));
    return { id: card.id, card };
  },

  async deleteContractor(_parent, { id }, ctx) {
    requireWriteScope(ctx, 'deleteContractor');
    const contractorId = parseId(id, 'id');
    return { id: String(contractorId), deleted: await ctx.payouts.contractorWrites.delete(contractorId) };
  },

  async syncSelfEmployedStatus(_parent, { contractorId }, ctx) {
    requireWriteScope(ctx, 'syncSelfEmployedStatus');
    return selfEmployedOf(await ctx.payouts.selfEmployed.sync(parseId(contractorId, 'contractorId'), ctx.payouts.stats));
  },

  async createPayment(_parent, { input }, ctx, info) {
    requireWriteScope(ctx, 'createPayment');
    const request: PaymentRequest = {
      contractorId: parseId(input.contractorId, 'input.contractorId'),
      amount: checkAmount(input.amount),
      // Without the client's key, one derived from the operation: the same operation resent with the same
      // x-request-id asks for the same payout instead of paying again.
      customerPaymentId:
        input.customerPaymentId == null
          ? derivedCustomerPaymentId(ctx.requestId, responsePathAsArray(info.path).join('.'))
          : checkCustomerPaymentId(input.customerPaymentId, 'input.customerPaymentId'),
      purpose: checkText(input.purpose, 'input.purpose', MAX_PURPOSE),
      serviceName: checkText(input.serviceName, 'input.serviceName', MAX_SERVICE_NAME),
      requisiteId: input.requisiteId == null ? undefined : parseId(input.requisiteId, 'input.requisiteId'),
    };
    const creating = ctx.payouts.creation.create(
      request,
      () => checkCounterparty(ctx.payouts.guard, request.contractorId, ctx),
      ctx.payouts.stats,
    );
    // The operation's deadline holds for payouts too: past it the answer is "outcome unknown" with the key (retrying
    // with it is safe), while the request itself runs to its end and records what happened.
    const lifetime = ctx.stats.lifetime;
    if (!lifetime) return creating;
    return lifetime.race(creating, 'Jump.Finance payments.create', 'jump-finance').catch((error: unknown) => {
      if (error instanceof VendorError && error.extensions.operationDeadline) throw outcomeUnknown(request.customerPaymentId, error);
      throw error;
    });
  },

  async repeatPayment(_parent, { id }, ctx) {
    requireWriteScope(ctx, 'repeatPayment');
    return ctx.payouts.creation.repeat(
      parseId(id, 'id'),
      (contractorId) => checkCounterparty(ctx.payouts.guard, contractorId, ctx),
      ctx.payouts.stats,
    );
  },
};
