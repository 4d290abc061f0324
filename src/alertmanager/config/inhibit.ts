/**
 * `inhibit_rules`. Mirrors config/common/inhibitrule.go: legacy match maps, matcher strings,
 * and label-name checks on `equal`.
 */
import { isValidLabelName } from '../../core/labels.js';
import { matchersFromList, matchersFromMatch, matchersFromMatchRe, sortMatchers } from './matchers.js';
import type { Reporter, StructSchema } from './schema.js';
import type { InhibitRuleConfig } from './types.js';

/** InhibitRule, fields in upstream struct order. */
export const INHIBIT_SCHEMA: StructSchema = {
  type: 'common.plain',
  fields: {
    name: 'string',
    source_match: { map: 'string' },
    source_match_re: { map: 'any' },
    source_matchers: { list: 'string' },
    target_match: { map: 'string' },
    target_match_re: { map: 'any' },
    target_matchers: { list: 'string' },
    equal: { list: 'string' },
  },
  check(o, r) {
    const equal = Array.isArray(o['equal']) ? (o['equal'] as unknown[]) : [];
    equal.forEach((l, i) => {
      if (typeof l === 'string' && !isValidLabelName(l)) r.error(`invalid label name ${JSON.stringify(l)} in equal list`, 'invalid_label_name', ['equal', i]);
    });
  },
};

/** Builds one rule's domain form from its decoded mapping. */
export function buildInhibitRule(o: Record<string, unknown>, r: Reporter): InhibitRuleConfig {
  const side = (p: 'source' | 'target'): InhibitRuleConfig['sourceMatchers'] =>
    sortMatchers([
      ...matchersFromMatch(o[`${p}_match`], r.at(`${p}_match`)),
      ...matchersFromMatchRe(o[`${p}_match_re`], r.at(`${p}_match_re`)),
      ...matchersFromList(o[`${p}_matchers`], r.at(`${p}_matchers`)),
    ]);
  const rule = {
    sourceMatchers: side('source'),
    targetMatchers: side('target'),
    equal: Array.isArray(o['equal']) ? (o['equal'] as unknown[]).filter((x): x is string => typeof x === 'string') : [],
  };
  return typeof o['name'] === 'string' && o['name'] !== '' ? { ...rule, name: o['name'] } : rule;
}
