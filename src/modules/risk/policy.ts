import { ConfigError } from '../../config/env.ts';
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * The risk policy: which factors count, how much, which ones are critical, and when a deal needs review.
 * Defaults follow Kontur.Focus's own semantics: red facts (stopped or about to stop operating, sanctions,
 * disqualified or fictitious heads, blocked accounts) are critical; yellow facts need attention; green facts
 * (contracts won, statements filed) lower the score.
 */

export const RISK_FACTOR_CODES = [
  'LIQUIDATION',
  'BANKRUPTCY',
  'REORGANIZATION',
  'PLANNED_LIQUIDATION',
  'MASS_ADDRESS',
  'DISQUALIFIED_HEAD',
  'MASS_HEAD_OR_FOUNDER',
  'UNRELIABLE_REGISTRY_DATA',
  'NOMINEE_RISK',
  'ENFORCEMENT_DEBT',
  'TAX_DEBT',
  'BLOCKED_ACCOUNTS',
  'UNRELIABLE_SUPPLIER',
  'SANCTIONS',
  'YOUNG_COMPANY',
  'NO_FINANCIAL_REPORTS',
  'ARBITRATION_DEFENDANT',
  'EXPRESS_REPORT_RED',
  'EXPRESS_REPORT_YELLOW',
  'GOVERNMENT_CONTRACTS',
  'FINANCIAL_STATEMENTS_FILED',
  'EXPRESS_REPORT_GREEN',
  'TBANK_NEGATIVE_LISTS',
  'TBANK_FROZEN_ACCOUNTS',
  'TBANK_SAME_ADDRESS',
  'TBANK_TAX_DEBT',
  'TBANK_RISK_LEVEL',
] as const;

export type RiskFactorCode = (typeof RISK_FACTOR_CODES)[number];

const FactorCodeSchema = z.enum(RISK_FACTOR_CODES);

const FactorSettingSchema = z.object({
  enabled: z.boolean().default(true),
  /** Score points a present factor adds (red and yellow) or removes (green). */
  weight: z.number().min(0).max(100),
});

const DEFAULT_WEIGHTS: Record<RiskFactorCode, number> = {
  LIQUIDATION: 100,
  BANKRUPTCY: 100,
  REORGANIZATION: 20,
  PLANNED_LIQUIDATION: 60,
  MASS_ADDRESS: 40,
  DISQUALIFIED_HEAD: 60,
  MASS_HEAD_OR_FOUNDER: 20,
  UNRELIABLE_REGISTRY_DATA: 40,
  NOMINEE_RISK: 25,
  ENFORCEMENT_DEBT: 30,
  TAX_DEBT: 20,
  BLOCKED_ACCOUNTS: 60,
  UNRELIABLE_SUPPLIER: 60,
  SANCTIONS: 100,
  YOUNG_COMPANY: 15,
  NO_FINANCIAL_REPORTS: 15,
  ARBITRATION_DEFENDANT: 20,
  EXPRESS_REPORT_RED: 30,
  EXPRESS_REPORT_YELLOW: 10,
  GOVERNMENT_CONTRACTS: 10,
  FINANCIAL_STATEMENTS_FILED: 5,
  EXPRESS_REPORT_GREEN: 5,
  TBANK_NEGATIVE_LISTS: 50,
  TBANK_FROZEN_ACCOUNTS: 60,
  TBANK_SAME_ADDRESS: 20,
  TBANK_TAX_DEBT: 20,
  TBANK_RISK_LEVEL: 20,
};

