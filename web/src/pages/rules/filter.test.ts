import { describe, expect, it } from 'vitest';
import type { AlertingRule, AlertRuleState, RecordingRule, RuleGroup } from './api.js';
import { byFile, evaluated, filterGroups, groupHealth, stateCounts, STATES } from './filter.js';

const T = '2026-11-22T10:00:00Z';
function alerting(name: string, state: AlertRuleState, health: AlertingRule['health'] = 'ok', lastError?: string): AlertingRule {
  return { type: 'alerting', name, query: 'up == 0', state, duration: 60, health, evaluationTime: 0.001, lastEvaluation: T, alerts: [], ...(lastError ? { lastError } : {}) };
}
function recording(name: string): RecordingRule {
  return { type: 'recording', name, query: 'sum(up)', health: 'ok', evaluationTime: 0.001, lastEvaluation: T };
}
function group(name: string, file: string, rules: RuleGroup['rules']): RuleGroup {
  return { name, file, rules, interval: 60, evaluationTime: 0.002, lastEvaluation: T };
}

const GROUPS = [
  group('db', 'team-db', [alerting('MySQLDown', 'firing'), alerting('MySQLSlow', 'pending'), recording('job:up:sum')]),
  group('web', 'team-web', [alerting('HighLatency', 'inactive')]),
];
const ALL = new Set(STATES);

describe('filterGroups', () => {
  it('keeps everything with no filter', () => {
    expect(filterGroups(GROUPS, { name: '', states: ALL })).toEqual(GROUPS);
  });

  it('filters by rule name, case-insensitively, dropping empty groups', () => {
    const r = filterGroups(GROUPS, { name: 'mysql', states: ALL });
    expect(r.map((g) => [g.name, g.rules.map((x) => x.name)])).toEqual([['db', ['MySQLDown', 'MySQLSlow']]]);
  });

  it('matches a group name too', () => {
    expect(filterGroups(GROUPS, { name: 'WEB', states: ALL }).map((g) => g.name)).toEqual(['web']);
  });

  it('filters by state and hides recording rules then', () => {
    const r = filterGroups(GROUPS, { name: '', states: new Set<AlertRuleState>(['firing', 'inactive']) });
    expect(r.map((g) => [g.name, g.rules.map((x) => x.name)])).toEqual([
      ['db', ['MySQLDown']],
      ['web', ['HighLatency']],
    ]);
  });

  it('shows nothing with no state selected', () => {
    expect(filterGroups(GROUPS, { name: '', states: new Set() })).toEqual([]);
  });
});

describe('groupHealth', () => {
  it('is the worst of the rules', () => {
    expect(groupHealth(GROUPS[0]!)).toEqual({ health: 'ok', lastError: undefined });
    expect(groupHealth(group('g', 'f', [alerting('A', 'inactive', 'unknown')]))).toEqual({ health: 'unknown', lastError: undefined });
    expect(groupHealth(group('g', 'f', [alerting('A', 'inactive', 'unknown'), alerting('B', 'inactive', 'err', 'bad query')]))).toEqual({ health: 'err', lastError: 'B: bad query' });
  });
});

describe('stateCounts / evaluated / byFile', () => {
  it('counts alerting rules by state', () => expect(stateCounts(GROUPS)).toEqual({ firing: 1, pending: 1, inactive: 1 }));

  it.each([
    ['0001-01-01T00:00:00Z', false],
    ['', false],
    [T, true],
  ])('evaluated(%j) = %s', (iso, want) => expect(evaluated(iso)).toBe(want));

  it('groups by file, sorted', () => {
    const r = byFile([group('b', 'z', []), group('a', 'y', []), group('c', 'z', [])]);
    expect(r.map((f) => [f.file, f.groups.map((g) => g.name)])).toEqual([
      ['y', ['a']],
      ['z', ['b', 'c']],
    ]);
  });
});
