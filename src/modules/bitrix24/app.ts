import { createHash } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { CacheStore } from '../../cache/store.ts';
import { isValidInn } from '../../domain/identifiers.ts';
import { VendorError } from '../../errors.ts';
import type { Logger } from '../../observability/logger.ts';
import type { ModuleRuntime } from '../contract.ts';
import type { Bitrix24Config } from './config.ts';
import { sameSecret } from '../../config/secrets.ts';
import type { Bitrix24Metrics } from './events.ts';
import { Bitrix24Processor, RefreshFailed, type ChangeSummary } from './processor.ts';
import { RISK_SELECTION } from './screening.ts';
import type { Bitrix24Client } from './vendor/client.ts';

/** The "Update data from Focus" item of the company card's toolbar (placement CRM_COMPANY_DETAIL_TOOLBAR, §6.3). */
export const PLACEMENT_PATH = '/integrations/bitrix24/placements/company-refresh';
/** The risk-check robot (bizproc.robot.add, USE_SUBSCRIPTION Y, §6.2). */
export const ROBOT_PATH = '/integrations/bitrix24/robots/risk-check';

const PLACEMENT = 'CRM_COMPANY_DETAIL_TOOLBAR';
/** The button refetches from Kontur.Focus at most this often per company; within it, the cached data is written. */
export const REFRESH_WINDOW_MS = 60_000;
/** A token as the portal hands one out (OAuth tokens are ~70 printable characters); anything else is refused unsent. */
const TOKEN = /^[\x21-\x7e]{1,256}$/;
/** `document_id[2]` of a CRM robot: `DEAL_123` (a company's robot: `COMPANY_45`). */
const DOCUMENT = /^(DEAL|COMPANY)_([1-9]\d{0,17})$/;

/** What the robot asks the graph: the risk module's profile (as `Company.risk`) and the registry status. */
export const ROBOT_QUERY = /* GraphQL */ `
  query Bitrix24RobotRisk($inn: String!) {
    company(inn: $inn) {
      inn
      shortName
      status {
        code
      }
      ${RISK_SELECTION}
    }
  }
`;

interface RobotCompany {
  inn: string;
  shortName: string | null;
  status: { code: string } | null;
  risk: {
    level: string;
    score: number;
    requiresReview: boolean;
    factors: Array<{ title: string; severity: string }>;
  } | null;
}

/** The robot's RETURN_PROPERTIES. */
export interface RiskReturnValues {
  /** LOW, MEDIUM, HIGH, CRITICAL — or UNKNOWN when there was nothing (valid) to check. */
  riskLevel: string;
  /** 0…100; empty when UNKNOWN (no score is not a score of 0). */
  riskScore: number | '';
  /** Y or N; Y when UNKNOWN: a counterparty nobody could check goes to a human. */
  requiresReview: 'Y' | 'N';
  /** The registry status code (ACTIVE, LIQUIDATED …); UNKNOWN when none. */
  statusCode: string;
  /** The risk factors (not the green ones), one a line; when UNKNOWN, why. */
  reasons: string;
}

export interface AppServices {
  config: Bitrix24Config;
  client: Bitrix24Client;
  cache: CacheStore;
  metrics: Bitrix24Metrics;
  logger: Logger;
}

/**
 * The Bitrix24 application's handlers (Tier B): the company card's button and the deal robot. Both are called by the
 * portal with a token of the user (or robot) and trusted as follows — refused with 401 before anything is read:
 * - the robot carries `auth[application_token]`, compared in constant time with BITRIX24_APPLICATION_TOKEN, and
 *   `auth[member_id]`, which must be BITRIX24_MEMBER_ID when set;
 * - the placement carries no application token, only `member_id` (checked the same way) and AUTH_ID, the user's
 *   access token: the portal itself is asked with it for the company the button was clicked on (`crm.company.get`
 *   in app context) before anything is paid for, which proves the token and that this user may see that company.
 * App-context calls go to the origin of BITRIX24_WEBHOOK_URL only (Bitrix24Client.callAs), never to the DOMAIN or
 * client_endpoint the request names; the writes go through the webhook, as S1's.
 */
