import { z } from 'zod';
import type { CacheStore } from '../../cache/store.ts';
import { innKind, isValidInn } from '../../domain/identifiers.ts';
import type { Logger } from '../../observability/logger.ts';
import type { ModuleRuntime } from '../contract.ts';
import type { Bitrix24Config } from './config.ts';
import { changed, companyFields, COMPANIES_QUERY, legalAddressFields, requisiteFields, type Fields, type GraphCompany } from './mapping.ts';
import { dealRiskOf, RISK_QUERY, riskComment, riskFields, type DealRisk, type GraphRisk } from './screening.ts';
import type { BatchAnswer, Bitrix24Client } from './vendor/client.ts';

/** A trusted event, as the queue keeps it. */
export interface Bitrix24Event {
  event: string;
  entityId: number;
  /** auth[member_id] (or the domain): the portal it came from. */
  portal: string;
}

export const REQUISITE_EVENTS = new Set(['ONCRMREQUISITEADD', 'ONCRMREQUISITEUPDATE']);
export const DEAL_EVENTS = new Set(['ONCRMDEALUPDATE', 'ONCRMDEALADD']);

const COMPANY_ENTITY = '4';
const REQUISITE_OWNER = 8;
const LEGAL_ADDRESS = 6;
/** A batch carries at most this many commands (Bitrix24's limit). */
const BATCH = 50;
/** How long the last screened stage of a deal, and the last INN processed of a requisite, are remembered. */
const STAGE_MEMORY_MS = 180 * 24 * 3600_000;

type Row = Record<string, unknown>;
interface Command {
  key: string;
  method: string;
  params: Record<string, unknown>;
}

const PresetRow = z.object({ ID: z.coerce.string(), XML_ID: z.string().nullish() });

/**
 * What the events do (the vendor reference's S1 and S2): a set of events, gathered over a short window, is processed
 * together — requisites are read in batches of 50, every INN is looked up in ONE graph operation (so a mass edit costs
 * a Kontur.Focus call per 100 INNs, cached ones none), and only what differs is written back, in batches of 50.
 * Our own writes fire the same events again; they end here: re-read, nothing differs, nothing written.
 */
export class Bitrix24Processor {
  private presets: Promise<Map<string, 'LEGAL_ENTITY' | 'SOLE_PROPRIETOR' | 'OTHER'>> | undefined;

  constructor(
    private readonly client: Bitrix24Client,
    private readonly runtime: ModuleRuntime,
    private readonly cache: CacheStore,
    private readonly config: Bitrix24Config,
    private readonly logger: Logger,
    /** bitrix24_writes_total: every write command, by method and whether the portal took it. */
    private readonly writes?: { inc(labels: { method: string; outcome: 'ok' | 'refused' }): void },
  ) {}

  async process(events: readonly Bitrix24Event[]): Promise<void> {
    const ids = (kinds: Set<string>) => [...new Set(events.filter((event) => kinds.has(event.event)).map((event) => event.entityId))];
    const portal = events[0]?.portal ?? '';
    await this.fillRequisites(ids(REQUISITE_EVENTS), portal);
    await this.screenDeals(ids(DEAL_EVENTS), portal);
  }

  // ─── S1: requisites filled from the registry ─────────────────────────────────────────────────────────────────

