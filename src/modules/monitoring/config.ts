import { z } from 'zod';
import type { CoreConfig } from '../../config/core.ts';
import { duration, emptyAsUndefined, optionalDuration, secret, type EnvOf } from '../../config/env.ts';
import { registerSecret } from '../../observability/redaction.ts';

/** Hosts an http:// webhook may name in production: this machine only. */
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** One webhook URL: http(s), no fragment; a password in it is a credential (registered for redaction). */
function webhookUrl(text: string): URL | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `ALERT_WEBHOOK_URLS: "${cut(text)}" is not a URL`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `ALERT_WEBHOOK_URLS: ${url.protocol} is not http(s)`;
  if (url.hash) return 'ALERT_WEBHOOK_URLS: a webhook URL has no #fragment';
  if (url.password) {
    registerSecret(url.password);
    registerSecret(decodeURIComponent(url.password));
  }
  // A user name alone can be the credential (https://TOKEN@host), and so can a path segment (Slack-style
  // /services/T000/B000/<token>): token-like segments (16+ characters, letters and digits mixed) are redacted too.
  if (url.username) registerSecret(decodeURIComponent(url.username));
  for (const segment of url.pathname.split('/')) {
    if (segment.length >= 16 && /\d/.test(segment) && /[a-z]/i.test(segment)) registerSecret(decodeURIComponent(segment));
  }
  return url;
}

/** A value named in an error without its credentials (the part before any "@" of the authority is dropped). */
const cut = (text: string) => text.replace(/\/\/[^/@]*@/, '//').slice(0, 80);

export const monitoringEnv = {
  /** When set (e.g. 1h), a background job pulls Kontur.Focus change lists, evicts changed companies and emits alerts. */
  FOCUS_MONITORING_INTERVAL: optionalDuration(),
  /** Where alerts are POSTed, comma-separated: https URLs (http only to loopback, or outside production). */
  ALERT_WEBHOOK_URLS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((value, ctx) => {
        const urls: URL[] = [];
        for (const entry of value
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean)) {
          const url = webhookUrl(entry);
          if (typeof url === 'string') {
            ctx.addIssue({ code: 'custom', message: url });
            return z.NEVER;
          }
          if (!urls.some((seen) => seen.href === url.href)) urls.push(url);
        }
        return urls;
      })
      .optional(),
  ),
  /** The HMAC-SHA256 key of the webhooks' signatures (X-Signature); required with ALERT_WEBHOOK_URLS. */
  ALERT_WEBHOOK_SECRET: secret('ALERT_WEBHOOK_SECRET', 16),
  /** How long one webhook delivery may take. */
  ALERT_WEBHOOK_TIMEOUT: duration('10s'),
  /** Attempts of one delivery (to one webhook, or another sink) before it is given up (logged). */
  ALERT_DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(12),
  /** The first retry of a failed delivery comes after this, each next one after twice as long. */
  ALERT_DELIVERY_BACKOFF: duration('10s'),
  /** How long detected changes are kept (companyChanges answers them), and the last known state of each company. */
  ALERT_RETENTION: duration('90d'),
};

export function monitoringConfig(env: EnvOf<typeof monitoringEnv>) {
  return {
    intervalMs: env.FOCUS_MONITORING_INTERVAL,
    alerts: {
      webhookUrls: (env.ALERT_WEBHOOK_URLS ?? []).map((url) => url.href),
      webhookSecret: env.ALERT_WEBHOOK_SECRET,
      webhookTimeoutMs: env.ALERT_WEBHOOK_TIMEOUT,
      attempts: env.ALERT_DELIVERY_ATTEMPTS,
      backoffMs: env.ALERT_DELIVERY_BACKOFF,
      retentionMs: env.ALERT_RETENTION,
    },
  };
}

export type MonitoringConfig = ReturnType<typeof monitoringConfig>;

/** The variables that need each other, and the production rule of http:// webhooks. */
export function monitoringChecks(slice: MonitoringConfig, core: Pick<CoreConfig, 'env'>): string[] {
  const problems: string[] = [];
  const { webhookUrls, webhookSecret } = slice.alerts;
  if (webhookUrls.length > 0 && !webhookSecret)
    problems.push('ALERT_WEBHOOK_SECRET is required with ALERT_WEBHOOK_URLS: every alert is signed with it (X-Signature)');
  if (core.env === 'production')
    for (const href of webhookUrls) {
      const url = new URL(href);
      if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname))
        problems.push(`ALERT_WEBHOOK_URLS: http:// is allowed in production only to loopback; use https for ${url.host}`);
    }
  return problems;
}
