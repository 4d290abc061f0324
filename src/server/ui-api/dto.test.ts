import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../alertmanager/config/index.js';
import type { AlertmanagerConfig } from '../../alertmanager/config/types.js';
import { parseRouteTestBody, RouteTestBodyError, RoutingView } from './dto.js';

/** Receivers per label set below were checked against amtool 0.25 `config routes test`. */
const CONFIG = `route:
  receiver: default
  group_by: [alertname]
  group_wait: 10s
  routes:
    - matchers: ['team=~"db|api"', 'severity="critical"']
      receiver: pager
      continue: true
      group_by: ['...']
      repeat_interval: 1h
    - match:
        team: db
      receiver: db
      group_interval: 2m
      mute_time_intervals: [nights]
      routes:
        - matchers: [env!="prod"]
          receiver: db-dev
    - matchers: ['instance=~"web-.*"', '"weird name"="x"']
      group_by: [b, a]
      active_time_intervals: [nights]
receivers:
  - name: default
  - name: pager
  - name: db
  - name: db-dev
time_intervals:
  - name: nights
    time_intervals:
      - times: [{start_time: '00:00', end_time: '06:00'}]
`;

function load(text: string): AlertmanagerConfig {
  const r = loadConfig(text);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  return r.value;
}

describe('RoutingView.root', () => {
  const root = new RoutingView(load(CONFIG).route).root();

  it('applies upstream defaults and inheritance, with amtool-style matchers', () => {
    expect(root).toMatchObject({ path: [], receiver: 'default', matchers: [], continue: false, group_by: ['alertname'], group_wait: '10s', group_interval: '5m', repeat_interval: '4h' });
    expect(root.routes.map((r) => r.path)).toEqual([[0], [1], [2]]);
    expect(root.routes[0]).toEqual({
      path: [0],
      receiver: 'pager',
      // Sorted as dispatch.NewRoute sorts them (amtool prints `{severity="critical",team=~"db|api"}`).
      matchers: ['severity="critical"', 'team=~"db|api"'],
      continue: true,
      group_by: ['...'],
      group_wait: '10s',
      group_interval: '5m',
      repeat_interval: '1h',
      mute_time_intervals: [],
      active_time_intervals: [],
      routes: [],
    });
  });

  it('children inherit from their parent, not only from the root', () => {
    const db = root.routes[1]!;
    expect(db).toMatchObject({ receiver: 'db', matchers: ['team="db"'], group_interval: '2m', mute_time_intervals: ['nights'] });
    expect(db.routes[0]).toMatchObject({ path: [1, 0], receiver: 'db-dev', matchers: ['env!="prod"'], group_by: ['alertname'], group_interval: '2m', repeat_interval: '4h', mute_time_intervals: [] });
  });

  it('quotes non-classic label names, sorts group_by, inherits the receiver', () => {
    const web = root.routes[2]!;
    expect(web).toMatchObject({ receiver: 'default', matchers: ['instance=~"web-.*"', '"weird name"="x"'], group_by: ['a', 'b'], active_time_intervals: ['nights'] });
  });
});

describe('RoutingView.test (amtool config routes test)', () => {
  const view = new RoutingView(load(CONFIG).route);

  it.each<[Record<string, string>, string[], number[][]]>([
    [{ severity: 'critical', team: 'db' }, ['pager', 'db-dev'], [[0], [1, 0]]],
    [{ team: 'db', env: 'prod' }, ['db'], [[1]]],
    [{ team: 'db' }, ['db-dev'], [[1, 0]]],
    [{ severity: 'critical', team: 'api' }, ['pager'], [[0]]],
    [{ foo: 'bar' }, ['default'], [[]]],
    [{}, ['default'], [[]]],
    [{ instance: 'web-1', 'weird name': 'x' }, ['default'], [[2]]],
  ])('%j -> %j', (labels, receivers, paths) => {
    const r = view.test(labels);
    expect(r.receivers).toEqual(receivers);
    expect(r.routes.map((x) => x.path)).toEqual(paths);
  });

  it('lists every matching route but each receiver once', () => {
    const cfg = load('route:\n  receiver: a\n  routes:\n    - receiver: b\n      continue: true\n    - receiver: b\n      continue: true\n      group_by: [x]\n    - receiver: a\nreceivers:\n  - name: a\n  - name: b\n');
    const r = new RoutingView(cfg.route).test({ any: 'thing' });
    expect(r.receivers).toEqual(['b', 'a']);
    expect(r.routes).toEqual([
      { path: [0], receiver: 'b', group_by: [] },
      { path: [1], receiver: 'b', group_by: ['x'] },
      { path: [2], receiver: 'a', group_by: [] },
    ]);
  });

  it('a label named like an Object property is just a label', () => {
    const cfg = load('route:\n  receiver: a\n  routes:\n    - receiver: b\n      matchers: [constructor=""]\nreceivers:\n  - name: a\n  - name: b\n');
    expect(new RoutingView(cfg.route).test(parseRouteTestBody({ labels: {} })).receivers).toEqual(['b']);
    expect(new RoutingView(cfg.route).test(parseRouteTestBody({ labels: { constructor: 'x' } })).receivers).toEqual(['a']);
  });
});

describe('parseRouteTestBody', () => {
  it('accepts {labels} with any valid UTF-8 label name', () => {
    expect({ ...parseRouteTestBody({ labels: { a: '1', 'dotted.name': '', 'ünïcode': 'v' } }) }).toEqual({ a: '1', 'dotted.name': '', 'ünïcode': 'v' });
  });

  it.each<[unknown, RegExp]>([
    [null, /^body: must be a JSON object/],
    ['labels', /^body: must be a JSON object/],
    [[{ a: 'b' }], /^body: must be a JSON object/],
    [{}, /^labels: required/],
    [{ labels: { a: 'b' }, extra: 1 }, /^"extra": unknown field/],
    [{ label: { a: 'b' } }, /^"label": unknown field/],
    [{ labels: null }, /^labels: must be an object/],
    [{ labels: ['a=b'] }, /^labels: must be an object/],
    [{ labels: 'a=b' }, /^labels: must be an object/],
    [{ labels: { '': 'x' } }, /^labels\."": invalid label name/],
    [{ labels: { a: 1 } }, /^labels\.a: value must be a string, not number/],
    [{ labels: { a: null } }, /^labels\.a: value must be a string, not null/],
    [{ labels: { a: ['x'] } }, /^labels\.a: value must be a string, not an array/],
    [{ labels: { a: '\ud800' } }, /^labels\.a: value is not valid UTF-8/],
    [{ labels: { ['\udc00']: 'x' } }, /invalid label name/],
  ])('%j is refused: %s', (body, message) => {
    expect(() => parseRouteTestBody(body)).toThrow(RouteTestBodyError);
    expect(() => parseRouteTestBody(body)).toThrow(message);
  });
});
