import { z } from 'zod';
import type { CacheStore } from '../../cache/store.ts';
import type { Logger } from '../../observability/logger.ts';
import type { AlertSink, CompanyAlert } from '../contract.ts';
import type { Bitrix24Config } from './config.ts';
import type { BatchCommand, Bitrix24Client } from './vendor/client.ts';

/** The requisites of companies (ENTITY_TYPE_ID 4) found by INN: the company each belongs to. */
const RequisiteOwner = z.object({ ID: z.coerce.string(), ENTITY_ID: z.coerce.string() });
/** More companies with one INN than this is not a CRM's doing: the rest are left out (logged). */
const MAX_COMPANIES = 25;
/** How long a write of an alert is remembered (a redelivery of the same alert writes nothing twice). */
const DONE_MEMORY_MS = 30 * 24 * 3600_000;

const STATUS: Record<string, string> = {
  ACTIVE: 'действующая',
  REORGANIZING: 'в процессе реорганизации',
  LIQUIDATING: 'в стадии ликвидации',
  BANKRUPT: 'банкротство',
  LIQUIDATED: 'ликвидирована',
  UNKNOWN: 'неизвестен',
};
const RISK: Record<string, string> = { LOW: 'низкий', MEDIUM: 'средний', HIGH: 'высокий', CRITICAL: 'критический' };
const WHAT: Record<string, string> = {
  STATUS_CHANGED: 'изменился статус',
  HEAD_CHANGED: 'сменился руководитель',
  ADDRESS_CHANGED: 'изменился юридический адрес',
  NAME_CHANGED: 'изменилось наименование',
  RISK_LEVEL_CHANGED: 'изменился уровень риска',
};

/** A value of a change as a person reads it: statuses and risk levels in Russian, «—» for none. */
function valueText(type: string, value: string | null): string {
  if (value === null || value === '') return '—';
  if (type === 'STATUS_CHANGED') return STATUS[value] ?? value;
  if (type === 'RISK_LEVEL_CHANGED') return RISK[value] ?? value;
  return value;
}

const moscow = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit', year: 'numeric' });

/** The comment's (and the task's description's) text, in Russian: what changed, before → after, when. */
export function alertText(alert: CompanyAlert): string {
  const what = WHAT[alert.type] ?? `изменение (${alert.type})`;
  const name = alert.companyName ? `${alert.companyName}, ` : '';
  return (
    `Контур.Фокус (мониторинг): ${what} — «${valueText(alert.type, alert.before)}» → «${valueText(alert.type, alert.after)}». ` +
    `${name}ИНН ${alert.inn}; обнаружено ${moscow.format(new Date(alert.detectedAt))}.`
  );
}

/**
 * Alerts written into the CRM (an alert sink, CoreServices.alertSinks): for each change, every company whose requisite
 * carries the INN (crm.requisite.list by RQ_INN) gets a timeline comment describing it and, when
 * BITRIX24_SECURITY_USER_ID is set, a task for that user bound to the company (UF_CRM_TASK CO_<id>) — the way the
 * deal screening writes its comments and tasks: one batch through the module's client, its rate limit shared by the
 * replicas. Each write the portal accepted is remembered (per alert id, in the cache store), so a retry after a
 * partial failure, or a redelivery, writes only what is missing; a refused write fails the delivery (retried).
 */
export class Bitrix24AlertSink implements AlertSink {
  readonly name = 'bitrix24';

  constructor(
    private readonly client: Bitrix24Client,
    private readonly cache: CacheStore,
    private readonly config: Pick<Bitrix24Config, 'securityUserId'>,
    private readonly portal: string,
    private readonly logger: Logger,
    /** bitrix24_writes_total. */
    private readonly writes?: { inc(labels: { method: string; outcome: 'ok' | 'refused' }): void },
  ) {}

  async deliver(alert: CompanyAlert): Promise<void> {
    const owners = await this.client.listAll(
      'crm.requisite.list',
      { filter: { ENTITY_TYPE_ID: 4, RQ_INN: alert.inn }, select: ['ID', 'ENTITY_ID'] },
      RequisiteOwner,
      500,
    );
    const companies = [...new Set(owners.map((row) => row.ENTITY_ID))];
    if (companies.length > MAX_COMPANIES)
      this.logger.warn(
        { alert: alert.id, companies: companies.length },
        `Bitrix24 alert: more than ${MAX_COMPANIES} companies; the rest skipped`,
      );
    const targets = companies.slice(0, MAX_COMPANIES);
    const text = alertText(alert);
    const wanted: BatchCommand[] = targets.flatMap((id) => [
      { key: `c${id}`, method: 'crm.timeline.comment.add', params: { fields: { ENTITY_TYPE: 'company', ENTITY_ID: id, COMMENT: text } } },
      ...(this.config.securityUserId
        ? [
            {
              key: `t${id}`,
              method: 'tasks.task.add',
              params: {
                fields: {
                  TITLE: `Контур.Фокус: ${WHAT[alert.type] ?? 'изменение'} — ${alert.companyName ?? `ИНН ${alert.inn}`}`,
                  RESPONSIBLE_ID: this.config.securityUserId,
                  DESCRIPTION: text,
                  UF_CRM_TASK: [`CO_${id}`],
                },
              },
            },
          ]
        : []),
    ]);
    // Each write is remembered once the portal took it: a retry (or a redelivery) sends only the ones still missing.
    const doneKey = (command: BatchCommand) => `bitrix24:alert-done:${this.portal}:${alert.id}:${command.key}`;
    const done = await this.cache.getMany<true>(wanted.map(doneKey));
    const commands = wanted.filter((_, index) => done[index] !== true);
    if (commands.length === 0) return;
    // Two commands per company, at most 25 companies: one batch of at most 50.
    const results = await this.client.batch(commands);
    const refused: string[] = [];
    const accepted: BatchCommand[] = [];
    for (const command of commands) {
      const answer = results.get(command.key);
      this.writes?.inc({ method: command.method, outcome: answer?.ok === false ? 'refused' : 'ok' });
      if (answer?.ok === false) refused.push(`${command.method}: ${answer.error}`);
      else accepted.push(command);
    }
    await this.cache.setMany(accepted.map((command) => ({ key: doneKey(command), value: true, ttlMs: DONE_MEMORY_MS })));
    this.logger.info({ alert: alert.id, type: alert.type, companies: targets.length, writes: accepted.length }, 'Bitrix24 alert written');
    if (refused.length > 0) throw new Error(`Bitrix24 refused ${refused.length} of ${commands.length} alert writes (${refused[0]})`);
  }
}
