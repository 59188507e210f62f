import { notFound } from '../../../errors.ts';
import type { GraphQLContext } from '../../../common/context.ts';
import { isValidInn } from '../../../domain/identifiers.ts';
import type { ContractorResolvers } from '../../../generated/graphql.ts';
import type { JumpContractor } from '../vendor/schemas.ts';
import { loadCompany } from '../../company/index.ts';
import { balanceOf, identificationOf, legalFormOf, requisiteOf, selfEmployedOf } from '../mapping.ts';
import type { ContractorRef } from '../model.ts';
import { parseId } from '../validation.ts';
import { paymentStatusId } from '../mapping.ts';
import { paymentsConnection } from './Query.ts';

/** The contractor's card: already known, or loaded once per operation (deduplicated across the whole page). */
async function cardOf(ref: ContractorRef, ctx: GraphQLContext): Promise<JumpContractor> {
  if (ref.card) return ref.card;
  const card = await ctx.payouts.contractors.load(ref.id);
  if (!card) throw notFound(`Jump.Finance has no contractor ${ref.id}`, { contractorId: String(ref.id) });
  ref.card = card;
  return card;
}

const field =
  <T>(read: (card: JumpContractor) => T) =>
  async (ref: ContractorRef, _args: unknown, ctx: GraphQLContext): Promise<T> =>
    read(await cardOf(ref, ctx));

/** Lists per contractor are short: one page of the vendor's largest size. */
const LIST_PAGE = 200;

export const Contractor: ContractorResolvers = {
  // Async, so a bad representation fails its own entity, never the whole _entities list.
  async __resolveReference(reference, _ctx) {
    const id = parseId((reference as { id: string }).id, 'id');
    return { id };
  },
  id: (ref) => String(ref.id),
  phone: field((card) => card.phone),
  email: field((card) => card.email),
  lastName: field((card) => card.last_name),
  firstName: field((card) => card.first_name),
  middleName: field((card) => card.middle_name),
  fullName: field((card) => [card.last_name, card.first_name, card.middle_name].filter(Boolean).join(' ') || null),
  inn: field((card) => card.inn),
  legalForm: field((card) => legalFormOf(card.legal_form?.id ?? card.legal_form_id)),
  legalFormTitle: field((card) => card.legal_form?.title ?? null),
  agent: field((card) => (card.agent ? { id: String(card.agent.id), name: card.agent.name } : null)),
  balance: field((card) => card.balance?.value ?? null),
  balanceCurrency: field((card) => card.balance?.currency?.code ?? null),
  isEditable: field((card) => card.is_editable),
  createdAt: field((card) => card.created_at),
  updatedAt: field((card) => card.updated_at),

  async requisites(ref, _args, ctx) {
    const page = await ctx.payouts.api.requisites(ref.id, 1, LIST_PAGE, ctx.payouts.stats);
    return page.items.map(requisiteOf);
  },

  async balances(ref, _args, ctx) {
    const page = await ctx.payouts.api.balances(ref.id, 1, LIST_PAGE, ctx.payouts.stats);
    return page.items.map(balanceOf);
  },

  async selfEmployed(ref, _args, ctx) {
    const card = await cardOf(ref, ctx);
    // Only self-employed contractors have one: no call for the others.
    if (legalFormOf(card.legal_form?.id ?? card.legal_form_id) !== 'SELF_EMPLOYED') return null;
    const state = await ctx.payouts.api.selfEmployedState(ref.id, ctx.payouts.stats);
    return state ? selfEmployedOf(state) : null;
  },

  async lastApprovedIdentification(ref, _args, ctx) {
    const identification = await ctx.payouts.api.lastApprovedIdentification(ref.id, ctx.payouts.stats);
    return identification ? identificationOf(identification) : null;
  },

  async payments(ref, { first, after, status }, ctx) {
    return paymentsConnection(
      ctx,
      `contractor-${ref.id}-payments`,
      { contractorIds: [ref.id], ...(status ? { status: paymentStatusId(status) } : {}) },
      first,
      after,
    );
  },

  /** Through the core loader: every contractor of the operation shares ⌈distinct INNs / 100⌉ req calls. */
  async company(ref, _args, ctx) {
    const inn = (await cardOf(ref, ctx)).inn?.trim();
    return inn && isValidInn(inn) ? loadCompany(inn, ctx) : null;
  },
};
