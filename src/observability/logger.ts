import { pino, type Logger } from 'pino';
import { redact, redactDeep } from './redaction.ts';

export type { Logger };

/** Query parameters and headers that carry credentials; their values never reach a log line, an error or a metric. */
const SECRET_PARAMS = ['key', 'token', 'access_token', 'api_key', 'apikey', 'client_key'];

/** `Authorization: Bearer <token>` values (T-Bank's token) wherever they appear in text. */
const BEARER = /\b(Bearer\s+)[^\s"',;]+/gi;

/** Replaces credential values in a URL (or any text containing URLs), and bearer tokens, with "***". */
export function redactUrl(text: string): string {
  return text.replace(new RegExp(`([?&](?:${SECRET_PARAMS.join('|')})=)[^&#\\s"']*`, 'gi'), '$1***').replace(BEARER, '$1***');
}

/** Removes literal secrets (the configured keys) from free text such as a vendor's error body, and everything `redact` removes. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = redact(text);
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('***');
  }
  return result;
}

/** Errors are logged by type, code and redacted message; stacks stay out of the log (they can embed URLs). */
function serializeError(error: unknown): Record<string, unknown> {
  const { name, message, code } = (error ?? {}) as { name?: string; message?: string; code?: string };
  return { type: name, message: redact(String(message ?? error)), ...(code ? { code } : {}) };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'counterparty-subgraph' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["router-authorization"]',
          'req.headers["client-key"]',
          'headers.authorization',
          'headers.Authorization',
          'headers["client-key"]',
          '*.apiKey',
          'apiKey',
          'key',
        ],
        censor: '***',
      },
      serializers: { err: serializeError, error: serializeError },
      hooks: {
        // The message text and any string arguments pass redaction (registered secrets, URL credentials, cards)
        // before pino formats them; every string of the log object does too (formatters.log).
        logMethod(args, method) {
          const redacted = args.map((arg) => (typeof arg === 'string' ? redact(arg) : arg)) as typeof args;
          method.apply(this, redacted);
        },
      },
      formatters: {
        log: (object) => redactDeep(object instanceof Error ? serializeError(object) : object) as Record<string, unknown>,
      },
    },
    destination,
  );
}