export const RiskPolicySchema = z
  .object({
    /** A score at or above this needs review (as does any critical factor). */
    reviewThreshold: z.number().min(0).max(100).default(50),
    /** Scores at or above these are MEDIUM, HIGH and CRITICAL; below MEDIUM is LOW. */
    levels: z
      .object({
        medium: z.number().min(0).max(100).default(20),
        high: z.number().min(0).max(100).default(50),
        critical: z.number().min(0).max(100).default(80),
      })
      .default({ medium: 20, high: 50, critical: 80 })
      .refine((levels) => levels.medium <= levels.high && levels.high <= levels.critical, 'levels must rise: medium ≤ high ≤ critical'),
    /** Any of these present makes the level CRITICAL and the company need review, whatever the score. */
    criticalFactors: z
      .array(FactorCodeSchema)
      .default([
        'LIQUIDATION',
        'BANKRUPTCY',
        'MASS_ADDRESS',
        'DISQUALIFIED_HEAD',
        'ENFORCEMENT_DEBT',
        'SANCTIONS',
        'UNRELIABLE_SUPPLIER',
        'BLOCKED_ACCOUNTS',
        'TBANK_FROZEN_ACCOUNTS',
      ]),
    /** Per-factor settings; codes left out keep their default weight. */
    factors: z.partialRecord(FactorCodeSchema, FactorSettingSchema).default({}),
    thresholds: z
      .object({
        /**
         * Enforcement proceedings of the last 12 months count when their amount reaches `minAmount` roubles AND, when the
         * company's revenue is known, `percentOfRevenue` of it: a risk officer weighs debt against the company's scale.
         * At `redPercentOfRevenue` (or with no revenue known) the factor is red.
         */
        enforcementDebt: z
          .object({
            minAmount: z.number().min(0).default(100_000),
            percentOfRevenue: z.number().min(0).default(1),
            redPercentOfRevenue: z.number().min(0).default(10),
          })
          .default({ minAmount: 100_000, percentOfRevenue: 1, redPercentOfRevenue: 10 }),
        /** Claims as defendant over 12 months, judged against revenue the same way. */
        arbitrationDefendant: z
          .object({
            minAmount: z.number().min(0).default(1_000_000),
            percentOfRevenue: z.number().min(0).default(10),
            redPercentOfRevenue: z.number().min(0).default(50),
          })
          .default({ minAmount: 1_000_000, percentOfRevenue: 10, redPercentOfRevenue: 50 }),
        /**
         * T-Bank's tax debt, judged against revenue the same way: from 1000 roubles (the tax service publishes debts
         * over 1000 roubles), red from 1 % of revenue or when revenue is unknown.
         */
        taxDebt: z
          .object({
            minAmount: z.number().min(0).default(1_000),
            percentOfRevenue: z.number().min(0).default(0),
            redPercentOfRevenue: z.number().min(0).default(1),
          })
          .default({ minAmount: 1_000, percentOfRevenue: 0, redPercentOfRevenue: 1 }),
        /** Active entities at the same address (ignoring office) from which the address counts as a mass address. */
        sameAddressCompanies: z.number().int().min(1).default(50),
        /** Statements older than this many years count as none filed (legal entities only). */
        financialReportsMaxAgeYears: z.number().int().min(1).default(2),
      })
      .default({
        enforcementDebt: { minAmount: 100_000, percentOfRevenue: 1, redPercentOfRevenue: 10 },
        arbitrationDefendant: { minAmount: 1_000_000, percentOfRevenue: 10, redPercentOfRevenue: 50 },
        taxDebt: { minAmount: 1_000, percentOfRevenue: 0, redPercentOfRevenue: 1 },
        sameAddressCompanies: 50,
        financialReportsMaxAgeYears: 2,
      }),
  })
  .strict();

export type RiskPolicyInput = z.input<typeof RiskPolicySchema>;
export type ParsedRiskPolicy = z.output<typeof RiskPolicySchema>;

export interface RiskPolicy extends ParsedRiskPolicy {
  /** Where it came from: a file path, or "defaults". */
  source: string;
  /** Effective weight of a factor; 0 when it is disabled. */
  weightOf(code: RiskFactorCode): number;
}

/** A bad policy stops the start, like any bad configuration. */
export class RiskPolicyError extends ConfigError {}

export function buildRiskPolicy(input: unknown, source: string): RiskPolicy {
  const parsed = RiskPolicySchema.safeParse(input ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new RiskPolicyError(`Invalid risk policy (${source}):\n${lines.join('\n')}`);
  }
  const policy = parsed.data;
  return {
    ...policy,
    source,
    weightOf(code) {
      const setting = policy.factors[code];
      if (setting && !setting.enabled) return 0;
      return setting?.weight ?? DEFAULT_WEIGHTS[code];
    },
  };
}

/** RISK_POLICY_PATH: a JSON or YAML file (by extension); unset → the documented defaults. */
export function loadRiskPolicy(path: string | undefined): RiskPolicy {
  if (!path) return buildRiskPolicy({}, 'defaults');
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (error) {
    throw new RiskPolicyError(`Cannot read the risk policy at RISK_POLICY_PATH=${path}: ${(error as Error).message}`);
  }
  let input: unknown;
  try {
    input = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new RiskPolicyError(
      `The risk policy at ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(error as Error).message}`,
    );
  }
  return buildRiskPolicy(input, path);
}

export { DEFAULT_WEIGHTS };

/** The policy as GraphQL resolvers receive it (named apart from the generated `RiskPolicy` type). */
export type RiskPolicyModel = RiskPolicy;
