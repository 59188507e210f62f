import type { Fields } from './mapping.ts';

/** The risk module's profile (the same policy as `Company.risk`), as the deal screening and the robot read it. */
export const RISK_SELECTION = 'risk { level score requiresReview factors { title severity } }';

/** What the deal screening asks the graph. */
export const RISK_QUERY = /* GraphQL */ `
  query Bitrix24Risk($inns: [String!]!) {
    companies(inns: $inns) {
      inn
      shortName
      ${RISK_SELECTION}
    }
  }
`;

export interface GraphRisk {
  inn: string;
  shortName: string | null;
  risk: {
    level: 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
    score: number;
    requiresReview: boolean;
    factors: Array<{ title: string; severity: 'RED' | 'YELLOW' | 'GREEN' }>;
  } | null;
}

/** A company's risk as the deal fields and the task read it. */
export interface DealRisk {
  inn: string;
  name: string;
  level: string;
  score: number;
  requiresReview: boolean;
  factors: Array<{ title: string; severity: string }>;
}

export function dealRiskOf(company: GraphRisk): DealRisk | undefined {
  if (!company.risk) return undefined;
  return { inn: company.inn, name: company.shortName ?? company.inn, ...company.risk };
}

/** The deal's UF_CRM_FOCUS_RISK* fields. */
export function riskFields(risk: DealRisk): Fields {
  return {
    UF_CRM_FOCUS_RISK: risk.level,
    UF_CRM_FOCUS_RISK_SCORE: String(risk.score),
    UF_CRM_FOCUS_REQUIRES_REVIEW: risk.requiresReview ? 'Y' : 'N',
  };
}

const LEVEL_RU: Record<string, string> = { LOW: 'низкий', MEDIUM: 'средний', HIGH: 'высокий', CRITICAL: 'критический' };
const SEVERITY_MARK: Record<string, string> = { RED: '🔴', YELLOW: '🟡', GREEN: '🟢' };

/** The timeline comment (and the task's description): the level, the score and the factors, in Russian. */
export function riskComment(risk: DealRisk): string {
  const head = `Контур.Фокус: проверка контрагента ${risk.name} (ИНН ${risk.inn}) — риск ${LEVEL_RU[risk.level] ?? risk.level}, ${risk.score} баллов${risk.requiresReview ? ', требуется проверка службой безопасности' : ''}.`;
  const factors = risk.factors.filter((factor) => factor.severity !== 'GREEN');
  if (factors.length === 0) return `${head}\nФакторов риска не найдено.`;
  return `${head}\nФакторы:\n${factors.map((factor) => `${SEVERITY_MARK[factor.severity] ?? '•'} ${factor.title}`).join('\n')}`;
}
