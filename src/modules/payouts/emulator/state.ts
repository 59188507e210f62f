import { innCheckDigits } from '../../../domain/identifiers.ts';
import { luhnValid } from '../vendor/card.ts';
import { jsonMoney, LosslessNumber } from '../vendor/json.ts';
import { kopecksOf } from '../../../domain/money.ts';
import { moscowIso } from '../vendor/time.ts';

/**
 * The Jump.Finance emulator's data: contractors (upserted by phone), their requisites, balances, self-employed
 * state and identification, and payouts, which move on a controllable clock from "в обработке" to "оплачен" — or to
 * another outcome chosen by the kopecks of the amount (the trigger amounts, documented in server.ts and the README).
 * Everything is rendered in the vendor's shapes (shared/vendors/jump-finance.md §7), money as JSON numbers.
 */

export type LegalFormId = 1 | 2 | 3;

export interface Agent {
  id: number;
  name: string;
  inn: string;
  ogrn: string;
  address: string;
}

export interface Group {
  id: number;
  name: string;
  is_default: boolean;
}

export interface SelfEmployedState {
  /** The tax service confirmed the contractor is bound to our company (as last synced). */
  is_verified: boolean;
  /** The tax service confirmed the contractor allowed the company to pay their tax (as last synced). */
  is_can_pay_taxes: boolean;
}

export interface ContractorState {
  id: number;
  phone: string;
  email: string | null;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  legal_form_id: LegalFormId;
  agent_id: number;
  group_id: number;
  inn: string | null;
  company_agrees_pay_taxes: boolean;
  created_at: number;
  updated_at: number;
  deleted: boolean;
  balanceKopecks: bigint;
  requisite: { id: number; account_number: string; created_at: number };
  /** What the stored self-employed card says (GET …/selfemployer). */
  selfEmployed: SelfEmployedState;
  /** What the tax service would answer to a sync. */
  taxService: SelfEmployedState;
  syncStartedAt: number | undefined;
  lastSyncAt: number | undefined;
  identified: boolean;
}

export interface HistoryEntry {
  message: string;
  detail: string | null;
  at: number;
}

export interface PaymentState {
  id: number;
  contractorId: number;
  amount: bigint;
  customer_payment_id: string | null;
  payment_purpose: string | null;
  service_name: string | null;
  requisiteId: number;
  agentId: number;
  created_at: number;
  updated_at: number;
  /** 1 paid, 2 rejected, 3 processing, 4 awaiting confirmation, 5 payout error. */
  statusId: 1 | 2 | 3 | 4 | 5;
  /** When the current processing attempt started. */
  processingSince: number;
  attempts: number;
  paid_at: number | null;
  error: string | null;
  history: HistoryEntry[];
}

export const STATUS: Record<PaymentState['statusId'], { title: string; theme: string }> = {
  1: { title: 'оплачен', theme: 'success' },
  2: { title: 'отклонён', theme: 'danger' },
  3: { title: 'в обработке', theme: 'warning' },
  4: { title: 'ожидает подтверждения', theme: 'warning' },
  5: { title: 'ошибка выплаты', theme: 'danger' },
};

const LEGAL_FORMS: Record<LegalFormId, { title: string; is_self_employed: boolean }> = {
  1: { title: 'Физическое лицо', is_self_employed: false },
  2: { title: 'Самозанятый', is_self_employed: true },
  3: { title: 'Индивидуальный предприниматель', is_self_employed: false },
};

/**
 * Trigger amounts, by the kopecks of the payout's amount (the emulator's own convention):
 * - …,13 → the first attempt fails: "ошибка выплаты" (status 5, not final, repeatable); a repeat is paid;
 * - …,66 → "отклонён" (status 2, final);
 * - …,44 → "ожидает подтверждения" (status 4) from the start, until confirmed in the cabinet (never, here);
 * - anything else → "оплачен" (status 1, final) once processing is over.
 */
