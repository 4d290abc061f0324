/**
 * The filters and pagination of GET /api/v1/rules, as Prometheus' web/api/v1/api.go `rules`
 * applies them: `type`, `rule_name[]`, `rule_group[]`, `file[]`, `exclude_alerts`, `match[]` (on
 * the labels in each rule's definition, rules/group.go Rules), `group_limit` + `group_next_token`
 * (token = hex sha256 of `file;group`). Mimir's ruler also takes the names without `[]`
 * (`rule_name`, `rule_group`, `file`); the bracketed form wins when both are given.
 */
import { createHash } from 'node:crypto';
import type { Matcher } from '../../core/matcher.js';
import { matchesAll } from '../../core/matcher.js';
import { formatParseError, parseMetricSelector } from '../../promql/index.js';
import type { GroupView, RuleView } from '../../ruler/api.js';
import { BadParamError, many, single } from '../prometheus-api/params.js';
import { encodeAlertingRule, encodeGroup, encodeRecordingRule, encodeRuleDiscovery } from './encode.js';

export type QueryParams = Readonly<Record<string, string | string[] | undefined>>;

/** A parsed /rules request. */
export interface RulesQuery {
  readonly ruleNames: ReadonlySet<string>;
  readonly groupNames: ReadonlySet<string>;
  readonly files: ReadonlySet<string>;
  /** OR of AND-ed matcher sets; empty = no filtering. */
  readonly matcherSets: readonly (readonly Matcher[])[];
  readonly alerting: boolean;
  readonly recording: boolean;
  readonly excludeAlerts: boolean;
  /** 0 = no pagination. */
  readonly groupLimit: number;
  readonly nextToken: string;
}

function invalidParam(name: string, message: string): BadParamError {
  return new BadParamError(`invalid parameter ${JSON.stringify(name)}: ${message}`);
}

/** `name[]` values, else Mimir's plain `name` values. */
function listParam(p: QueryParams, name: string): Set<string> {
  const bracketed = many(p, `${name}[]`);
  return new Set(bracketed.length > 0 ? bracketed : many(p, name));
}

/** Go's strconv.ParseBool. */
function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** strconv.ParseInt(s, 10, 32) with its error text. */
function parseGoInt32(s: string): number | string {
  if (!/^[+-]?\d+$/.test(s)) return `strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`;
  const n = Number(s);
  if (n > 2147483647 || n < -2147483648) return `strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range`;
  return n;
}

function parseMatcherSets(values: readonly string[]): Matcher[][] {
  return values.map((text) => {
    const r = parseMetricSelector(text);
    if (!r.ok) {
      const first = r.errors[0];
      throw new BadParamError(first ? formatParseError(first) : `invalid match[] selector ${JSON.stringify(text)}`);
    }
    if (r.matchers.every((m) => m.matches(''))) throw new BadParamError('match[] must contain at least one non-empty matcher');
    return [...r.matchers];
  });
}

/** Parses the query string; throws BadParamError with Prometheus' text, checked in Prometheus' order. */
export function parseRulesQuery(p: QueryParams): RulesQuery {
  const matcherSets = parseMatcherSets(many(p, 'match[]'));
  const type = (single(p, 'type') ?? '').toLowerCase();
  if (type !== '' && type !== 'alert' && type !== 'record') throw invalidParam('type', `not supported value ${JSON.stringify(type)}`);

  const exclude = (single(p, 'exclude_alerts') ?? '').toLowerCase();
  let excludeAlerts = false;
  if (exclude !== '') {
    const b = parseGoBool(exclude);
    if (b === undefined) throw invalidParam('exclude_alerts', `error converting exclude_alerts: strconv.ParseBool: parsing ${JSON.stringify(exclude)}: invalid syntax`);
    excludeAlerts = b;
  }

  const limitText = single(p, 'group_limit') ?? '';
  const nextToken = single(p, 'group_next_token') ?? '';
  if (nextToken !== '' && limitText === '') throw invalidParam('group_next_token', 'group_limit needs to be present in order to paginate over the groups');
  let groupLimit = 0;
  if (limitText !== '') {
    const n = parseGoInt32(limitText);
    if (typeof n === 'string') throw invalidParam('group_limit', `group_limit needs to be a valid number: ${n}`);
    if (n <= 0) throw invalidParam('group_limit', 'group_limit needs to be greater than 0');
    groupLimit = n;
  }

  return {
    ruleNames: listParam(p, 'rule_name'),
    groupNames: listParam(p, 'rule_group'),
    files: listParam(p, 'file'),
    matcherSets,
    alerting: type === '' || type === 'alert',
    recording: type === '' || type === 'record',
    excludeAlerts,
    groupLimit,
    nextToken: groupLimit > 0 ? nextToken : '',
  };
}

/** The pagination token of a group (hex sha256 of `file;group`). */
export function groupToken(file: string, group: string): string {
  return createHash('sha256').update(`${file};${group}`).digest('hex');
}

function ruleSelected(q: RulesQuery, r: RuleView): boolean {
  if (q.matcherSets.length > 0 && !q.matcherSets.some((ms) => matchesAll(ms, r.labels))) return false;
  if (q.ruleNames.size > 0 && !q.ruleNames.has(r.name)) return false;
  return r.type === 'alerting' ? q.alerting : q.recording;
}

/**
 * The `data` JSON of /rules for the tenant's groups. A group whose rules are all filtered out is
 * left out; a page holds `groupLimit` groups and names the next one's token.
 */
export function renderRules(groups: readonly GroupView[], q: RulesQuery): string {
  const out: string[] = [];
  let token = '';
  let found = false;
  for (const g of groups) {
    if (q.nextToken !== '' && !found) {
      if (groupToken(g.file, g.name) !== q.nextToken) continue;
      found = true;
    }
    if (q.groupNames.size > 0 && !q.groupNames.has(g.name)) continue;
    if (q.files.size > 0 && !q.files.has(g.file)) continue;
    const rules: string[] = [];
    for (const r of g.rules) {
      if (!ruleSelected(q, r)) continue;
      rules.push(r.type === 'alerting' ? encodeAlertingRule(r, q.excludeAlerts) : encodeRecordingRule(r));
    }
    if (rules.length === 0) continue;
    if (q.groupLimit > 0 && out.length === q.groupLimit) {
      token = groupToken(g.file, g.name);
      break;
    }
    out.push(encodeGroup(g, rules));
  }
  if (q.nextToken !== '' && !found) {
    throw invalidParam('group_next_token', `invalid group_next_token '${q.nextToken}'. were rule groups changed?`);
  }
  return encodeRuleDiscovery(out, token);
}
