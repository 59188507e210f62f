import { z } from 'zod';
import { emptyAsUndefined, rateLimit, secret, type EnvOf } from '../../config/env.ts';

/** An origin as browsers send it: scheme, host and port, no path. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

/** The public autofill route: AUTOFILL_* (see README, "Autofill"). On unless AUTOFILL_ENABLED=false. */
export const autofillEnv = {
  AUTOFILL_ENABLED: z.preprocess(emptyAsUndefined, z.enum(['true', 'false']).default('true')),
  /** Requests per client (IP address; an IPv6 client by its /64) and window: `20/min`. */
  AUTOFILL_RATE_LIMIT: rateLimit('20/min'),
  /** Paid vendor calls the public route may cause per day (Moscow time); past it, cached answers only. 0: never pays. */
  AUTOFILL_DAILY_VENDOR_CALLS: z.coerce.number().int().min(0).default(1000),
  /** Paid lookups one client may cause per day (so that one visitor cannot spend the whole daily budget). */
  AUTOFILL_CLIENT_DAILY_VENDOR_CALLS: z.coerce.number().int().min(1).default(100),
  /** Sites whose pages may call the route from the browser (CORS), comma-separated origins: `https://shop.example.ru`. */
  AUTOFILL_ORIGINS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      )
      .superRefine((origins, ctx) => {
        const bad = origins.filter((origin) => !isOrigin(origin));
        if (bad.length > 0)
          ctx.addIssue({
            code: 'custom',
            message: `AUTOFILL_ORIGINS takes origins like https://shop.example.ru (scheme and host, no path, no "*"); not ${bad.map((origin) => JSON.stringify(origin)).join(', ')}`,
          });
      })
      .optional(),
  ),
  /** The site's backend calls POST /autofill/v1/screen with `Authorization: Bearer <token>` (or through the router). */
  AUTOFILL_SERVER_TOKEN: secret('AUTOFILL_SERVER_TOKEN', 24),
};

export function autofillConfig(e: EnvOf<typeof autofillEnv>) {
  return {
    enabled: e.AUTOFILL_ENABLED === 'true',
    rateLimit: e.AUTOFILL_RATE_LIMIT,
    dailyVendorCalls: e.AUTOFILL_DAILY_VENDOR_CALLS,
    clientDailyVendorCalls: e.AUTOFILL_CLIENT_DAILY_VENDOR_CALLS,
    origins: e.AUTOFILL_ORIGINS ?? [],
    serverToken: e.AUTOFILL_SERVER_TOKEN,
  };
}

export type AutofillConfig = ReturnType<typeof autofillConfig>;
