import type { Connection } from '../../common/relay.ts';
import type { JumpContractor, JumpPayment } from './vendor/schemas.ts';

/**
 * What the payouts resolvers pass around (the codegen mappers point here). A contractor is its id plus, when some
 * call already answered it, its card; fields that need the card load it through the per-request loader, so a
 * page of payouts that only asks `contractor { id }` costs nothing, and one that asks more costs one card per
 * distinct contractor.
 */
export interface ContractorRef {
  id: number;
  card?: JumpContractor;
}

/** A payout with the moment its status was read from Jump.Finance (the status-polling etiquette keys off it). */
export interface PaymentModel {
  value: JumpPayment;
  fetchedAt: number;
}

export type ContractorConnectionModel = Connection<ContractorRef>;
export type PaymentConnectionModel = Connection<PaymentModel>;

export type FindingSource = 'KONTUR_FOCUS' | 'JUMP_FINANCE';

/** One counterparty-guard finding: a warning (PAYOUT_GUARD=warn) or a reason to refuse (block). */
export interface PayoutFinding {
  code: string;
  message: string;
  source: FindingSource;
}

export interface CreatePaymentOutcome {
  payment: PaymentModel;
  customerPaymentId: string;
  replayed: boolean;
  warnings: PayoutFinding[];
}

export type GuardMode = 'off' | 'warn' | 'block';
