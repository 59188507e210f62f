import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { alertText } from '../../src/modules/bitrix24/alerts.ts';
import type { CompanyAlert } from '../../src/modules/contract.ts';
import { changeId, diffSnapshots, type CompanySnapshot } from '../../src/modules/monitoring/changes.ts';
import { MemoryAlertQueue, deliveryId, type AlertDelivery } from '../../src/modules/monitoring/delivery.ts';
import { WebhookSink, signAlert, webhookSinkName } from '../../src/modules/monitoring/webhooks.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { Metrics } from '../../src/observability/metrics.ts';
import { redact } from '../../src/observability/redaction.ts';

const INN = '7736050003';
const context = { day: '2026-11-23', detectedAt: '2026-11-23T10:00:00.000Z', source: 'kontur-focus req/mon' };
const snapshot = (parts: Partial<CompanySnapshot>): CompanySnapshot => ({
  status: 'ACTIVE',
  head: 'Миллер Алексей Борисович',
  address: '117997, г Москва, ул Наметкина, д 16',
  name: 'ПАО "ГАЗПРОМ"',
  at: 0,
  ...parts,
});
const alert = (parts: Partial<CompanyAlert> = {}): CompanyAlert => ({
  id: changeId(INN, 'STATUS_CHANGED', 'LIQUIDATING', '2026-11-23'),
  inn: INN,
  type: 'STATUS_CHANGED',
  before: 'ACTIVE',
  after: 'LIQUIDATING',
  companyName: 'ПАО "ГАЗПРОМ"',
  detectedAt: context.detectedAt,
  source: context.source,
  ...parts,
});

describe('changes: the diff and the idempotency id', () => {
  it('reports each compared part that differs, with before and after, in a fixed order', () => {
    const changes = diffSnapshots(
      INN,
      snapshot({ riskLevel: 'LOW' }),
      snapshot({ status: 'LIQUIDATING', head: 'Ликвидатор Иван Иванович', address: null, riskLevel: 'CRITICAL' }),
      context,
    );
    expect(changes.map(({ type, before, after }) => ({ type, before, after }))).toEqual([
      { type: 'STATUS_CHANGED', before: 'ACTIVE', after: 'LIQUIDATING' },
      { type: 'HEAD_CHANGED', before: 'Миллер Алексей Борисович', after: 'Ликвидатор Иван Иванович' },
      { type: 'ADDRESS_CHANGED', before: '117997, г Москва, ул Наметкина, д 16', after: null },
      { type: 'RISK_LEVEL_CHANGED', before: 'LOW', after: 'CRITICAL' },
    ]);
    expect(changes[0]).toEqual(alert());
  });

  it('a risk level unknown on either side is not compared; equal states report nothing', () => {
    expect(diffSnapshots(INN, snapshot({}), snapshot({ riskLevel: 'HIGH' }), context)).toEqual([]);
    expect(diffSnapshots(INN, snapshot({ riskLevel: 'LOW', at: 1 }), snapshot({ riskLevel: 'LOW', at: 2 }), context)).toEqual([]);
  });

  it('the id is the same for the same company, type, new value and day; different otherwise', () => {
    const id = changeId(INN, 'STATUS_CHANGED', 'LIQUIDATING', '2026-11-23');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(changeId(INN, 'STATUS_CHANGED', 'LIQUIDATING', '2026-11-23')).toBe(id);
    expect(
      new Set([
        id,
        changeId(INN, 'STATUS_CHANGED', 'LIQUIDATING', '2026-11-24'),
        changeId(INN, 'STATUS_CHANGED', 'LIQUIDATED', '2026-11-23'),
        changeId(INN, 'HEAD_CHANGED', 'LIQUIDATING', '2026-11-23'),
        changeId('7707083893', 'STATUS_CHANGED', 'LIQUIDATING', '2026-11-23'),
      ]).size,
    ).toBe(5);
  });
});