  async fillRequisites(ids: readonly number[], portal: string): Promise<void> {
    if (ids.length === 0) return;
    const requisites = rows(
      await this.readAll(
        'crm.requisite.get',
        ids.map((id) => ({ id })),
      ),
    ).filter((row) => String(row.ENTITY_TYPE_ID) === COMPANY_ENTITY);
    const presets = await this.presetKinds();
    // An INN already processed (its comment written, on a retry or a repeated save) gets no second comment.
    const lastInns = await this.lastProcessedInns(
      requisites.map((requisite) => Number(requisite.ID)),
      portal,
    );
    const comments: Command[] = [];
    const toLookUp: Row[] = [];
    requisites.forEach((requisite, index) => {
      const inn = text(requisite.RQ_INN).trim();
      if (inn === '') return;
      const problem = this.innProblem(inn, presets.get(String(requisite.PRESET_ID)));
      if (!problem) toLookUp.push(requisite);
      else if (lastInns[index] !== inn) comments.push(comment('company', requisite.ENTITY_ID, problem, `c${String(requisite.ID)}`));
    });
    const companies = await this.lookUp(toLookUp.map((requisite) => String(requisite.RQ_INN).trim()));
    const found = toLookUp.filter((requisite) => {
      const company = companies.get(String(requisite.RQ_INN).trim());
      if (company) return true;
      if (lastInns[requisites.indexOf(requisite)] === text(requisite.RQ_INN).trim()) return false;
      comments.push(
        comment(
          'company',
          requisite.ENTITY_ID,
          `Контур.Фокус: ИНН ${String(requisite.RQ_INN)} не найден в ЕГРЮЛ/ЕГРИП; реквизиты не заполнены.`,
          `u${String(requisite.ID)}`,
        ),
      );
      return false;
    });
    const writes = await this.requisiteWrites(found, companies);
    // Each requisite's INN is remembered as soon as all its commands are accepted: a retry after a later failure does
    // not write its comments again.
    const sent = keysOf([...comments, ...writes]);
    await this.send([...comments, ...writes], (accepted) =>
      this.rememberInns(
        requisites.filter((requisite) =>
          ['c', 'u', 'r', 'a'].every((prefix) => !pendingKey(`${prefix}${text(requisite.ID)}`, sent, accepted)),
        ),
        portal,
      ),
    );
    this.logger.info(
      { requisites: ids.length, lookedUp: found.length, commands: writes.length, comments: comments.length },
      'Bitrix24 requisites processed',
    );
  }

  /** The INN each requisite had when it was last processed (the reconciliation looks for ones never processed). */
  async lastProcessedInns(ids: readonly number[], portal: string): Promise<(string | undefined)[]> {
    return this.cache.getMany<string>(ids.map((id) => innKey(portal, id)));
  }

  private async rememberInns(requisites: readonly Row[], portal: string): Promise<void> {
    await this.cache.setMany(
      requisites.map((requisite) => ({ key: innKey(portal, requisite.ID), value: text(requisite.RQ_INN).trim(), ttlMs: STAGE_MEMORY_MS })),
    );
  }

  private innProblem(inn: string, preset: 'LEGAL_ENTITY' | 'SOLE_PROPRIETOR' | 'OTHER' | undefined): string | undefined {
    if (!isValidInn(inn)) return `Контур.Фокус: ИНН «${inn}» не прошёл проверку (контрольное число не сходится); реквизиты не заполнены.`;
    const kind = innKind(inn) === 'LEGAL_ENTITY' ? 'LEGAL_ENTITY' : 'SOLE_PROPRIETOR';
    if (preset === 'LEGAL_ENTITY' && kind !== 'LEGAL_ENTITY')
      return `Контур.Фокус: ИНН ${inn} (12 цифр) принадлежит ИП или физлицу, а реквизит создан по шаблону «Организация». Создайте реквизит по шаблону «ИП».`;
    if (preset === 'SOLE_PROPRIETOR' && kind !== 'SOLE_PROPRIETOR')
      return `Контур.Фокус: ИНН ${inn} (10 цифр) принадлежит организации, а реквизит создан по шаблону «ИП». Создайте реквизит по шаблону «Организация».`;
    return undefined;
  }

