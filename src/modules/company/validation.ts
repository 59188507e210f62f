import { badUserInput } from '../../errors.ts';
import { innProblem, ogrnProblem } from '../../domain/identifiers.ts';
import { echoInput } from '../../observability/redaction.ts';

/** The most INNs one `companies` call may ask for. */
export const MAX_INNS_PER_QUERY = 1000;

/** Invalid values named in one error: enough to find them, never a megabyte of input echoed back. */
const MAX_NAMED = 20;

function describe(problems: Array<{ value: string; problem: string }>): string {
  const named = problems.slice(0, MAX_NAMED).map(({ value, problem }) => `"${echoInput(value)}" (${problem})`);
  if (problems.length > MAX_NAMED) named.push(`and ${problems.length - MAX_NAMED} more`);
  return named.join(', ');
}

/** Throws one BAD_USER_INPUT error naming every invalid INN; nothing reaches a paid call. */
export function assertValidInns(inns: readonly string[], argument: string): void {
  const problems = [...new Set(inns)]
    .map((value) => ({ value, problem: innProblem(value) }))
    .filter((item): item is { value: string; problem: string } => item.problem !== null);
  if (problems.length === 0) return;
  throw badUserInput(`Invalid INN in "${argument}": ${describe(problems)}`, {
    argument,
    invalid: problems.slice(0, MAX_NAMED).map((item) => echoInput(item.value)),
  });
}

export function assertValidOgrn(ogrn: string, argument: string): void {
  const problem = ogrnProblem(ogrn);
  if (problem)
    throw badUserInput(`Invalid OGRN in "${argument}": ${describe([{ value: ogrn, problem }])}`, { argument, invalid: [echoInput(ogrn)] });
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
