import { z } from 'zod';
import { LosslessNumber } from './json.ts';
import { canonicalMoney } from '../../../domain/money.ts';

/**
 * Zod schemas of the Jump.Finance answers the subgraph reads (shared/vendors/jump-finance.md §3–§7 and the vendor's
 * OpenAPI 2.0 file): the `{ item }` and `{ items, meta, links }` envelopes, the error body, contractors, their
 * requisites, balances, self-employed state and identification, and payouts.
 *
 * Bodies are parsed with lossless-json (json.ts), so every JSON number arrives as a LosslessNumber carrying its
 * source text: identifiers become JS integers (safe ones only), money becomes two-decimal text ("14.80") through
 * bigint kopecks, and no sum is ever a binary float. Unknown keys are dropped (they are not cached); only what the
 * graph cannot do without is required.
 */

const NUMERIC = /^[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?$/;

/** A JSON number's exact text; a numeric string is accepted too (the vendor's PHP sometimes quotes numbers). */
const numberText = z.union([
  z.instanceof(LosslessNumber).transform((value) => value.value),
  z.number().int().transform(String),
  z.string().trim().regex(NUMERIC),
]);

/** An integer identifier or code (safe integers only). */
export const jumpInt = numberText.transform((text, ctx) => {
  const value = Number(text);
  if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(value)) {
    ctx.addIssue({ code: 'custom', message: `${text} is not a safe integer` });
    return z.NEVER;
  }
  return value;
});

/** Money: the vendor's decimal rubles as exact two-decimal text ("100.10"). */
export const jumpMoney = numberText.transform((text, ctx) => {
  const money = canonicalMoney(text);
  if (money === undefined) {
    ctx.addIssue({ code: 'custom', message: `${text} is not a sum of money` });
    return z.NEVER;
  }
  return money;
});

/** Free text; a number the vendor sent unquoted (an INN, a phone) keeps its digits. */
const text = z.union([z.string(), z.instanceof(LosslessNumber).transform((value) => value.value)]);
const optionalText = text.nullish().transform((value) => value ?? null);
const optionalMoney = jumpMoney.nullish().transform((value) => value ?? null);
const optionalInt = jumpInt.nullish().transform((value) => value ?? null);
const flag = z
  .boolean()
  .nullish()
  .transform((value) => value ?? false);

export const JumpRefSchema = z.object({ id: jumpInt, name: optionalText });

// ─── Envelopes and errors ──────────────────────────────────────────────────────────────────────

export const JumpMetaSchema = z.object({
  total: jumpInt,
  from: optionalInt,
  to: optionalInt,
  per_page: jumpInt,
  current_page: jumpInt,
  last_page: jumpInt,
});

export const JumpLinksSchema = z.object({
  path: optionalText,
  first_page_url: optionalText,
  last_page_url: optionalText,
  next_page_url: optionalText,
  prev_page_url: optionalText,
});

export const itemEnvelope = <T extends z.ZodType>(item: T) => z.object({ item });
export const pageEnvelope = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), meta: JumpMetaSchema, links: JumpLinksSchema.nullish() });

export const JumpErrorBodySchema = z.object({
  error: z.object({
    title: optionalText,
    detail: optionalText,
    fields: z
      .array(
        z.object({
          field: text,
          messages: z
            .array(text)
            .nullish()
            .transform((value) => value ?? []),
        }),
      )
      .nullish()
      .transform((value) => value ?? []),
    code: optionalInt,
  }),
});

// ─── Contractors ───────────────────────────────────────────────────────────────────────────────

export const JumpContractorSchema = z.object({
  id: jumpInt,
  phone: optionalText,
  email: optionalText,
  last_name: optionalText,
  first_name: optionalText,
  middle_name: optionalText,
  inn: optionalText,
  legal_form_id: optionalInt,
  agent_id: optionalInt,
  balance: z
    .object({ value: optionalMoney, currency: z.object({ code: optionalText }).nullish() })
    .nullish()
    .transform((value) => value ?? null),
  agent: JumpRefSchema.nullish().transform((value) => value ?? null),
  legal_form: z
    .object({ id: jumpInt, title: optionalText, is_self_employed: flag })
    .nullish()
    .transform((value) => value ?? null),
  is_editable: z
    .boolean()
    .nullish()
    .transform((value) => value ?? null),
  created_at: optionalText,
  updated_at: optionalText,
});

export const JumpRequisiteSchema = z.object({
  id: jumpInt,
  display_name: optionalText,
  description: optionalText,
  type: z
    .object({ id: jumpInt, slug: optionalText, title: optionalText })
    .nullish()
    .transform((value) => value ?? null),
  is_available: z
    .boolean()
    .nullish()
    .transform((value) => value ?? null),
  is_default: flag,
  requisite: z
    .object({
      account_number: optionalText,
      bank_name: optionalText,
      bik: optionalText,
      inn: optionalText,
      sbp_bank_id: text.nullish().transform((value) => value ?? null),
    })
    .nullish()
    .transform((value) => value ?? null),
  created_at: optionalText,
});