  /** The writes that bring these requisites, their legal addresses and their companies in line with the registry. */
  private async requisiteWrites(requisites: readonly Row[], companies: Map<string, GraphCompany>): Promise<Command[]> {
    const addresses = await this.readAll(
      'crm.address.list',
      requisites.map((requisite) => ({ filter: { ENTITY_TYPE_ID: REQUISITE_OWNER, ENTITY_ID: requisite.ID, TYPE_ID: LEGAL_ADDRESS } })),
    );
    const owners = [...new Set(requisites.map((requisite) => String(requisite.ENTITY_ID)))];
    const companyRows = new Map(
      (
        await this.readAll(
          'crm.company.get',
          owners.map((id) => ({ id })),
        )
      ).map((row, index) => [owners[index]!, (row ?? {}) as Row] as const),
    );
    const commands: Command[] = [];
    const companyUpdates = new Map<string, Fields>();
    requisites.forEach((requisite, index) => {
      const company = companies.get(String(requisite.RQ_INN).trim())!;
      const id = String(requisite.ID);
      const requisiteDiff = changed(requisiteFields(company), requisite);
      if (Object.keys(requisiteDiff).length > 0)
        commands.push({ key: `r${id}`, method: 'crm.requisite.update', params: { id, fields: requisiteDiff } });
      commands.push(...addressWrites(id, legalAddressFields(company), (addresses[index] as Row[] | undefined)?.[0]));
      const owner = String(requisite.ENTITY_ID);
      const current = companyRows.get(owner) ?? {};
      const checkedAt = company.freshness?.fetchedAt ?? new Date().toISOString();
      const companyDiff = changed(companyFields(company, text(current.TITLE), checkedAt), current);
      // Only the checked-at stamp differs: nothing the manager would see changed — no write, no echo.
      if (Object.keys(companyDiff).some((field) => field !== 'UF_CRM_FOCUS_CHECKED_AT')) companyUpdates.set(owner, companyDiff);
    });
    for (const [owner, fields] of companyUpdates)
      commands.push({
        key: `co${owner}`,
        method: 'crm.company.update',
        params: { id: owner, fields, params: { REGISTER_SONET_EVENT: 'N' } },
      });
    return commands;
  }

  // ─── S2: risk screening on a deal stage ──────────────────────────────────────────────────────────────────────

  async screenDeals(ids: readonly number[], portal: string): Promise<void> {
    if (ids.length === 0) return;
    const deals = rows(
      await this.readAll(
        'crm.deal.get',
        ids.map((id) => ({ id })),
      ),
    );
    const stageKeys = deals.map((deal) => `bitrix24:deal-stage:${portal}:${String(deal.ID)}`);
    const lastStages = await this.cache.getMany<string>(stageKeys);
    const entered = deals.filter((deal, index) => {
      const stage = text(deal.STAGE_ID);
      return this.config.riskStages.includes(stage) && lastStages[index] !== stage && (text(deal.COMPANY_ID) || '0') !== '0';
    });
    // Every stage seen is remembered: leaving the stage and coming back is a new entry, a redelivery is not.
    const remember = deals.map((deal, index) => ({ key: stageKeys[index]!, value: text(deal.STAGE_ID), ttlMs: STAGE_MEMORY_MS }));
    await this.cache.setMany(remember.filter((_, index) => !entered.includes(deals[index]!)));
    if (entered.length === 0) return;
    const innOf = await this.companyInns(entered.map((deal) => String(deal.COMPANY_ID)));
    const inns = [...new Set([...innOf.values()])];
    const risks = await this.risks(inns);
    const commands: Command[] = [];
    for (const deal of entered) {
      const inn = innOf.get(String(deal.COMPANY_ID));
      const risk = inn ? risks.get(inn) : undefined;
      if (!risk) {
        commands.push(
          comment(
            'deal',
            deal.ID,
            'Контур.Фокус: у компании сделки нет реквизита с действительным ИНН — проверка риска не выполнена.',
            `d${String(deal.ID)}`,
          ),
        );
        continue;
      }
      commands.push({
        key: `d${String(deal.ID)}`,
        method: 'crm.deal.update',
        params: { id: deal.ID, fields: riskFields(risk), params: { REGISTER_SONET_EVENT: 'N' } },
      });
      commands.push(comment('deal', deal.ID, riskComment(risk), `dc${String(deal.ID)}`));
      if (risk.requiresReview && this.config.securityUserId)
        commands.push({
          key: `t${String(deal.ID)}`,
          method: 'tasks.task.add',
          params: {
            fields: {
              TITLE: `Проверка контрагента: ${risk.name} (ИНН ${risk.inn}) — риск ${risk.level}`,
              RESPONSIBLE_ID: this.config.securityUserId,
              DESCRIPTION: riskComment(risk),
              UF_CRM_TASK: [`D_${String(deal.ID)}`, `CO_${String(deal.COMPANY_ID)}`],
            },
          },
        });
    }
    // A deal's stage entry is remembered as soon as all its commands are accepted: a retry after a later failure
    // screens only the deals not done (no second comment, no second task).
    const sent = keysOf(commands);
    await this.send(commands, (accepted) =>
      this.cache.setMany(
        remember.filter(
          (_, index) =>
            entered.includes(deals[index]!) &&
            ['d', 'dc', 't'].every((prefix) => !pendingKey(`${prefix}${text(deals[index]!.ID)}`, sent, accepted)),
        ),
      ),
    );
    this.logger.info({ deals: ids.length, screened: entered.length, commands: commands.length }, 'Bitrix24 deals screened');
  }

