import type { ContractStage, FocusLimitType, PurchaseLaw } from '../../generated/graphql.ts';
import type { FocusFsspItem, FocusPurchase } from '../kontur-focus/index.ts';

/** The vendor spells "completed" with a Cyrillic С (U+0421) in every capture; the Latin spelling is accepted too. */
const CONTRACT_STAGES: Record<string, ContractStage> = {
  execution: 'EXECUTION',
  executionTerminated: 'TERMINATED',
  executionTerminatedForEndExecutionDatePassed: 'TERMINATED_DEADLINE_PASSED',
  'execution\u0421ompleted': 'COMPLETED',
  executionCompleted: 'COMPLETED',
  invalidated: 'INVALIDATED',
};

export function contractStage(stage: string | undefined): ContractStage {
  return (stage && CONTRACT_STAGES[stage]) || 'UNKNOWN';
}

const LAWS: Record<string, PurchaseLaw> = { Fz44: 'FZ44', Fz94: 'FZ94', Fz223: 'FZ223' };

export function purchaseLaw(type: string | undefined): PurchaseLaw | null {
  return (type && LAWS[type]) || null;
}

/** A purchase has a contract when any part of the contract block is present (46% of captured items). */
export function hasContract(purchase: FocusPurchase): boolean {
  return Boolean(purchase.contractNumber || purchase.contractDate || purchase.contractPrice || purchase.contractStage);
}

const LIMIT_TYPES: Record<string, FocusLimitType> = { Requests: 'REQUESTS', LegalEntities: 'COUNTERPARTIES', Persons: 'PERSONS' };

export function limitType(type: string | undefined): FocusLimitType | null {
  return (type && LIMIT_TYPES[type]) || null;
}

export function fsspIsActive(item: FocusFsspItem): boolean {
  return !(item.returnedToClaimer || item.cancelledBecauseOfBancruptcy || item.cancelledBecauseOfDissolvement || item.cancelDate);
}

/** Kontur.Spravochnik sends 11-digit numbers starting with 8; the graph answers +7XXXXXXXXXX. */
export function normalizePhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 11 && (digits.startsWith('8') || digits.startsWith('7'))) return `+7${digits.slice(1)}`;
  if (digits.length === 10) return `+7${digits}`;
  return phone;
}
