import type { FinancialYearResolvers } from '../../../generated/graphql.ts';
import type { FocusBuhForm, FocusBuhLine } from '../../kontur-focus/index.ts';

const FORMS = [
  ['form1', 1],
  ['form2', 2],
  ['form3', 3],
  ['form4', 4],
  ['form6', 6],
] as const;

/** Lines are keyed by code, never by name: names such as "Итого" and "Баланс" repeat. */
function line(form: FocusBuhForm, code: string): FocusBuhLine | undefined {
  return [...form.form1, ...form.form2].find((item) => item.code === code);
}

export const FinancialYear: FinancialYearResolvers = {
  year: (form) => form.year!,
  organizationType: (form) => form.organizationType ?? null,
  revenue: (form) => line(form, '2110')?.endValue ?? null,
  netProfit: (form) => line(form, '2400')?.endValue ?? null,
  balance: (form) => line(form, '1600')?.endValue ?? null,
  lines: (form) =>
    FORMS.flatMap(([key, number]) =>
      form[key]
        .filter((item) => item.code !== undefined)
        .map((item) => ({
          form: number,
          code: item.code!,
          name: item.name ?? null,
          startValue: item.startValue ?? null,
          endValue: item.endValue ?? null,
        })),
    ),
};
