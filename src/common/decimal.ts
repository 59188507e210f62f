import { GraphQLScalarType, Kind } from 'graphql';
import { badUserInput } from '../errors.ts';
import { echoInput } from '../observability/redaction.ts';
import { formatKopecks, kopecksOf } from '../domain/money.ts';

/**
 * The Decimal scalar: money as exact text. Output is always two decimals ("100.10"); arithmetic, where needed,
 * goes through bigint kopecks (src/domain/money.ts).
 *
 * Input is accepted exactly as documented, nothing more: a string of digits with at most two decimals ("10",
 * "10.5", "10.50": no spaces, no sign, no exponent), or an integer — an integer literal written in the query, or a
 * safe integer in variables. A float literal (`1.5`), a JSON float (already a binary float when JSON.parse made
 * it), and any other spelling are refused.
 *
 * Refused input is not thrown at parse time: it parses to an `InvalidDecimal`, which `exactMoney` — the one door
 * every Decimal argument goes through — turns into BAD_USER_INPUT naming the argument. A parse error would instead
 * be GRAPHQL_VALIDATION_FAILED for a literal and a request-level error for a variable; this way literals and
 * variables both end on the field, which answers null with `extensions.argument`, before any vendor call.
 */

/** A Decimal input the scalar refused; only `exactMoney` reads it. */
export class InvalidDecimal {
  constructor(
    /** Completes `"<argument>" …`, e.g. `allows at most two decimals (kopecks), got "1.001"`. */
    readonly reason: string,
  ) {}
}

/** What the scalar parses input to. Codegen types Decimal inputs as string: resolvers pass them to `exactMoney` as is. */
export type DecimalInput = string | InvalidDecimal;

/** Digits, then optionally a point and more digits; how many decimals is checked separately for a clearer message. */
const DIGITS = /^\d+(?:\.\d+)?$/;
const EXAMPLE = 'e.g. "100.10"';

/** Two-decimal text for documented input, InvalidDecimal for anything else. Echoed input is redacted and cut short. */
function parseText(text: string): DecimalInput {
  if (!DIGITS.test(text)) {
    return new InvalidDecimal(
      `must be a sum written as digits with at most two decimals, ${EXAMPLE} (no spaces, sign or exponent), got "${echoInput(text)}"`,
    );
  }
  const decimals = text.split('.')[1] ?? '';
  const parsed = kopecksOf(text, 'exact');
  if (decimals.length > 2 || !parsed.ok) return new InvalidDecimal(`allows at most two decimals (kopecks), got "${echoInput(text)}"`);
  return formatKopecks(parsed.kopecks);
}

/**
 * In variables only a string: a JSON number has been through JSON.parse already, where 1499.9999999999999 silently
 * became 1500 — no integer check can tell. (An integer written in the query itself is exact: see parseLiteral.)
 */
function parseValue(value: unknown): DecimalInput {
  if (typeof value === 'string') return parseText(value);
  if (typeof value === 'number') {
    return new InvalidDecimal(
      `must be a string in variables (${EXAMPLE}): the JSON number ${echoInput(String(value))} was already rounded by JSON parsing`,
    );
  }
  return new InvalidDecimal(
    `must be a string like "100.10", got a ${value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value}`,
  );
}

/** A literal in the query: a string or an integer; a float literal is refused like a JSON float, for one rule. */
function parseLiteral(ast: { kind: Kind; value?: unknown }): DecimalInput {
  if (ast.kind === Kind.STRING || ast.kind === Kind.INT) return parseText(String(ast.value));
  if (ast.kind === Kind.FLOAT)
    return new InvalidDecimal(`must be a string (${EXAMPLE}) or an integer, not the float literal ${echoInput(String(ast.value))}`);
  return new InvalidDecimal('must be a string like "100.10"');
}

/**
 * A Decimal argument as two-decimal text. Refused scalar input, and any string that is not digits with at most two
 * decimals, is BAD_USER_INPUT naming the argument. `value` is unknown because codegen types Decimal input as string
 * while the scalar may have parsed it to an InvalidDecimal.
 */
export function exactMoney(value: unknown, argument: string): string {
  const parsed = value instanceof InvalidDecimal ? value : typeof value === 'string' ? parseText(value) : parseValue(value);
  if (parsed instanceof InvalidDecimal) throw badUserInput(`"${argument}" ${parsed.reason}`, { argument });
  return parsed;
}

export const DecimalScalar = new GraphQLScalarType<DecimalInput, string>({
  name: 'Decimal',
  description:
    'An exact sum of money in rubles: a string with two decimals, e.g. "100.10". Input: digits with at most two decimals as a string, or an integer.',
  serialize: (value) => {
    if (typeof value === 'bigint') return formatKopecks(value);
    if (typeof value !== 'string') throw new TypeError(`Decimal cannot serialise a ${typeof value}: money is never a float`);
    const parsed = kopecksOf(value, 'exact');
    if (!parsed.ok) throw new TypeError(`Decimal cannot serialise "${value}": not a sum with at most two decimals`);
    return formatKopecks(parsed.kopecks);
  },
  parseValue,
  parseLiteral,
});
