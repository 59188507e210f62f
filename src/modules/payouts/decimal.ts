import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { badUserInput } from '../../errors.ts';
import { formatKopecks, kopecksOf } from '../../vendors/jump/money.ts';

/**
 * The Decimal scalar: money as exact text. Output is always two decimals ("100.10"); arithmetic, where needed,
 * goes through bigint kopecks (src/vendors/jump/money.ts). Input comes as a string, or as an integer or float
 * literal written in the query (its source text is exact); a non-integer JSON number in variables is refused,
 * because JSON.parse has already made it a binary float.
 *
 * Parsing keeps the exact digits and normalises up to two decimals ("100.1" → "100.10"). A value with more
 * decimals ("100.101") is passed on as written, so that the field taking it refuses it with BAD_USER_INPUT —
 * through `exactMoney` — whether it came as a literal or in variables (a literal's parse error would otherwise be
 * GRAPHQL_VALIDATION_FAILED). Every Decimal argument must pass through `exactMoney`.
 */

function invalid(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

function parseText(text: string): string {
  const trimmed = text.trim();
  if (!DECIMAL_TEXT.test(trimmed)) throw invalid(`Decimal must be a number written like "100.10", got ${JSON.stringify(text)}`);
  const parsed = kopecksOf(trimmed, 'exact');
  return parsed.ok ? formatKopecks(parsed.kopecks) : trimmed;
}

function parseValue(value: unknown): string {
  if (typeof value === 'string') return parseText(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return parseText(String(value));
  if (typeof value === 'number') throw invalid(`Pass Decimal values as strings (e.g. "100.10"): the JSON number ${value} is already a binary float`);
  throw invalid(`Decimal must be a string like "100.10", got ${JSON.stringify(value)}`);
}

/** A Decimal argument as two-decimal text; more decimals than kopecks is BAD_USER_INPUT naming the argument. */
export function exactMoney(value: string, argument: string): string {
  const parsed = kopecksOf(value, 'exact');
  if (parsed.ok) return formatKopecks(parsed.kopecks);
  throw badUserInput(`"${argument}" allows at most two decimals (kopecks), got "${value}"`, { argument });
}

export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact sum of money in rubles: a string with two decimals, e.g. "100.10".',
  serialize: (value) => {
    if (typeof value === 'bigint') return formatKopecks(value);
    if (typeof value !== 'string') throw new TypeError(`Decimal cannot serialise a ${typeof value}: money is never a float`);
    const parsed = kopecksOf(value, 'exact');
    if (!parsed.ok) throw new TypeError(`Decimal cannot serialise "${value}": not a sum with at most two decimals`);
    return formatKopecks(parsed.kopecks);
  },
  parseValue,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return parseText(ast.value);
    throw invalid('Decimal must be a string like "100.10"');
  },
});