export function appRoutes(services: AppServices, runtime: ModuleRuntime): Router {
  const { config, client, logger, metrics } = services;
  const processor = new Bitrix24Processor(client, runtime, services.cache, config, logger, services.metrics.writes);
  const gate = new RefreshGate(services.cache, new URL(config.webhookUrl ?? 'http://bitrix24.invalid/').host);
  const frameOrigin = config.webhookUrl ? new URL(config.webhookUrl).origin : "'none'";
  const form = express.urlencoded({ extended: true, limit: '32kb', parameterLimit: 200 });
  // Placement tokens the portal refused (by digest, for a minute), and the token checks running now.
  const refusedTokens = new Map<string, number>();
  const rememberRefused = (tokenId: string) => {
    // Bounded: the oldest go first (insertion order is expiry order).
    if (refusedTokens.size >= 10_000) refusedTokens.delete(refusedTokens.keys().next().value!);
    refusedTokens.set(tokenId, Date.now() + 60_000);
  };
  let checking = 0;
  // Robot runs in flight: acknowledged at once, finished in the background (their errors are logged there).
  const running = new Set<Promise<void>>();
  const router = express.Router();

  router.post(PLACEMENT_PATH, form, (req, res) => {
    void placement(req, res).catch((error: unknown) => {
      logger.error({ err: { message: (error as Error).message } }, 'Bitrix24 company refresh failed');
      if (!res.headersSent) page(res, 500, frameOrigin, ['Не удалось обновить данные: внутренняя ошибка. Попробуйте позже.']);
    });
  });

  async function placement(req: Request, res: Response): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const refuse = (why: string) => {
      metrics.events.inc({ event: 'PLACEMENT', outcome: 'refused' });
      page(res, 401, frameOrigin, [why]);
    };
    if (config.memberId && body.member_id !== config.memberId) return refuse('Запрос пришёл не с того портала Битрикс24.');
    const token = body.AUTH_ID;
    if (typeof token !== 'string' || !TOKEN.test(token)) return refuse('Нет ключа доступа приложения (AUTH_ID).');
    if (body.PLACEMENT !== PLACEMENT)
      return page(res, 400, frameOrigin, [`Это действие работает только в карточке компании (${PLACEMENT}).`]);
    const companyId = placementCompanyId(body.PLACEMENT_OPTIONS);
    if (companyId === undefined) return page(res, 400, frameOrigin, ['Не передан номер компании (PLACEMENT_OPTIONS.ID).']);

    // The token, asked of the portal before anything paid: the user may see this company. A token the portal refused
    // is refused again without asking for a minute, and only a few checks run at once: junk costs the portal little.
    const tokenId = createHash('sha256').update(token).digest('base64url');
    if ((refusedTokens.get(tokenId) ?? 0) > Date.now()) return refuse('Битрикс24 не подтвердил ключ доступа.');
    if (checking >= MAX_CHECKS_AT_ONCE) return page(res, 503, frameOrigin, ['Слишком много запросов сразу. Попробуйте через минуту.']);
    checking += 1;
    try {
      await client.callAs(token, 'crm.company.get', { id: companyId }, z.object({ ID: z.coerce.string() }).passthrough());
    } catch (error) {
      if (error instanceof VendorError && error.code === 'VENDOR_AUTH_FAILED') {
        rememberRefused(tokenId);
        return refuse('Битрикс24 не подтвердил ключ доступа.');
      }
      if (error instanceof VendorError && error.code === 'VENDOR_RATE_LIMITED')
        return page(res, 503, frameOrigin, ['Битрикс24 сейчас занят. Попробуйте через минуту.']);
      if (error instanceof VendorError && error.code === 'VENDOR_BAD_RESPONSE' && error.extensions.status === 400)
        return page(res, 404, frameOrigin, [`Компания ${companyId} не найдена или недоступна этому пользователю.`]);
      throw error;
    } finally {
      checking -= 1;
    }
    metrics.events.inc({ event: 'PLACEMENT', outcome: 'received' });

    const force = await gate.take(companyId);
    let summary: ChangeSummary;
    try {
      summary = await processor.refreshCompany(companyId, { force });
    } catch (error) {
      // Nothing (or not everything) was done: the next click may refetch at once.
      if (force) await gate.giveBack(companyId);
      if (error instanceof RefreshFailed) {
        logger.warn({ companyId, code: error.code }, 'Bitrix24 company refresh: Kontur.Focus could not be asked');
        return page(res, 503, frameOrigin, ['Контур.Фокус сейчас недоступен: данные не обновлены. Попробуйте через минуту.']);
      }
      throw error;
    }
    metrics.events.inc({ event: 'PLACEMENT', outcome: 'processed' });
    page(res, 200, frameOrigin, summaryLines(summary, force));
  }

  router.post(ROBOT_PATH, form, (req, res) => {
    const body = (req.body ?? {}) as {
      event_token?: unknown;
      document_id?: unknown;
      properties?: { inn?: unknown };
      auth?: { access_token?: unknown; member_id?: unknown; application_token?: unknown };
    };
    const refuse = (message: string) => {
      metrics.events.inc({ event: 'ROBOT', outcome: 'refused' });
      res.status(401).json({ error: { code: 'UNAUTHORIZED', message } });
    };
    if (!config.applicationToken || !sameSecret(body.auth?.application_token, config.applicationToken))
      return refuse('the application token is missing or wrong (BITRIX24_APPLICATION_TOKEN)');
    if (config.memberId && body.auth?.member_id !== config.memberId) return refuse('the robot runs on another portal (BITRIX24_MEMBER_ID)');
    const eventToken = body.event_token;
    const token = body.auth?.access_token;
    if (typeof eventToken !== 'string' || !TOKEN.test(eventToken) || typeof token !== 'string' || !TOKEN.test(token)) {
      res.status(400).json({ error: { code: 'BAD_REQUEST', message: 'event_token and auth[access_token] are required' } });
      return;
    }
    const documentId: unknown = Array.isArray(body.document_id) ? (body.document_id as unknown[])[2] : undefined;
    const given = typeof body.properties?.inn === 'string' ? body.properties.inn.trim() : '';
    metrics.events.inc({ event: 'ROBOT', outcome: 'received' });
    // The business process waits for bizproc.event.send, not for this answer: acknowledged at once.
    res.json({ accepted: true });
    const work = (async () => {
      const { values, log } = await robotAnswer(given, typeof documentId === 'string' ? documentId : '');
      await client.callAs(token, 'bizproc.event.send', { event_token: eventToken, return_values: values, log_message: log }, z.unknown());
      metrics.events.inc({ event: 'ROBOT', outcome: 'processed' });
    })()
      .catch((error: unknown) => {
        metrics.events.inc({ event: 'ROBOT', outcome: 'failed' });
        logger.error({ documentId, err: { message: (error as Error).message } }, 'Bitrix24 risk-check robot could not answer');
      })
      .finally(() => running.delete(work));
    running.add(work);
  });

  /** The robot's values: never throws — a failure is an UNKNOWN answer saying why, so the process does not hang. */
  async function robotAnswer(given: string, documentId: string): Promise<{ values: RiskReturnValues; log: string }> {
    const unknown = (reason: string) => ({
      values: { riskLevel: 'UNKNOWN', riskScore: '' as const, requiresReview: 'Y' as const, statusCode: 'UNKNOWN', reasons: reason },
      log: `Контур.Фокус: проверка не выполнена — ${reason}`,
    });
    try {
      let inn = given !== '' && isValidInn(given) ? given : undefined;
      const skipped = given !== '' && !inn ? `ИНН «${given}» из параметра робота не прошёл проверку контрольного числа. ` : '';
      if (!inn) {
        const document = DOCUMENT.exec(documentId);
        if (!document) return unknown(`${skipped}ИНН не указан, а документ робота — не сделка и не компания.`);
        const type = document[1] as 'DEAL' | 'COMPANY';
        const found = await processor.documentInn({ type, id: Number(document[2]) });
        if (!found.companyId) return unknown(`${skipped}У сделки нет компании.`);
        if (!found.inn) return unknown(`${skipped}У компании ${type === 'DEAL' ? 'сделки ' : ''}нет реквизита с действительным ИНН.`);
        inn = found.inn;
      }
      const result = await runtime.execute<{ company: RobotCompany | null }>(ROBOT_QUERY, { inn });
      if (result.errors?.length || !result.data) {
        const code = result.errors?.[0]?.extensions?.code;
        logger.warn({ code }, 'Bitrix24 risk-check robot: the graph failed');
        return unknown(`сервис проверки недоступен (${typeof code === 'string' ? code : 'ошибка'}); повторите позже.`);
      }
      const company = result.data.company;
      if (!company) return unknown(`ИНН ${inn} не найден в ЕГРЮЛ/ЕГРИП.`);
      if (!company.risk) return unknown(`для ИНН ${inn} нет оценки риска.`);
      const { level, score, requiresReview, factors } = company.risk;
      return {
        values: {
          riskLevel: level,
          riskScore: score,
          requiresReview: requiresReview ? 'Y' : 'N',
          statusCode: company.status?.code ?? 'UNKNOWN',
          reasons: factors
            .filter((factor) => factor.severity !== 'GREEN')
            .map((factor) => factor.title)
            .join('\n'),
        },
        log: `Контур.Фокус: ${company.shortName ?? inn} (ИНН ${inn}) — риск ${level}, ${score} баллов.`,
      };
    } catch (error) {
      logger.warn({ err: { message: (error as Error).message } }, 'Bitrix24 risk-check robot: the check failed');
      return unknown('проверка не удалась (Битрикс24 или Контур.Фокус недоступны); повторите позже.');
    }
  }

  return router;
}

