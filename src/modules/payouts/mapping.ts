import type {
  ContractorBalance,
  ContractorLegalForm,
  Identification,
  IdentificationStatus,
  PaymentError,
  PaymentHistoryEntry,
  PaymentReceipt,
  PaymentStatus,
  PayoutRequisite,
  SelfEmployedStatus,
} from '../../generated/graphql.ts';
import type { JumpBalance, JumpIdentification, JumpPayment, JumpRequisite, JumpSelfEmployed } from './vendor/schemas.ts';
import { badUserInput } from '../../errors.ts';

/** Vendor shapes → GraphQL types for the small payout types (built eagerly; they need no loading of their own). */

const LEGAL_FORMS: Record<number, ContractorLegalForm> = { 1: 'INDIVIDUAL', 2: 'SELF_EMPLOYED', 3: 'SOLE_PROPRIETOR' };
export const LEGAL_FORM_IDS: Record<ContractorLegalForm, number> = { INDIVIDUAL: 1, SELF_EMPLOYED: 2, SOLE_PROPRIETOR: 3 };

export function legalFormOf(id: number | null | undefined): ContractorLegalForm | null {
  return id === null || id === undefined ? null : (LEGAL_FORMS[id] ?? null);
}

const STATUSES: Record<number, PaymentStatus> = {
  1: 'PAID',
  2: 'REJECTED',
  3: 'PROCESSING',
  4: 'AWAITING_CONFIRMATION',
  5: 'FAILED',
  6: 'DELETED',
  8: 'AWAITING_SIGNATURE',
};

export function paymentStatusOf(id: number): PaymentStatus {
  return STATUSES[id] ?? 'UNKNOWN';
}

/** The vendor's status id for a filter; UNKNOWN names no single id. */
export function paymentStatusId(status: PaymentStatus): number {
  const entry = Object.entries(STATUSES).find(([, value]) => value === status);
  if (!entry) throw badUserInput(`Payments cannot be filtered by status ${status}`, { argument: 'status' });
  return Number(entry[0]);
}

/** All but the last four characters hidden: card numbers, accounts and phones are personal data. */
export function maskAccount(value: string | null): string | null {
  if (!value) return null;
  const compact = value.replace(/\s/g, '');
  return compact.length <= 4 ? '••••' : `•••• ${compact.slice(-4)}`;
}

export function requisiteOf(requisite: JumpRequisite): PayoutRequisite {
  return {
    id: String(requisite.id),
    displayName: requisite.display_name,
    description: requisite.description,
    typeId: requisite.type?.id ?? null,
    typeSlug: requisite.type?.slug ?? null,
    typeTitle: requisite.type?.title ?? null,
    isAvailable: requisite.is_available,
    isDefault: requisite.is_default,
    accountNumberMasked: maskAccount(requisite.requisite?.account_number ?? null),
    bankName: requisite.requisite?.bank_name ?? null,
    bik: requisite.requisite?.bik ?? null,
    sbpBankId: requisite.requisite?.sbp_bank_id ?? null,
    createdAt: requisite.created_at,
  };
}

export function balanceOf(balance: JumpBalance): ContractorBalance {
  return {
    id: String(balance.id),
    balance: balance.balance,
    frozenBalance: balance.frozen_balance,
    typeName: balance.type?.name ?? null,
    integrationName: balance.integration?.name ?? null,
    customerBalanceName: balance.customer_balance?.name ?? null,
    agent: balance.agent ? { id: String(balance.agent.id), name: balance.agent.name } : null,
    createdAt: balance.created_at,
  };
}

export function selfEmployedOf(state: JumpSelfEmployed): SelfEmployedStatus {
  const message = state.messages.status;
  return {
    inn: state.inn,
    canPayTaxes: state.is_can_pay_taxes,
    isVerified: state.is_verified,
    companyAgreesToPayTaxes: state.has_company_agrees_pay_taxes,
    warning: state.has_warning,
    syncInProgress: state.sync.in_process,
    message: message ? { type: message.type, shortTitle: message.short_title, detail: message.detail } : null,
  };
}

const IDENTIFICATION_STATUSES = new Set<IdentificationStatus>([
  'PENDING',
  'AUTO_CHECK',
  'MANUAL_CHECK',
  'CONTRACTOR_APPROVE',
  'REJECTED',
  'APPROVED',
]);

export function identificationOf(identification: JumpIdentification): Identification {
  const status = (identification.status ?? '').toUpperCase() as IdentificationStatus;
  return {
    id: String(identification.id),
    status: IDENTIFICATION_STATUSES.has(status) ? status : 'UNKNOWN',
    isVerified: identification.is_verified,
  };
}

export function paymentErrorOf(error: JumpPayment['error']): PaymentError | null {
  if (error === null) return null;
  if (typeof error === 'string') return error.trim() === '' ? null : { message: error, type: null, code: null };
  return { message: error.title ?? error.type ?? 'Payout error', type: error.type, code: error.code };
}

export function receiptOf(receipt: JumpPayment['receipt']): PaymentReceipt | null {
  if (!receipt) return null;
  return {
    status: receipt.status,
    // The vendor's own example holds mangled escapes: the link is passed through as an opaque string.
    link: receipt.links?.fns_url ?? null,
    savedLink: receipt.links?.saved_url ?? null,
    canCancel: receipt.can_cancel,
    issuedAt: receipt.operation_at,
    cancelReason: receipt.cancel_reason,
  };
}

export function historyOf(history: JumpPayment['history']): PaymentHistoryEntry[] | null {
  return history?.map((entry) => ({ message: entry.message, detail: entry.detail, at: entry.updated_at })) ?? null;
}
