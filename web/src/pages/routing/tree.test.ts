import { describe, expect, it } from 'vitest';
import type { RouteNode } from '../../api/herald.js';
import { countNodes, describeGroupBy, highlightFor, labelsToRows, labelsToText, parentKeys, pathKey, rowsToLabels, textToLabels } from './tree.js';

function node(path: number[], receiver: string, routes: RouteNode[] = []): RouteNode {
  return {
    path,
    receiver,
    matchers: [],
    continue: false,
    group_by: [],
    group_wait: '30s',
    group_interval: '5m',
    repeat_interval: '4h',
    mute_time_intervals: [],
    active_time_intervals: [],
    routes,
  };
}

const TREE = node([], 'default', [node([0], 'db', [node([0, 0], 'db-pager')]), node([1], 'web')]);

describe('pathKey / parentKeys / countNodes', () => {
  it.each([
    [[], 'root'],
    [[0], '0'],
    [[1, 2, 3], '1.2.3'],
  ])('%j -> %s', (path, key) => expect(pathKey(path)).toBe(key));

  it('lists the nodes that have children, in tree order', () => {
    expect(parentKeys(TREE)).toEqual(['root', '0']);
    expect(parentKeys(node([], 'x'))).toEqual([]);
  });

  it('counts every node', () => expect(countNodes(TREE)).toBe(4));
});

describe('highlightFor', () => {
  it('marks the matched routes and opens their ancestors', () => {
    const h = highlightFor({ receivers: ['db-pager', 'web'], routes: [{ path: [0, 0], receiver: 'db-pager', group_by: [] }, { path: [1], receiver: 'web', group_by: [] }] });
    expect([...h.matched].sort()).toEqual(['0.0', '1']);
    expect([...h.ancestors].sort()).toEqual(['0', 'root']);
  });

  it('matches the root alone when nothing else does', () => {
    const h = highlightFor({ receivers: ['default'], routes: [{ path: [], receiver: 'default', group_by: [] }] });
    expect([...h.matched]).toEqual(['root']);
    expect(h.ancestors.size).toBe(0);
  });

  it('is empty without a result', () => {
    expect(highlightFor(undefined).matched.size).toBe(0);
  });
});

describe('rowsToLabels', () => {
  it('builds the label set and skips blank rows', () => {
    expect(rowsToLabels([{ name: 'a', value: '1' }, { name: '', value: '' }, { name: ' b ', value: 'x y' }])).toEqual({ ok: true, labels: { a: '1', b: 'x y' } });
  });

  it.each([
    [[{ name: '1a', value: 'x' }], 'row 1: invalid label name "1a"'],
    [[{ name: '', value: 'x' }], 'row 1: a label name is required'],
    [[{ name: 'a', value: 'x' }, { name: 'a', value: 'y' }], 'row 2: label "a" appears twice'],
    [[{ name: '', value: '' }], 'give at least one label'],
  ])('refuses %j', (rows, error) => expect(rowsToLabels(rows)).toEqual({ ok: false, error }));
});

describe('textToLabels', () => {
  it.each([
    ['{severity="critical", team="db"}', { severity: 'critical', team: 'db' }],
    ['severity=critical, team=db', { severity: 'critical', team: 'db' }],
    ['{msg="say \\"hi\\""}', { msg: 'say "hi"' }],
  ])('%s', (text, labels) => expect(textToLabels(text)).toEqual({ ok: true, labels }));

  it.each([
    ['{a=~"x"}', /use name="value"/],
    ['{a!="x"}', /use name="value"/],
    ['{a="x", a="y"}', /appears twice/],
    ['{a="x"', /closing/],
    ['', /at least one label/],
  ])('refuses %s', (text, error) => {
    const r = textToLabels(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });
});

describe('labelsToText / labelsToRows', () => {
  it('round-trips through the text form', () => {
    const labels = { team: 'db', alertname: 'X "quoted"' };
    const text = labelsToText(labels);
    expect(text).toBe('{alertname="X \\"quoted\\"", team="db"}');
    expect(textToLabels(text)).toEqual({ ok: true, labels });
  });

  it('adds an empty row to type into', () => {
    expect(labelsToRows({ b: '2', a: '1' })).toEqual([{ name: 'a', value: '1' }, { name: 'b', value: '2' }, { name: '', value: '' }]);
  });
});

describe('describeGroupBy', () => {
  it.each([
    [['...'], '… (every label)'],
    [[], '(none: one group)'],
    [['alertname', 'team'], 'alertname, team'],
  ])('%j', (g, text) => expect(describeGroupBy(g)).toBe(text));
});