export const TRIGGER_KOPECKS = { failed: 13n, rejected: 66n, awaitingConfirmation: 44n } as const;

/** Self-employed tax (НПД) the company withholds when it pays the contractor's tax: 6 %. */
const TAX_PERCENT = 6n;
const SYNC_DURATION_MS = 2_000;
export const SYNC_INTERVAL_MS = 30_000;

/** A Luhn-valid Mir card number derived from the contractor id. */
function cardNumber(contractorId: number): string {
  const prefix = `220220${String(contractorId % 1_000_000_000).padStart(9, '0')}`;
  for (let check = 0; check < 10; check++) if (luhnValid(`${prefix}${check}`)) return `${prefix}${check}`;
  return `${prefix}0`;
}

function exactKopecks(text: string): bigint {
  const parsed = kopecksOf(text, 'exact');
  if (!parsed.ok) throw new TypeError(`"${text}" is not a sum with at most two decimals`);
  return parsed.kopecks;
}

function fullName(contractor: Pick<ContractorState, 'last_name' | 'first_name' | 'middle_name'>): string {
  return [contractor.last_name, contractor.first_name, contractor.middle_name].filter(Boolean).join(' ');
}

function shortName(contractor: Pick<ContractorState, 'last_name' | 'first_name' | 'middle_name'>): string {
  const initials = [contractor.first_name, contractor.middle_name]
    .filter(Boolean)
    .map((name) => `${name!.charAt(0)}.`)
    .join('');
  return `${contractor.last_name} ${initials}`.trim();
}

export interface ContractorSeed {
  phone: string;
  last_name: string;
  first_name: string;
  middle_name?: string | null;
  email?: string | null;
  legal_form_id: LegalFormId;
  inn?: string | null;
  agent_id?: number;
  group_id?: number;
  company_agrees_pay_taxes?: boolean;
  selfEmployed?: Partial<SelfEmployedState>;
  identified?: boolean;
  balance?: string;
}

export interface PaymentSeed {
  contractorId: number;
  /** Two-decimal text, e.g. "100.10". */
  amount: string;
  customer_payment_id?: string | null;
  payment_purpose?: string | null;
  /** How long before now it was created (default 0). */
  createdAgoMs?: number;
}

export class JumpState {
  readonly agents: Agent[] = [
    { id: 1, name: 'ООО "Альянс-М"', inn: '7700000009', ogrn: '1027700000001', address: 'г. Москва, ул. Тверская, д. 1' },
  ];
  readonly groups: Group[] = [
    { id: 1, name: 'По умолчанию', is_default: true },
    { id: 2, name: 'Курьеры', is_default: false },
  ];
  readonly contractors = new Map<number, ContractorState>();
  readonly payments = new Map<number, PaymentState>();
  private nextContractorId = 1;
  private nextPaymentId = 15_731_787;
  private readonly areas = new Map<string, unknown>();

  constructor(
    readonly clock: () => number,
    public processingMs: number,
  ) {}

  /**
   * An area's own data (certificates, cooperations, branches, …), made on first use: each area file of the
   * emulator keeps its records here under its name, beside the contractors and payouts they refer to.
   */
  area<T>(name: string, make: (state: JumpState) => T): T {
    if (!this.areas.has(name)) this.areas.set(name, make(this));
    return this.areas.get(name) as T;
  }

  // ─── Contractors ─────────────────────────────────────────────────────────────────────────────

  activeContractors(): ContractorState[] {
    return [...this.contractors.values()].filter((contractor) => !contractor.deleted);
  }

  contractor(id: number): ContractorState | undefined {
    const contractor = this.contractors.get(id);
    return contractor && !contractor.deleted ? contractor : undefined;
  }

  byPhone(phone: string): ContractorState | undefined {
    return this.activeContractors().find((contractor) => contractor.phone === phone);
  }

