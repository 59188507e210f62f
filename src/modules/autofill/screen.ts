import type { ModuleRuntime } from '../contract.ts';
import { retryAfterOf } from './answer.ts';

/** What the site's backend stores with its user after registration: the registry status and the risk profile. */
export interface ScreenAnswer {
  inn: string;
  statusCode: string;
  riskLevel: string;
  requiresReview: boolean;
  factors: Array<{ code: string; title: string; severity: string }>;
  checkedAt: string;
}

export type ScreenResult =
  { kind: 'found'; answer: ScreenAnswer } | { kind: 'not_found' } | { kind: 'unavailable'; retryAfterSeconds: number; message: string };

/** The risk module's profile (the same policy as `Company.risk`), read through the graph. */
const SCREEN_QUERY = /* GraphQL */ `
  query AutofillScreen($inn: String!) {
    company(inn: $inn) {
      inn
      status {
        code
      }
      risk {
        level
        requiresReview
        checkedAt
        factors {
          code
          title
          severity
        }
      }
    }
  }
`;

interface ScreenData {
  company: {
    inn: string;
    status: { code: string } | null;
    risk: { level: string; requiresReview: boolean; checkedAt: string; factors: ScreenAnswer['factors'] } | null;
  } | null;
}

/** Screens one (valid) INN through the graph: the same loaders, cache, cost limit and deadline as any operation. */
export async function screen(runtime: ModuleRuntime, inn: string): Promise<ScreenResult> {
  const { data, errors } = await runtime.execute<ScreenData>(SCREEN_QUERY, { inn });
  const company = data?.company;
  if (company?.risk) {
    const { risk } = company;
    return {
      kind: 'found',
      answer: {
        inn: company.inn,
        statusCode: company.status?.code ?? 'UNKNOWN',
        riskLevel: risk.level,
        requiresReview: risk.requiresReview,
        factors: risk.factors.map(({ code, title, severity }) => ({ code, title, severity })),
        checkedAt: risk.checkedAt,
      },
    };
  }
  if (data && company === null && !errors?.length) return { kind: 'not_found' };
  const first = errors?.[0];
  return {
    kind: 'unavailable',
    retryAfterSeconds: retryAfterOf(first),
    message: first?.message ?? 'the risk profile could not be made',
  };
}
