import { z } from 'zod';
import { registerSecret } from '../../observability/redaction.ts';
import {
  breakerEnv,
  breakerOf,
  duration,
  emptyAsUndefined,
  optionalDuration,
  rateLimit,
  retries,
  secret,
  type EnvOf,
} from '../../config/env.ts';

/** `https://<portal>/rest/<user id>/<secret>/`: the secret (the last path segment) is a credential. */
const WEBHOOK = /^(https?:\/\/[^/\s]+\/rest\/\d+\/)([^/\s]+)\/?$/;

/** Bitrix24 CRM: BITRIX24_* (see README, "Bitrix24"). Absent BITRIX24_WEBHOOK_URL: the module is off. */
export const bitrix24Env = {
  /** The portal's incoming webhook, e.g. https://example.bitrix24.ru/rest/1/<secret>/ — every write goes here only. */
  BITRIX24_WEBHOOK_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(WEBHOOK, 'BITRIX24_WEBHOOK_URL must look like https://<portal>/rest/<user id>/<secret>/')
      .transform((url) => {
        registerSecret(WEBHOOK.exec(url)![2]);
        return url.endsWith('/') ? url : `${url}/`;
      })
      .optional(),
  ),
  /** The outgoing webhook's application token: an event is trusted only when it carries it. */
  BITRIX24_APPLICATION_TOKEN: secret('BITRIX24_APPLICATION_TOKEN', 8),
  /** When set, an event's auth[member_id] must be this portal's. */
  BITRIX24_MEMBER_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** Deal stages that trigger the risk screening, comma-separated: `CONTRACT,C2:CONTRACT`. */
  BITRIX24_RISK_STAGES: z.preprocess(emptyAsUndefined, z.string().default('CONTRACT')),
  /** Responsible user of review tasks (the security team). */
  BITRIX24_SECURITY_USER_ID: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().optional()),
  /** The portal's REST limit, for every Bitrix24 call of every replica: 2/s (Enterprise portals: 5/s). */
  BITRIX24_RATE_LIMIT: rateLimit('2/s'),
  /** Longest a Bitrix24 call waits for the rate limit (background work: it may wait). */
  BITRIX24_MAX_WAIT: duration('60s'),
  BITRIX24_TIMEOUT: duration('15s'),
  BITRIX24_RETRIES: retries(3),
  /** Events of one (portal, event, entity) within this window are one job, run when the window has passed (Redis). */
  BITRIX24_DEDUP_WINDOW: duration('1s', { allowZero: true }),
  /** With it, a job lists requisites modified since its last run and processes those whose INN changed unseen. */
  BITRIX24_RECONCILE_INTERVAL: optionalDuration(),
  ...breakerEnv('BITRIX24'),
};

export function bitrix24Config(e: EnvOf<typeof bitrix24Env>) {
  return {
    /** undefined = the module is off. */
    webhookUrl: e.BITRIX24_WEBHOOK_URL,
    applicationToken: e.BITRIX24_APPLICATION_TOKEN,
    memberId: e.BITRIX24_MEMBER_ID,
    riskStages: e.BITRIX24_RISK_STAGES.split(',')
      .map((stage) => stage.trim())
      .filter(Boolean),
    securityUserId: e.BITRIX24_SECURITY_USER_ID,
    rateLimit: e.BITRIX24_RATE_LIMIT,
    maxWaitMs: e.BITRIX24_MAX_WAIT,
    timeoutMs: e.BITRIX24_TIMEOUT,
    retries: e.BITRIX24_RETRIES,
    dedupWindowMs: e.BITRIX24_DEDUP_WINDOW,
    reconcileIntervalMs: e.BITRIX24_RECONCILE_INTERVAL,
    breaker: breakerOf(e, 'BITRIX24'),
  };
}

export type Bitrix24Config = ReturnType<typeof bitrix24Config>;
