import type { AnalyticsResolvers } from '../../../generated/graphql.ts';
import {
  ANALYTICS_BY_CODE,
  ANALYTICS_INDICATORS,
  type AnalyticsIndicatorDef,
  type FocusAnalyticsValues,
} from '../../kontur-focus/index.ts';

/** A named analytics field reads its Kontur code; flags are false when Kontur sends nothing (it sends only true ones). */
function fieldResolver(indicator: AnalyticsIndicatorDef) {
  return (values: FocusAnalyticsValues) => {
    const value = values[indicator.code];
    if (indicator.type === 'BOOLEAN') return value === true;
    if (value === undefined) return null;
    if (indicator.type === 'INT' || indicator.type === 'FLOAT') {
      const number = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(number)) return null;
      return indicator.type === 'INT' && !Number.isInteger(number) ? Math.round(number) : number;
    }
    return String(value);
  };
}

const namedFields = Object.fromEntries(ANALYTICS_INDICATORS.map((indicator) => [indicator.field, fieldResolver(indicator)]));

export const Analytics: AnalyticsResolvers = {
  ...namedFields,
  indicators: (values) =>
    Object.entries(values)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, value]) => ({ code, value: String(value), description: ANALYTICS_BY_CODE.get(code)?.description ?? null })),
};
