import type { FsspProceedingResolvers } from '../../../generated/graphql.ts';
import { fsspIsActive } from '../mapping.ts';

export const FsspProceeding: FsspProceedingResolvers = {
  number: (item) => item.officialNum ?? null,
  aggregatedNumber: (item) => item.officialAggregatedNum ?? null,
  startDate: (item) => item.startDate ?? null,
  amount: (item) => item.sum ?? null,
  subject: (item) => item.topic ?? null,
  executoryDocument: (item) =>
    item.executoryDocument || item.executoryDocumentNumber || item.executoryDocumentDate
      ? {
          description: item.executoryDocument ?? null,
          number: item.executoryDocumentNumber ?? null,
          date: item.executoryDocumentDate ?? null,
        }
      : null,
  // "643" (a country code) occurs as a debtor address: a bare number is no address.
  debtor: (item) => ({
    name: item.debtorName ?? null,
    address: item.debtorAddress && /\D/.test(item.debtorAddress) ? item.debtorAddress : null,
  }),
  bailiffDepartment: (item) => ({ name: item.bailiffDepartment ?? null, address: item.bailiffDepartmentAddress ?? null }),
  isActive: (item) => fsspIsActive(item),
  endReason: (item) => {
    if (item.returnedToClaimer) return 'RETURNED_TO_CLAIMER';
    if (item.cancelledBecauseOfBancruptcy) return 'BANKRUPTCY';
    if (item.cancelledBecauseOfDissolvement) return 'LIQUIDATION';
    return null;
  },
  endDate: (item) => item.cancelDate ?? null,
};