  createContractor(seed: ContractorSeed): ContractorState {
    const now = this.clock();
    const id = this.nextContractorId++;
    const agrees = seed.company_agrees_pay_taxes ?? seed.legal_form_id === 2;
    const contractor: ContractorState = {
      id,
      phone: seed.phone,
      email: seed.email ?? null,
      last_name: seed.last_name,
      first_name: seed.first_name,
      middle_name: seed.middle_name ?? null,
      legal_form_id: seed.legal_form_id,
      agent_id: seed.agent_id ?? 1,
      group_id: seed.group_id ?? 1,
      inn: seed.inn ?? null,
      company_agrees_pay_taxes: agrees,
      created_at: now,
      updated_at: now,
      deleted: false,
      balanceKopecks: seed.balance ? exactKopecks(seed.balance) : 0n,
      requisite: { id: 273_000 + id, account_number: cardNumber(id), created_at: now },
      // A new self-employed contractor is not verified until a sync asks the tax service, which confirms the binding.
      selfEmployed: { is_verified: false, is_can_pay_taxes: false, ...seed.selfEmployed },
      taxService: { is_verified: true, is_can_pay_taxes: agrees, ...seed.selfEmployed },
      syncStartedAt: undefined,
      lastSyncAt: undefined,
      identified: seed.identified ?? false,
    };
    this.contractors.set(id, contractor);
    return contractor;
  }

  updateContractor(contractor: ContractorState, seed: ContractorSeed): void {
    contractor.phone = seed.phone;
    contractor.email = seed.email ?? null;
    contractor.last_name = seed.last_name;
    contractor.first_name = seed.first_name;
    contractor.middle_name = seed.middle_name ?? null;
    contractor.legal_form_id = seed.legal_form_id;
    contractor.agent_id = seed.agent_id ?? contractor.agent_id;
    contractor.group_id = seed.group_id ?? contractor.group_id;
    contractor.inn = seed.inn ?? null;
    if (seed.company_agrees_pay_taxes !== undefined) {
      contractor.company_agrees_pay_taxes = seed.company_agrees_pay_taxes;
      contractor.taxService.is_can_pay_taxes = seed.company_agrees_pay_taxes;
    }
    contractor.updated_at = this.clock();
  }

  /** The stored self-employed card, finishing a sync whose time has come. */
  selfEmployedOf(contractor: ContractorState): SelfEmployedState & { in_process: boolean } {
    if (contractor.syncStartedAt !== undefined && this.clock() >= contractor.syncStartedAt + SYNC_DURATION_MS) {
      contractor.selfEmployed = { ...contractor.taxService };
      contractor.syncStartedAt = undefined;
    }
    return { ...contractor.selfEmployed, in_process: contractor.syncStartedAt !== undefined };
  }

  /** Milliseconds until another sync is allowed; 0 = now. */
  syncWaitMs(contractor: ContractorState): number {
    if (contractor.lastSyncAt === undefined) return 0;
    return Math.max(0, contractor.lastSyncAt + SYNC_INTERVAL_MS - this.clock());
  }

  startSync(contractor: ContractorState): void {
    const now = this.clock();
    contractor.lastSyncAt = now;
    contractor.syncStartedAt = now;
  }

  renderContractor(contractor: ContractorState): Record<string, unknown> {
    const agent = this.agents.find((candidate) => candidate.id === contractor.agent_id);
    return {
      id: new LosslessNumber(String(contractor.id)),
      phone: contractor.phone,
      email: contractor.email,
      last_name: contractor.last_name,
      first_name: contractor.first_name,
      middle_name: contractor.middle_name,
      legal_form_id: contractor.legal_form_id,
      inn: contractor.inn,
      agent_id: contractor.agent_id,
      balance: {
        value: jsonMoney(contractor.balanceKopecks),
        currency: { code: 'RUB', symbol: '&#8381;', title: 'Российский рубль', unicode: '\\u20BD' },
      },
      agent: { id: contractor.agent_id, name: agent?.name ?? null },
      legal_form: { id: contractor.legal_form_id, ...LEGAL_FORMS[contractor.legal_form_id] },
      is_editable: true,
      created_at: moscowIso(contractor.created_at),
      updated_at: moscowIso(contractor.updated_at),
    };
  }

