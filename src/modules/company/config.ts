import { duration, type EnvOf } from '../../config/env.ts';

export const companyEnv = {
  /** refreshCompany refetches an INN at most once in this interval; inside it the data fetched less than this ago answers. */
  REFRESH_MIN_INTERVAL: duration('1m', { allowZero: true }),
};

export function companyConfig(e: EnvOf<typeof companyEnv>) {
  return { refreshMinIntervalMs: e.REFRESH_MIN_INTERVAL };
}

export type CompanyConfig = ReturnType<typeof companyConfig>;