export const JumpBalanceSchema = z.object({
  id: jumpInt,
  balance: optionalMoney,
  frozen_balance: optionalMoney,
  type: JumpRefSchema.nullish().transform((value) => value ?? null),
  integration: JumpRefSchema.nullish().transform((value) => value ?? null),
  customer_balance: JumpRefSchema.nullish().transform((value) => value ?? null),
  agent: JumpRefSchema.nullish().transform((value) => value ?? null),
  created_at: optionalText,
});

export const JumpSelfEmployedSchema = z.object({
  inn: optionalText,
  is_verified: flag,
  is_can_pay_taxes: flag,
  has_company_agrees_pay_taxes: flag,
  has_warning: flag,
  sync: z
    .object({ in_process: flag })
    .nullish()
    .transform((value) => value ?? { in_process: false }),
  messages: z
    .object({
      status: z
        .object({ type: optionalText, short_title: optionalText, detail: optionalText })
        .nullish()
        .transform((value) => value ?? null),
    })
    .nullish()
    .transform((value) => value ?? { status: null }),
});

export const JumpIdentificationSchema = z.object({
  id: jumpInt,
  contractor_id: optionalInt,
  status: optionalText,
  is_verified: flag,
});

export const JumpGroupSchema = z.object({ id: jumpInt, name: optionalText, is_default: flag });

// ─── Payouts ───────────────────────────────────────────────────────────────────────────────────

/** `error` is a string in [OAS] and an object {type, title, code} in [1C] examples: both are read. */
const paymentError = z
  .union([z.string(), z.object({ type: optionalText, title: optionalText, code: optionalInt })])
  .nullish()
  .transform((value) => value ?? null);

export const JumpPaymentSchema = z.object({
  id: jumpInt,
  amount: jumpMoney,
  amount_paid: optionalMoney,
  commission: optionalMoney,
  commission_bank: optionalMoney,
  tax_amount: optionalMoney,
  is_final: z.boolean(),
  status: z.object({ id: jumpInt, title: optionalText, theme: optionalText }),
  error: paymentError,
  payment_purpose: optionalText,
  customer_payment_id: optionalText,
  receipt: z
    .object({
      key: optionalText,
      status: optionalText,
      operation_at: optionalText,
      cancel_reason: optionalText,
      can_cancel: flag,
      links: z
        .object({ fns_url: optionalText, saved_url: optionalText })
        .nullish()
        .transform((value) => value ?? null),
    })
    .nullish()
    .transform((value) => value ?? null),
  contractor: z
    .object({ id: jumpInt, phone: optionalText, full_name: optionalText, short_name: optionalText })
    .nullish()
    .transform((value) => value ?? null),
  requisite: z
    .object({ id: optionalInt, title: optionalText, description: optionalText })
    .nullish()
    .transform((value) => value ?? null),
  history: z
    .array(z.object({ message: optionalText, detail: optionalText, updated_at: optionalText }))
    .nullish()
    .transform((value) => value ?? null),
  abilities: z
    .object({ can_repeat: flag, can_cancel: flag, can_confirm: flag })
    .nullish()
    .transform((value) => value ?? null),
  created_at: optionalText,
  updated_at: optionalText,
  paid_at: optionalText,
});

export type JumpMeta = z.infer<typeof JumpMetaSchema>;
export type JumpErrorBody = z.infer<typeof JumpErrorBodySchema>;
export type JumpFieldError = JumpErrorBody['error']['fields'][number];
export type JumpContractor = z.infer<typeof JumpContractorSchema>;
export type JumpRequisite = z.infer<typeof JumpRequisiteSchema>;
export type JumpBalance = z.infer<typeof JumpBalanceSchema>;
export type JumpSelfEmployed = z.infer<typeof JumpSelfEmployedSchema>;
export type JumpIdentification = z.infer<typeof JumpIdentificationSchema>;
export type JumpGroup = z.infer<typeof JumpGroupSchema>;
export type JumpPayment = z.infer<typeof JumpPaymentSchema>;

export interface JumpPage<T> {
  items: T[];
  meta: JumpMeta;
}

/** per_page values the vendor accepts (an enum, not a range). */
export const JUMP_PER_PAGE = [1, 2, 3, 4, 5, 10, 15, 20, 25, 30, 50, 100, 150, 200] as const;
export const JUMP_MAX_PER_PAGE = 200;

/** Legal forms (legal_form_id). */
export const JUMP_LEGAL_FORMS = { INDIVIDUAL: 1, SELF_EMPLOYED: 2, SOLE_PROPRIETOR: 3 } as const;

/** The body of POST /contractors and PUT /contractors/{id}. */
export interface JumpContractorInput {
  phone: string;
  email?: string | null;
  last_name: string;
  first_name: string;
  middle_name?: string;
  legal_form_id: number;
  agent_id: number;
  group_id: number;
  inn?: string;
  company_agrees_pay_taxes?: boolean;
}

/** The body of POST /payments (the subset the subgraph sends); amount is two-decimal text, sent as a JSON number. */
export interface JumpPaymentInput {
  contractor_id: number;
  amount: string;
  customer_payment_id: string;
  payment_purpose?: string;
  service_name?: string;
  requisite_id?: number;
}

/** Filters of GET /payments ([1C]). */
export interface JumpPaymentQuery {
  status?: number;
  contractorIds?: number[];
  createdFrom?: string;
  createdTo?: string;
}
