import { describe, expect, it } from 'vitest';
import { scrubQuery, tracingEnabled, tracingEndpoint, traceLeaseWait, withSpan } from '../../src/observability/tracing.ts';

describe('tracing helpers', () => {
  it('scrubQuery keeps the parameter names and drops every value', () => {
    expect(scrubQuery('https://focus-api.kontur.ru/api3/req?inn=7707083893&key=secret')).toBe(
      'https://focus-api.kontur.ru/api3/req?inn=REDACTED&key=REDACTED',
    );
    expect(scrubQuery('?inn=7707083893')).toBe('?inn=REDACTED');
    expect(scrubQuery('inn=7707083893&flag')).toBe('inn=REDACTED&flag');
    expect(scrubQuery('/api3/req')).toBe('/api3/req');
    expect(scrubQuery('/a?x=1#frag')).toBe('/a?x=REDACTED#');
  });

  it('tracing is on only with an OTLP endpoint, and not when the SDK is disabled', () => {
    expect(tracingEndpoint({})).toBeUndefined();
    expect(tracingEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBeUndefined();
    expect(tracingEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe('http://collector:4318');
    expect(tracingEndpoint({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(tracingEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
  });

  it('off, the span helpers only run what they wrap', async () => {
    expect(tracingEnabled()).toBe(false);
    await expect(withSpan('x', {}, async (span) => span)).resolves.toBeUndefined();
    await expect(traceLeaseWait('req', 3, async (span) => span ?? 'no span')).resolves.toBe('no span');
  });
});
