import { createHash, createHmac } from 'node:crypto';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { VendorHttpClient, type CallSpec } from '../../vendors/http-core.ts';
import type { AlertSink, CompanyAlert } from '../contract.ts';

declare module '../../errors.ts' {
  interface VendorNames {
    'alert-webhook': true;
  }
}

/** The headers of a signed alert. */
export const SIGNATURE_HEADER = 'x-signature';
export const ALERT_ID_HEADER = 'x-alert-id';
export const TIMESTAMP_HEADER = 'x-alert-timestamp';

/**
 * THE signature of an alert: HMAC-SHA256 with ALERT_WEBHOOK_SECRET over `<timestamp>.<raw body>` (the timestamp as
 * sent in X-Alert-Timestamp, Unix seconds), hex, as `sha256=<hex>`. The timestamp is signed so a captured request
 * cannot be replayed later: a receiver refuses a timestamp older than a few minutes, and one id it has seen.
 */
export function signAlert(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The sink name of a webhook URL: a digest, so logs and metrics tell webhooks apart without showing their URLs. */
export function webhookSinkName(url: string): string {
  return `webhook-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`;
}

/** 4xx answers that another attempt may change (auth being fixed, not deployed yet, conflicts, slow down). */
const RETRIED_REFUSALS = new Set([401, 403, 404, 408, 409, 425, 429]);

export interface WebhookOptions {
  url: string;
  secret: string;
  timeoutMs: number;
  now?: () => number;
}

/**
 * One outgoing webhook (ALERT_WEBHOOK_URLS): each alert POSTed as JSON, signed (X-Signature), with its idempotency id
 * (X-Alert-Id, the same on every redelivery) and the time it was sent (X-Alert-Timestamp). On the HTTP core: a
 * deadline (ALERT_WEBHOOK_TIMEOUT), a circuit breaker per URL, metrics as vendor `alert-webhook`, no retries of its
 * own — the alert queue retries with backoff. A 2xx is delivered; a 4xx other than 401, 403, 404, 408, 409, 425 and
 * 429 is a refusal no retry changes (given up at once); anything else is retried. A URL's user and password become a
 * Basic Authorization header (the password registered for redaction); the URL itself is never logged.
 */
export class WebhookSink implements AlertSink {
  readonly name: string;
  private readonly http: VendorHttpClient;
  private readonly now: () => number;

  constructor(
    private readonly options: WebhookOptions,
    logger: Logger,
    metrics: Metrics,
  ) {
    this.name = webhookSinkName(options.url);
    this.now = options.now ?? Date.now;
    const url = new URL(options.url);
    const password = url.password ? decodeURIComponent(url.password) : undefined;
    const basic =
      url.username || url.password
        ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
        : undefined;
    url.username = '';
    url.password = '';
    this.http = new VendorHttpClient(
      {
        vendor: 'alert-webhook',
        displayName: `Alert ${this.name}`,
        configured: true,
        credential: { variable: 'ALERT_WEBHOOK_URLS', rejected: 'refused the alert', check: ' (its credentials) and the receiver' },
        baseUrl: url.href,
        timeoutMs: options.timeoutMs,
        retries: 0,
        connections: 4,
        breaker: { errorPercent: 50, minCalls: 5, windowMs: 60_000, resetMs: 30_000 },
        retryStatuses: [],
        honourRetryAfter: false,
        secrets: [options.secret, password, basic],
      },
      {
        authorize: (_url, headers) => {
          if (basic) headers.authorization = basic;
        },
      },
      logger,
      metrics,
    );
  }

  async deliver(alert: CompanyAlert): Promise<void> {
    const body = JSON.stringify(alert);
    const timestamp = String(Math.floor(this.now() / 1000));
    const spec: CallSpec = {
      operation: 'deliver',
      method: 'POST',
      path: '',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'counterparty-subgraph-alerts/1',
        [ALERT_ID_HEADER]: alert.id,
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: signAlert(this.options.secret, timestamp, body),
      },
      body,
    };
    try {
      await this.http.call(spec, () => undefined);
    } catch (error) {
      const status = (error as { extensions?: { status?: unknown } }).extensions?.status;
      if (typeof status === 'number' && status >= 400 && status < 500 && !RETRIED_REFUSALS.has(status))
        Object.assign(error as object, { permanent: true });
      throw error;
    }
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