  renderRequisite(contractor: ContractorState): Record<string, unknown> {
    const last4 = contractor.requisite.account_number.slice(-4);
    return {
      id: contractor.requisite.id,
      display_name: 'Карта',
      description: `Мир · ${last4}`,
      type: { id: 8, slug: 'bank_card', title: 'Карта банка по номеру карты' },
      icon: { overlay: true },
      is_available: true,
      is_default: true,
      requisite: {
        bank_name: null,
        account_number: contractor.requisite.account_number,
        payment_text: null,
        bik: null,
        sbp_bank_id: null,
        inn: null,
        last_name: contractor.last_name,
        first_name: contractor.first_name,
        middle_name: contractor.middle_name ?? '',
      },
      created_at: moscowIso(contractor.requisite.created_at),
    };
  }

  renderBalance(contractor: ContractorState, withAgent: boolean): Record<string, unknown> {
    const agent = this.agents.find((candidate) => candidate.id === contractor.agent_id);
    return {
      id: 500_000 + contractor.id,
      balance: jsonMoney(contractor.balanceKopecks),
      frozen_balance: jsonMoney(0n),
      type: { id: 1, name: 'Основной' },
      integration: null,
      customer_balance: null,
      ...(withAgent ? { agent: { id: contractor.agent_id, name: agent?.name ?? null } } : {}),
      created_at: moscowIso(contractor.created_at),
    };
  }

  renderSelfEmployed(contractor: ContractorState): Record<string, unknown> {
    const state = this.selfEmployedOf(contractor);
    const needsPermission = contractor.company_agrees_pay_taxes && !state.is_can_pay_taxes;
    const status = state.in_process
      ? { type: 'info', short_title: 'Идёт проверка', detail: 'Запрос отправлен в ФНС, ответ придёт в течение нескольких секунд.' }
      : !state.is_verified
        ? {
            type: 'error',
            short_title: 'Не привязан к компании',
            detail: 'Исполнитель должен привязаться к компании в приложении «Мой налог» в разделе «Партнёры».',
          }
        : needsPermission
          ? {
              type: 'error',
              short_title: 'Требуется разрешение',
              detail:
                'Исполнитель должен подтвердить разрешение на уплату налогов в личном кабинете налогоплательщика или мобильном приложение «Мой налог» в разделе «Партнёры».',
            }
          : { type: 'success', short_title: 'Проверен', detail: 'Исполнитель привязан к компании и выдал все разрешения.' };
    return {
      inn: contractor.inn,
      is_can_pay_taxes: state.is_can_pay_taxes,
      is_verified: state.is_verified,
      has_company_agrees_pay_taxes: contractor.company_agrees_pay_taxes,
      has_warning: !state.is_verified || needsPermission,
      sync: { in_process: state.in_process },
      messages: { status },
    };
  }

  renderIdentification(contractor: ContractorState): Record<string, unknown> {
    return {
      id: 90_000 + contractor.id,
      contractor_id: contractor.id,
      company_id: 1,
      agent_id: contractor.agent_id,
      status: 'approved',
      is_verified: true,
    };
  }

  // ─── Payouts ─────────────────────────────────────────────────────────────────────────────────