  /** Company id → the INN of its first company requisite with a valid one. */
  private async companyInns(companyIds: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(companyIds)];
    const lists = await this.readAll(
      'crm.requisite.list',
      unique.map((id) => ({ filter: { ENTITY_TYPE_ID: 4, ENTITY_ID: id }, select: ['ID', 'RQ_INN'] })),
    );
    const inns = new Map<string, string>();
    unique.forEach((id, index) => {
      const inn = ((lists[index] as Row[] | undefined) ?? []).map((row) => text(row.RQ_INN).trim()).find(isValidInn);
      if (inn) inns.set(id, inn);
    });
    return inns;
  }

  // ─── The graph, in process ───────────────────────────────────────────────────────────────────────────────────

  /** Companies by INN through one operation (the graph's loaders: 100 INNs per Kontur.Focus call, cached ones free). */
  private async lookUp(inns: readonly string[]): Promise<Map<string, GraphCompany>> {
    const unique = [...new Set(inns)];
    const found = new Map<string, GraphCompany>();
    // `companies` takes at most 1000 INNs per operation.
    for (let start = 0; start < unique.length; start += 1_000) {
      const result = await this.runtime.execute<{ companies: Array<GraphCompany | null> }>(COMPANIES_QUERY, {
        inns: unique.slice(start, start + 1_000),
      });
      if (result.errors?.length || !result.data)
        throw new Error(`the graph failed the lookup: ${result.errors?.[0]?.message ?? 'no data'}`);
      for (const company of result.data.companies) if (company) found.set(company.inn, company);
    }
    return found;
  }

  private async risks(inns: readonly string[]): Promise<Map<string, DealRisk>> {
    if (inns.length === 0) return new Map();
    const result = await this.runtime.execute<{ companies: Array<GraphRisk | null> }>(RISK_QUERY, { inns });
    if (result.errors?.length || !result.data)
      throw new Error(`the graph failed the risk check: ${result.errors?.[0]?.message ?? 'no data'}`);
    return new Map(
      result.data.companies.flatMap((company) => {
        const risk = company ? dealRiskOf(company) : undefined;
        return risk ? [[risk.inn, risk] as const] : [];
      }),
    );
  }

  // ─── Bitrix24, in batches ────────────────────────────────────────────────────────────────────────────────────

  /** One read per item, 50 per batch; an item the portal does not have answers undefined. */
  private async readAll(method: string, params: ReadonlyArray<Record<string, unknown>>): Promise<unknown[]> {
    const answers: unknown[] = [];
    for (let start = 0; start < params.length; start += BATCH) {
      const chunk = params.slice(start, start + BATCH).map((item, index) => ({ key: `q${start + index}`, method, params: item }));
      const results = await this.client.batch(chunk);
      for (const { key } of chunk) answers.push(answerOf(results.get(key)));
    }
    return answers;
  }

  /**
   * Writes in batches of 50; a command the portal refused is logged (the rest went through) and fails the job. After
   * each batch, `progress` learns every command accepted so far (to remember what is done before a later one fails).
   */
  private async send(commands: readonly Command[], progress?: (accepted: ReadonlySet<string>) => Promise<void>): Promise<void> {
    const refused: string[] = [];
    const accepted = new Set<string>();
    for (let start = 0; start < commands.length; start += BATCH) {
      const chunk = commands.slice(start, start + BATCH);
      const results = await this.client.batch(chunk);
      for (const command of chunk) {
        const answer = results.get(command.key);
        this.writes?.inc({ method: command.method, outcome: answer && !answer.ok ? 'refused' : 'ok' });
        if (answer && !answer.ok) refused.push(`${command.method}: ${answer.error}`);
        else accepted.add(command.key);
      }
      await progress?.(accepted);
    }
    if (commands.length === 0) await progress?.(accepted);
    if (refused.length > 0) {
      this.logger.warn({ refused }, 'Bitrix24 refused some writes');
      throw new Error(`Bitrix24 refused ${refused.length} of ${commands.length} writes (${refused[0]})`);
    }
  }

  private async presetKinds(): Promise<Map<string, 'LEGAL_ENTITY' | 'SOLE_PROPRIETOR' | 'OTHER'>> {
    // Preset ids differ per portal: resolved once by XML_ID, as Bitrix24's own resolver does (reference §4.3).
    this.presets ??= this.client.listAll('crm.requisite.preset.list', { select: ['ID', 'XML_ID'] }, PresetRow).then(
      (rows) =>
        new Map(
          rows.map((row) => {
            const xml = row.XML_ID ?? '';
            const kind = xml.includes('DEF_RU_COMPANY') ? 'LEGAL_ENTITY' : xml.includes('DEF_RU_INDIVIDUAL') ? 'SOLE_PROPRIETOR' : 'OTHER';
            return [row.ID, kind] as const;
          }),
        ),
      (error: unknown) => {
        this.presets = undefined;
        throw error;
      },
    );
    return this.presets;
  }

  // ─── S3: the company card's button, the deal robot (the application handlers, app.ts) ─────────────────────────

  /**
   * The "Update data from Focus" button: the company's requisites (ENTITY_TYPE_ID 4) through the S1 write path —
   * with `force`, their INNs refetched from Kontur.Focus first through the graph's `refreshCompany` (one operation);
   * without, the cached data. Invalid, mismatched and unknown INNs are answered (the page shows them), not commented:
   * the manager is looking at the answer, and every click would add the same comment again.
   */
  async refreshCompany(companyId: number, options: { force: boolean }): Promise<ChangeSummary> {
    const requisites = await this.client.listAll(
      'crm.requisite.list',
      { filter: { ENTITY_TYPE_ID: Number(COMPANY_ENTITY), ENTITY_ID: companyId } },
      z.record(z.string(), z.unknown()),
      BATCH,
    );
    const presets = await this.presetKinds();
    const problems: string[] = [];
    const valid: Row[] = [];
    for (const requisite of requisites) {
      const inn = text(requisite.RQ_INN).trim();
      if (inn === '') continue;
      const problem = this.innProblem(inn, presets.get(String(requisite.PRESET_ID)));
      if (problem) problems.push(problem);
      else valid.push(requisite);
    }
    const inns = [...new Set(valid.map((requisite) => text(requisite.RQ_INN).trim()))];
    if (options.force && inns.length > 0) await this.forceRefresh(inns);
    const companies = await this.lookUp(inns);
    const found = valid.filter((requisite) => {
      const inn = text(requisite.RQ_INN).trim();
      if (companies.has(inn)) return true;
      problems.push(`Контур.Фокус: ИНН ${inn} не найден в ЕГРЮЛ/ЕГРИП; реквизиты не заполнены.`);
      return false;
    });
    const commands = await this.requisiteWrites(found, companies);
    await this.send(commands);
    const summary: ChangeSummary = { inns, requisiteFields: [], address: false, companyFields: [], problems };
    const add = (list: string[], fields: unknown) => {
      for (const field of Object.keys(fields ?? {})) if (field !== 'UF_CRM_FOCUS_CHECKED_AT' && !list.includes(field)) list.push(field);
    };
    for (const command of commands) {
      if (command.method === 'crm.requisite.update') add(summary.requisiteFields, command.params.fields);
      else if (command.method === 'crm.company.update') add(summary.companyFields, command.params.fields);
      else if (command.method.startsWith('crm.address.')) summary.address = true;
    }
    this.logger.info(
      { companyId, force: options.force, requisites: requisites.length, commands: commands.length },
      'Bitrix24 company refreshed',
    );
    return summary;
  }

  /** The INN a robot's document stands for: a deal's company's (or the company's) first requisite with a valid INN. */
  async documentInn(document: { type: 'DEAL' | 'COMPANY'; id: number }): Promise<{ companyId?: string; inn?: string }> {
    let companyId = String(document.id);
    if (document.type === 'DEAL') {
      const [deal] = rows(await this.readAll('crm.deal.get', [{ id: document.id }]));
      companyId = text(deal?.COMPANY_ID) || '0';
      if (companyId === '0') return {};
    }
    const inn = (await this.companyInns([companyId])).get(companyId);
    return { companyId, ...(inn ? { inn } : {}) };
  }

  /** `refreshCompany` for each INN, in one operation (the mutation refetches at most once per REFRESH_MIN_INTERVAL). */
  private async forceRefresh(inns: readonly string[]): Promise<void> {
    const variables = Object.fromEntries(inns.map((inn, index) => [`i${index}`, inn]));
    const query = `mutation Bitrix24Refresh(${inns.map((_, index) => `$i${index}: String!`).join(', ')}) { ${inns
      .map((_, index) => `c${index}: refreshCompany(inn: $i${index}) { inn }`)
      .join(' ')} }`;
    const result = await this.runtime.execute(query, variables);
    if (result.errors?.length) throw new RefreshFailed(result.errors[0]!.message, result.errors[0]!.extensions?.code);
  }
}

