import { badUserInput } from '../../errors.ts';
import { innProblem, ogrnProblem } from '../../domain/identifiers.ts';

/** The most INNs one `companies` call may ask for. */
export const MAX_INNS_PER_QUERY = 1000;

function describe(problems: Array<{ value: string; problem: string }>): string {
  return problems.map(({ value, problem }) => `"${value}" (${problem})`).join(', ');
}

/** Throws one BAD_USER_INPUT error naming every invalid INN; nothing reaches a paid call. */
export function assertValidInns(inns: readonly string[], argument: string): void {
  const problems = [...new Set(inns)]
    .map((value) => ({ value, problem: innProblem(value) }))
    .filter((item): item is { value: string; problem: string } => item.problem !== null);
  if (problems.length === 0) return;
  throw badUserInput(`Invalid INN in "${argument}": ${describe(problems)}`, {
    argument,
    invalid: problems.map((item) => item.value),
  });
}

export function assertValidOgrn(ogrn: string, argument: string): void {
  const problem = ogrnProblem(ogrn);
  if (problem) throw badUserInput(`Invalid OGRN in "${argument}": ${describe([{ value: ogrn, problem }])}`, { argument, invalid: [ogrn] });
}

export function assertInnCount(inns: readonly string[], argument: string): void {
  if (inns.length > MAX_INNS_PER_QUERY) {
    throw badUserInput(`Too many INNs in "${argument}": ${inns.length}, at most ${MAX_INNS_PER_QUERY} per query`, {
      argument,
      limit: MAX_INNS_PER_QUERY,
      given: inns.length,
    });
  }
}
