import { pino, type Logger } from 'pino';

export type { Logger };

/** Query parameters and headers that carry credentials; their values never reach a log line, an error or a metric. */
const SECRET_PARAMS = ['key', 'token', 'access_token', 'api_key', 'apikey'];

/** Replaces credential values in a URL (or any text containing URLs) with "***". */
export function redactUrl(text: string): string {
  return text.replace(
    new RegExp(`([?&](?:${SECRET_PARAMS.join('|')})=)[^&#\\s"']*`, 'gi'),
    '$1***',
  );
}

/** Removes literal secrets (the configured keys) from free text such as a vendor's error body. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = redactUrl(text);
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('***');
  }
  return result;
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
          'headers["client-key"]',
          '*.apiKey',
          'apiKey',
          'key',
        ],
        censor: '***',
      },
      formatters: {
        // Error messages and URLs pass the URL redaction before they are written.
        log(object) {
          if (typeof object.url === 'string') object.url = redactUrl(object.url);
          if (typeof object.msg === 'string') object.msg = redactUrl(object.msg);
          return object;
        },
      },
    },
    destination,
  );
}