describe('webhook signature and configuration', () => {
  it('signs HMAC-SHA256 over "<timestamp>.<raw body>" as sha256=<hex>; the sink is named by a digest of its URL', () => {
    const body = JSON.stringify(alert());
    const expected = createHmac('sha256', 'a-secret-of-sixteen+').update(`1796000000.${body}`).digest('hex');
    expect(signAlert('a-secret-of-sixteen+', '1796000000', body)).toBe(`sha256=${expected}`);
    expect(webhookSinkName('https://user:pass@hooks.example.ru/alerts?token=x')).toMatch(/^webhook-[0-9a-f]{12}$/);
  });

  it('URLs need the secret; http only to loopback in production; a password in a URL is redacted everywhere', () => {
    expect(() => loadConfig({ ALERT_WEBHOOK_URLS: 'https://hooks.example.ru/a' })).toThrow(
      'ALERT_WEBHOOK_SECRET is required with ALERT_WEBHOOK_URLS',
    );
    expect(() => loadConfig({ ALERT_WEBHOOK_URLS: 'ftp://hooks.example.ru/a', ALERT_WEBHOOK_SECRET: 'secret-0123456789ab' })).toThrow(
      'ALERT_WEBHOOK_URLS: ftp: is not http(s)',
    );
    expect(() => loadConfig({ ALERT_WEBHOOK_URLS: 'https://hooks.example.ru/a', ALERT_WEBHOOK_SECRET: 'short' })).toThrow(
      'ALERT_WEBHOOK_SECRET must have at least 16 characters',
    );
    const production = { NODE_ENV: 'production', FOCUS_API_KEY: 'focus-key-0123', ALERT_WEBHOOK_SECRET: 'secret-0123456789ab' };
    expect(() => loadConfig({ ...production, ALERT_WEBHOOK_URLS: 'http://hooks.example.ru/a' })).toThrow(
      'ALERT_WEBHOOK_URLS: http:// is allowed in production only to loopback; use https for hooks.example.ru',
    );
    const config = loadConfig({
      ...production,
      ALERT_WEBHOOK_URLS:
        ' https://crm:hook-password-5521@hooks.example.ru/a , http://127.0.0.1:9000/b,https://crm:hook-password-5521@hooks.example.ru/a',
    });
    expect(config.monitoring.alerts).toMatchObject({
      webhookUrls: ['https://crm:hook-password-5521@hooks.example.ru/a', 'http://127.0.0.1:9000/b'],
      attempts: 12,
      backoffMs: 10_000,
      retentionMs: 90 * 86_400_000,
      webhookTimeoutMs: 10_000,
    });
    expect(redact('failed: hook-password-5521')).toBe('failed: ***');
    expect(loadConfig({ ALERT_RETENTION: '30d' }).monitoring.alerts.retentionMs).toBe(30 * 86_400_000);
  });

  it('a receiver answering 400 is a permanent refusal; 500 is retried; 2xx delivered; Basic credentials from the URL', async () => {
    const statuses = [400, 500, 204];
    const seen: Array<{ authorization?: string; url?: string }> = [];
    const server = createServer((req, res) => {
      seen.push({ authorization: req.headers.authorization, url: req.url });
      req.resume().on('end', () => res.writeHead(statuses.shift() ?? 200).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const sink = new WebhookSink(
      { url: `http://crm:p%40ss-word-1234@127.0.0.1:${port}/in?x=1`, secret: 'a-secret-of-sixteen+', timeoutMs: 2_000 },
      createLogger('silent'),
      new Metrics({ processMetrics: false }),
    );
    try {
      const refused = await sink.deliver(alert()).catch((error: unknown) => error);
      expect(refused).toMatchObject({ permanent: true, extensions: { code: 'VENDOR_BAD_RESPONSE', status: 400 } });
      const failed = await sink.deliver(alert()).catch((error: unknown) => error);
      expect(failed).toMatchObject({ extensions: { code: 'VENDOR_UNAVAILABLE', status: 500 } });
      expect((failed as { permanent?: boolean }).permanent).toBeUndefined();
      await sink.deliver(alert());
      expect(seen).toEqual(
        Array.from({ length: 3 }, () => ({
          authorization: `Basic ${Buffer.from('crm:p@ss-word-1234').toString('base64')}`,
          url: '/in?x=1',
        })),
      );
    } finally {
      await sink.close();
      server.close();
    }
  });
});

describe('the in-process alert queue', () => {
  const delivery = (id: string, sink = 'webhook-0'): AlertDelivery => ({ alert: alert({ id }), sink });

  it('one job per (alert, sink), retried with doubling backoff, given up after its attempts or at once when permanent', async () => {
    const queue = new MemoryAlertQueue({ attempts: 3, backoffMs: 40, concurrency: 4 }, createLogger('silent'));
    const tries: Array<{ id: string; attempt: number; at: number }> = [];
    queue.run((item, attempt) => {
      tries.push({ id: item.alert.id, attempt, at: Date.now() });
      if (item.alert.id === 'fails') return Promise.reject(new Error('down'));
      if (item.alert.id === 'refused') return Promise.reject(Object.assign(new Error('400'), { permanent: true }));
      return Promise.resolve();
    });
    await queue.add([delivery('ok'), delivery('ok'), delivery('ok', 'bitrix24'), delivery('fails'), delivery('refused')]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    // Delivered ones are remembered: the same alert added again is not delivered again.
    await queue.add([delivery('ok')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const of = (id: string) => tries.filter((attempt) => attempt.id === id);
    expect(of('ok').map((attempt) => attempt.attempt)).toEqual([1, 1]);
    expect(of('refused').map((attempt) => attempt.attempt)).toEqual([1]);
    const failing = of('fails');
    expect(failing.map((attempt) => attempt.attempt)).toEqual([1, 2, 3]);
    expect(failing[1]!.at - failing[0]!.at).toBeGreaterThanOrEqual(35);
    expect(failing[2]!.at - failing[1]!.at).toBeGreaterThanOrEqual(75);
    expect(await queue.depth()).toBe(0);
    expect(deliveryId(delivery('ok'))).not.toBe(deliveryId(delivery('ok', 'bitrix24')));
    expect(deliveryId(delivery('ok'))).not.toContain(':');
    await queue.close();
  });
});

describe('the Bitrix24 wording', () => {
  it('before → after in Russian, statuses and risk levels translated, «—» for none', () => {
    expect(alertText(alert())).toBe(
      'Контур.Фокус (мониторинг): изменился статус — «действующая» → «в стадии ликвидации». ПАО "ГАЗПРОМ", ИНН 7736050003; обнаружено 23.11.2026.',
    );
    expect(alertText(alert({ type: 'RISK_LEVEL_CHANGED', before: 'LOW', after: 'CRITICAL', companyName: null }))).toBe(
      'Контур.Фокус (мониторинг): изменился уровень риска — «низкий» → «критический». ИНН 7736050003; обнаружено 23.11.2026.',
    );
    expect(alertText(alert({ type: 'ADDRESS_CHANGED', before: null, after: 'г Москва' }))).toContain('«—» → «г Москва»');
  });
});
