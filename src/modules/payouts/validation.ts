import { createHash } from 'node:crypto';
import { badUserInput } from '../../errors.ts';
import { echoInput } from '../../observability/redaction.ts';
import { isValidInn } from '../../domain/identifiers.ts';
import { looksLikeCardNumber } from './vendor/card.ts';
import { kopecksOf } from '../../domain/money.ts';
import { exactMoney } from '../../common/decimal.ts';

/**
 * Input checks made before anything reaches Jump.Finance: ids, phones (normalised to +7XXXXXXXXXX), INNs, the
 * idempotency key's length and alphabet, amounts, and text fields that look like a card number.
 */

/** An id argument (GraphQL ID) as the vendor's positive integer. */
export function parseId(value: string | number, argument: string): number {
  const text = String(value).trim();
  const id = Number(text);
  if (!/^\d{1,15}$/.test(text) || !Number.isSafeInteger(id) || id < 1) {
    throw badUserInput(`"${argument}" must be a positive integer id, got "${echoInput(String(value))}"`, { argument });
  }
  return id;
}

/**
 * Russian phone numbers in the usual spellings — `+7 (903) 111-22-33`, `8 903 111 22 33`, `79031112233`,
 * `9031112233` — as the vendor's +7XXXXXXXXXX. Anything else is BAD_USER_INPUT.
 */
export function normalizePhone(value: string, argument = 'phone'): string {
  const trimmed = value.trim();
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) throw badUserInput(`"${argument}" is not a phone number: ${JSON.stringify(value)}`, { argument });
  const plus = trimmed.startsWith('+');
  const digits = trimmed.replace(/\D/g, '');
  let national: string | undefined;
  if (digits.length === 11 && digits.startsWith('7')) national = digits.slice(1);
  else if (!plus && digits.length === 11 && digits.startsWith('8')) national = digits.slice(1);
  else if (!plus && digits.length === 10) national = digits;
  if (!national) {
    throw badUserInput(`"${argument}" must be a Russian phone number (+7 and 10 digits), got ${JSON.stringify(value)}`, { argument });
  }
  return `+7${national}`;
}

/** Jump.Finance's alphabet for customer_payment_id: Latin letters, digits, space and -_.!:*()[]@$~`^,;=<>|{}‘. */
const CUSTOMER_PAYMENT_ID = /^[A-Za-z0-9 \-_.!:*()[\]@$~`^,;=<>|{}\u2018]+$/;
export const MAX_CUSTOMER_PAYMENT_ID = 36;

export function checkCustomerPaymentId(value: string, argument = 'customerPaymentId'): string {
  if (value.length === 0 || value.length > MAX_CUSTOMER_PAYMENT_ID) {
    throw badUserInput(`"${argument}" must have 1 to ${MAX_CUSTOMER_PAYMENT_ID} characters, got ${value.length}`, { argument });
  }
  if (!CUSTOMER_PAYMENT_ID.test(value)) {
    throw badUserInput(`"${argument}" may hold only Latin letters, digits, spaces and - _ . ! : * ( ) [ ] @ $ ~ \` ^ , ; = < > | { } ‘`, {
      argument,
    });
  }
  assertNoCardNumber(value, argument);
  return value;
}

/**
 * The idempotency key of a createPayment sent without one: derived from the operation's request id (the client's
 * `x-request-id`, else a random one) and the field's response path (`createPayment`, or an alias), so one operation
 * sent again with the same x-request-id asks for the same payout — and two aliased createPayments in one operation
 * for two. sha256 of `<requestId>:<path>`, written as a UUID (version 8, "custom"): 36 characters of the vendor's
 * alphabet. Hex groups can spell a dash-separated digit chain the vendor would take for a card number (about 1 key
 * in 450, random UUIDs alike) and refuse; such a key is derived again with a counter, deterministically.
 */
export function derivedCustomerPaymentId(requestId: string, path: string): string {
  for (let round = 0; ; round++) {
    const hex = createHash('sha256')
      .update(round === 0 ? `${requestId}:${path}` : `${requestId}:${path}:${round}`)
      .digest('hex');
    const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    const key = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    if (!looksLikeCardNumber(key)) return key;
  }
}

/** The vendor forbids card numbers in any payout text field; the text is not echoed back. */
export function assertNoCardNumber(value: string, argument: string): void {
  if (looksLikeCardNumber(value)) {
    throw badUserInput(`"${argument}" looks like it contains a bank card number, which Jump.Finance forbids in text fields; remove it`, {
      argument,
      reason: 'CARD_NUMBER',
    });
  }
}

/** Optional free text: trimmed, bounded, no card number; undefined when empty. */
export function checkText(value: string | null | undefined, argument: string, maxLength: number): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (text.length > maxLength) throw badUserInput(`"${argument}" is longer than ${maxLength} characters`, { argument });
  assertNoCardNumber(text, argument);
  return text;
}

/** Highest single payout the subgraph accepts (a typo guard; the vendor's own limits apply on top). */
const MAX_AMOUNT_KOPECKS = 100_000_000_00n;

/**
 * A payout amount — the Decimal scalar's parsed input (text, or an InvalidDecimal it refused): at most two decimals,
 * positive, not absurd; answered as two-decimal text.
 */
export function checkAmount(value: unknown, argument = 'input.amount'): string {
  const amount = exactMoney(value, argument);
  const parsed = kopecksOf(amount, 'exact');
  if (!parsed.ok || parsed.kopecks <= 0n) throw badUserInput(`"${argument}" must be positive, got "${amount}"`, { argument });
  if (parsed.kopecks > MAX_AMOUNT_KOPECKS) throw badUserInput(`"${argument}" must not exceed 100000000.00, got "${amount}"`, { argument });
  return amount;
}

/** An INN a contractor may carry: 10 or 12 digits with valid check digits. */
export function checkInn(value: string | null | undefined, required: boolean): string | undefined {
  const inn = value?.trim() || undefined;
  if (!inn) {
    if (required) throw badUserInput('"inn" is required for self-employed contractors and sole proprietors', { argument: 'inn' });
    return undefined;
  }
  if (!isValidInn(inn)) throw badUserInput(`"inn" is not a valid INN: ${JSON.stringify(inn)}`, { argument: 'inn' });
  return inn;
}