/** What the button changed: the fields written (codes), whether the legal address was, and why INNs were skipped. */
export interface ChangeSummary {
  inns: string[];
  requisiteFields: string[];
  address: boolean;
  companyFields: string[];
  problems: string[];
}

/** Kontur.Focus could not be asked now (the refresh mutation failed): nothing was written. */
export class RefreshFailed extends Error {
  constructor(
    message: string,
    readonly code: unknown,
  ) {
    super(message);
    this.name = 'RefreshFailed';
  }
}

function innKey(portal: string, requisiteId: unknown): string {
  return `bitrix24:requisite-inn:${portal}:${text(requisiteId)}`;
}

/** Whether a command with this key is among those sent and not yet accepted. */
function pendingKey(key: string, sent: ReadonlySet<string>, accepted: ReadonlySet<string>): boolean {
  return sent.has(key) && !accepted.has(key);
}

function keysOf(commands: readonly Command[]): Set<string> {
  return new Set(commands.map((command) => command.key));
}

/** A scalar as Bitrix24 sends it (strings, sometimes numbers); anything else is empty. */
function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** The objects among batch answers (an item the portal did not have answered nothing). */
function rows(answers: readonly unknown[]): Row[] {
  return answers.filter((answer): answer is Row => typeof answer === 'object' && answer !== null && !Array.isArray(answer));
}

function answerOf(answer: BatchAnswer | undefined): unknown {
  return answer?.ok ? answer.result : undefined;
}

function comment(entityType: 'company' | 'deal', entityId: unknown, text: string, key: string): Command {
  return { key, method: 'crm.timeline.comment.add', params: { fields: { ENTITY_TYPE: entityType, ENTITY_ID: entityId, COMMENT: text } } };
}

/** The legal address: added when the requisite has none, else updated with the full set of fields when any differs. */
function addressWrites(requisiteId: string, wanted: Fields | undefined, current: Row | undefined): Command[] {
  if (!wanted) return [];
  const owner = { TYPE_ID: LEGAL_ADDRESS, ENTITY_TYPE_ID: REQUISITE_OWNER, ENTITY_ID: requisiteId };
  if (!current) return [{ key: `a${requisiteId}`, method: 'crm.address.add', params: { fields: { ...owner, ...wanted } } }];
  if (Object.keys(changed(wanted, current)).length === 0) return [];
  return [{ key: `a${requisiteId}`, method: 'crm.address.update', params: { fields: { ...owner, ...wanted } } }];
}
