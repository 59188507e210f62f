import { LosslessNumber, isLosslessNumber, parse, stringify } from 'lossless-json';
import { kopecksOf, minimalKopecksText } from '../../../domain/money.ts';

/**
 * JSON for Jump.Finance without binary floats: numbers are read as LosslessNumber (their exact source text) and
 * written from it, so `"amount": 100.10` stays the digits 100.10 end to end. JSON.parse would turn 0.1 + 0.2 sums
 * into doubles; Node 20's JSON.parse has no access to a number's source text.
 */
export function parseJson(text: string): unknown {
  return parse(text);
}

/** JSON with every number as its exact source text (a string): for tests and tools that compare digits. */
export function parseJsonNumbersAsText(text: string): unknown {
  return parse(text, null, (value: string) => value);
}

export function stringifyJson(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new TypeError('value is not serialisable as JSON');
  return text;
}

/** A sum of money (two-decimal text or kopecks) as a JSON number in its shortest form: 100.10 → 100.1. */
export function jsonMoney(value: string | bigint): LosslessNumber {
  if (typeof value === 'bigint') return new LosslessNumber(minimalKopecksText(value));
  const parsed = kopecksOf(value, 'exact');
  if (!parsed.ok) throw new TypeError(`"${value}" is not a sum with at most two decimals`);
  return new LosslessNumber(minimalKopecksText(parsed.kopecks));
}

/** An integer as a JSON number. */
export function jsonInteger(value: number | bigint): LosslessNumber {
  return new LosslessNumber(String(value));
}

export { LosslessNumber, isLosslessNumber };