  createPayment(seed: PaymentSeed & { service_name?: string | null; requisiteId?: number }): PaymentState {
    const contractor = this.contractors.get(seed.contractorId);
    if (!contractor) throw new TypeError(`no contractor ${seed.contractorId}`);
    const createdAt = this.clock() - (seed.createdAgoMs ?? 0);
    const amount = exactKopecks(seed.amount);
    const awaiting = amount % 100n === TRIGGER_KOPECKS.awaitingConfirmation;
    const payment: PaymentState = {
      id: this.nextPaymentId++,
      contractorId: contractor.id,
      amount,
      customer_payment_id: seed.customer_payment_id ?? null,
      payment_purpose: seed.payment_purpose ?? null,
      service_name: seed.service_name ?? null,
      requisiteId: seed.requisiteId ?? contractor.requisite.id,
      agentId: contractor.agent_id,
      created_at: createdAt,
      updated_at: createdAt,
      statusId: awaiting ? 4 : 3,
      processingSince: createdAt,
      attempts: 1,
      paid_at: null,
      error: null,
      history: [
        { message: 'Создан. OpenAPI (id:1)', detail: null, at: createdAt },
        { message: awaiting ? 'Ожидает подтверждения в личном кабинете' : 'Поставлен в очередь', detail: null, at: createdAt },
      ],
    };
    this.payments.set(payment.id, payment);
    return payment;
  }

  /** Moves a processing payout to its outcome once processingMs has passed on the emulator's clock. */
  settle(payment: PaymentState): PaymentState {
    if (payment.statusId !== 3) return payment;
    const doneAt = payment.processingSince + this.processingMs;
    if (this.clock() < doneAt) return payment;
    const kopecks = payment.amount % 100n;
    payment.updated_at = doneAt;
    if (kopecks === TRIGGER_KOPECKS.failed && payment.attempts === 1) {
      payment.statusId = 5;
      payment.error = 'Банк-эмитент отклонил операцию';
      payment.history.push({ message: 'Ошибка выплаты', detail: payment.error, at: doneAt });
    } else if (kopecks === TRIGGER_KOPECKS.rejected) {
      payment.statusId = 2;
      payment.error = 'Выплата отклонена банком получателя';
      payment.history.push({ message: 'Отклонён', detail: payment.error, at: doneAt });
    } else {
      payment.statusId = 1;
      payment.error = null;
      payment.paid_at = doneAt;
      payment.history.push({ message: 'Оплачен', detail: null, at: doneAt });
    }
    return payment;
  }

  canRepeat(payment: PaymentState): boolean {
    return this.settle(payment).statusId === 5;
  }

  repeat(payment: PaymentState): void {
    const now = this.clock();
    payment.statusId = 3;
    payment.attempts += 1;
    payment.processingSince = now;
    payment.updated_at = now;
    payment.error = null;
    payment.history.push({ message: 'Повтор выплаты', detail: null, at: now });
  }