/** Token checks of the placement running at once in this process; more answer 503 without asking the portal. */
const MAX_CHECKS_AT_ONCE = 4;

/** `PLACEMENT_OPTIONS` is a JSON string, `{"ID":"2946"}`: the company id. */
function placementCompanyId(options: unknown): number | undefined {
  if (typeof options !== 'string' || options.length > 4_096) return undefined;
  try {
    const id = (JSON.parse(options) as { ID?: unknown } | null)?.ID;
    const number = typeof id === 'string' && /^[1-9]\d{0,17}$/.test(id) ? Number(id) : typeof id === 'number' ? id : NaN;
    return Number.isSafeInteger(number) && number > 0 ? number : undefined;
  } catch {
    return undefined;
  }
}

/**
 * At most one refetch from Kontur.Focus per company per minute, across the replicas: the cache store's lease on the
 * company (in Redis, SET NX PX: one holder per minute; it is never released on success, it lapses) — plus a stamp per
 * company in this process, since a lease is *renewed* by its holder (and in memory always held). Redis unreachable:
 * the lease is not held, so the cached data is written — the button never pays blindly.
 */
class RefreshGate {
  private readonly stamps = new Map<number, number>();

  constructor(
    private readonly cache: CacheStore,
    private readonly portal: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** true: this click refetches; false: another did less than a minute ago. */
  async take(companyId: number): Promise<boolean> {
    const now = this.now();
    // Oldest first (insertion order): drop the lapsed ones, so the map holds a minute of clicks at most.
    for (const [id, at] of this.stamps) {
      if (now - at < REFRESH_WINDOW_MS) break;
      this.stamps.delete(id);
    }
    if (this.stamps.has(companyId)) return false;
    // Stamped before the lease is asked: a double click in this process waits for nothing and refetches once.
    this.stamps.set(companyId, now);
    return this.lease(companyId).hold(REFRESH_WINDOW_MS);
  }

  async giveBack(companyId: number): Promise<void> {
    this.stamps.delete(companyId);
    await this.lease(companyId).release();
  }

  private lease(companyId: number) {
    return this.cache.lease(`bitrix24:refresh:${this.portal}:${companyId}`);
  }
}

/** What the fields are called on the company card. */
const FIELD_NAMES: Record<string, string> = {
  RQ_COMPANY_NAME: 'сокращённое наименование',
  RQ_COMPANY_FULL_NAME: 'полное наименование',
  RQ_KPP: 'КПП',
  RQ_OGRN: 'ОГРН',
  RQ_OGRNIP: 'ОГРНИП',
  RQ_OKPO: 'ОКПО',
  RQ_OKTMO: 'ОКТМО',
  RQ_COMPANY_REG_DATE: 'дата регистрации',
  RQ_DIRECTOR: 'руководитель',
  RQ_CEO_NAME: 'руководитель',
  RQ_CEO_WORK_POS: 'должность руководителя',
  RQ_NAME: 'ФИО',
  RQ_LAST_NAME: 'ФИО',
  RQ_FIRST_NAME: 'ФИО',
  RQ_SECOND_NAME: 'ФИО',
  UF_CRM_FOCUS_STATUS: 'статус',
  UF_CRM_FOCUS_STATUS_TEXT: 'статус',
  UF_CRM_FOCUS_URL: 'ссылка на Контур.Фокус',
  TITLE: 'название компании',
};

/** The changed fields by name, each once, in the card's order: requisite, legal address, company. */
export function changedFieldNames(summary: ChangeSummary): string[] {
  const names = [
    ...summary.requisiteFields.map((field) => FIELD_NAMES[field] ?? field),
    ...(summary.address ? ['юридический адрес'] : []),
    ...summary.companyFields.map((field) => FIELD_NAMES[field] ?? field),
  ];
  return [...new Set(names)];
}

function summaryLines(summary: ChangeSummary, refetched: boolean): string[] {
  const lines: string[] = [];
  const names = changedFieldNames(summary);
  if (summary.inns.length === 0 && summary.problems.length === 0) return ['У компании нет реквизитов с ИНН — обновлять нечего.'];
  if (refetched) {
    if (summary.inns.length > 0)
      lines.push(
        names.length > 0 ? `Обновлено из Контур.Фокус: ${names.join(', ')}.` : 'Данные получены из Контур.Фокус: в карточке всё актуально.',
      );
  } else {
    lines.push('Данные актуальны (обновлялись из Контур.Фокус менее минуты назад).');
    if (names.length > 0) lines.push(`Исправлено по этим данным: ${names.join(', ')}.`);
  }
  return [...lines, ...summary.problems];
}

/** Small, escaped, Russian: the placement shows it in the card's slider (the portal frames it, nobody else). */
function page(res: Response, status: number, frameOrigin: string, lines: readonly string[]): void {
  const [head, ...rest] = lines.map(escapeHtml);
  res
    .status(status)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors ${frameOrigin}`,
    })
    .send(
      '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Контур.Фокус</title>' +
        '<style>body{font:14px/1.5 sans-serif;margin:16px}</style></head><body>' +
        `<p>${head ?? ''}</p>${rest.length > 0 ? `<ul>${rest.map((line) => `<li>${line}</li>`).join('')}</ul>` : ''}</body></html>`,
    );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