  renderPayment(payment: PaymentState, include: ReadonlySet<string>): Record<string, unknown> {
    this.settle(payment);
    const contractor = this.contractors.get(payment.contractorId)!;
    const paid = payment.statusId === 1;
    const selfEmployedTax = paid && contractor.legal_form_id === 2 && contractor.company_agrees_pay_taxes;
    const tax = selfEmployedTax ? (payment.amount * TAX_PERCENT + 50n) / 100n : 0n;
    const receiptKey = `2008${payment.id.toString(36)}`;
    const body: Record<string, unknown> = {
      id: payment.id,
      amount: jsonMoney(payment.amount),
      amount_paid: jsonMoney(paid ? payment.amount - tax : 0n),
      commission: jsonMoney(0n),
      commission_bank: jsonMoney(0n),
      tax_amount: jsonMoney(tax),
      is_final: payment.statusId === 1 || payment.statusId === 2,
      receipt:
        paid && contractor.legal_form_id === 2
          ? {
              can_cancel: true,
              cancel_reason: null,
              key: receiptKey,
              status: 'active',
              operation_at: moscowIso(payment.paid_at ?? payment.updated_at),
              links: {
                fns_url: `https://lknpd.nalog.ru/api/v1/receipt/${contractor.inn ?? ''}/${receiptKey}/print`,
                saved_url: `https://cdn.jump.finance/receipts/${receiptKey}.jpg`,
              },
            }
          : null,
      status: { id: payment.statusId, ...STATUS[payment.statusId] },
      error: payment.error,
      payment_purpose: payment.payment_purpose,
      customer_payment_id: payment.customer_payment_id,
      contractor: { id: contractor.id, phone: contractor.phone, full_name: fullName(contractor), short_name: shortName(contractor) },
      created_at: moscowIso(payment.created_at),
      updated_at: moscowIso(payment.updated_at),
      paid_at: payment.paid_at === null ? null : moscowIso(payment.paid_at),
      refund_at: null,
    };
    if (include.has('abilities')) {
      body.abilities = {
        can_approve: payment.statusId === 4,
        can_confirm: payment.statusId === 4,
        can_repeat: payment.statusId === 5,
        can_refund: false,
        can_cancel: payment.statusId === 4 || payment.statusId === 5,
        can_add_files: true,
        can_edit: false,
        can_edit_requisite: payment.statusId === 5,
      };
    }
    if (include.has('requisite')) {
      body.requisite = {
        id: payment.requisiteId,
        icon: { overlay: true },
        title: 'Карта',
        description: `Мир · ${contractor.requisite.account_number.slice(-4)}`,
      };
    }
    if (include.has('creator')) body.creator = { id: 1, full_name: 'OpenAPI' };
    if (include.has('agent')) {
      body.agent = { id: payment.agentId, full_name: this.agents.find((agent) => agent.id === payment.agentId)?.name ?? null };
    }
    if (include.has('history')) {
      // Newest first, as in the vendor's example.
      body.history = [...payment.history]
        .reverse()
        .map((entry) => ({ message: entry.message, detail: entry.detail, updated_at: moscowIso(entry.at) }));
    }
    return body;
  }

  // ─── Sandbox data ────────────────────────────────────────────────────────────────────────────

  /** Demo contractors and payouts for sandbox mode (the README lists them). */
  seed(): void {
    const selfEmployedInnPrefix = '0012345678';
    const selfEmployed = this.createContractor({
      phone: '+79031112233',
      last_name: 'Смирнова',
      first_name: 'Анна',
      middle_name: 'Сергеевна',
      email: 'anna@example.ru',
      legal_form_id: 2,
      inn: selfEmployedInnPrefix + innCheckDigits(selfEmployedInnPrefix),
      company_agrees_pay_taxes: true,
      selfEmployed: { is_verified: true, is_can_pay_taxes: true },
      identified: true,
      balance: '0.00',
    });
    const activeProprietor = this.createContractor({
      phone: '+79161234567',
      last_name: 'Введенский',
      first_name: 'Михаил',
      middle_name: 'Сергеевич',
      legal_form_id: 3,
      inn: '366512608416',
      identified: true,
    });
    this.createContractor({
      phone: '+79267654321',
      last_name: 'Дмитриев',
      first_name: 'Василий',
      middle_name: 'Валерьевич',
      legal_form_id: 3,
      inn: '772800001280',
    });
    const individual = this.createContractor({
      phone: '+79990001122',
      last_name: 'Петров',
      first_name: 'Пётр',
      middle_name: 'Петрович',
      legal_form_id: 1,
    });
    this.createPayment({
      contractorId: selfEmployed.id,
      amount: '1500.00',
      customer_payment_id: 'demo-0001',
      payment_purpose: 'Оплата по договору 12/24',
      createdAgoMs: 86_400_000,
    });
    this.createPayment({ contractorId: activeProprietor.id, amount: '2500.50', customer_payment_id: 'demo-0002', createdAgoMs: 3_600_000 });
    this.createPayment({ contractorId: individual.id, amount: '100.13', customer_payment_id: 'demo-0003', createdAgoMs: 3_600_000 });
  }
}
