import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, escapeRegex, groupsQuery, receiverRegex, viewFromParams, viewToParams } from './filter-state.js';
import type { AlertsView } from './filter-state.js';

const m = (name: string, value: string, isRegex = false, isEqual = true) => ({ name, value, isRegex, isEqual });

describe('hash <-> view', () => {
  it('reads an empty hash as the defaults and writes the defaults as nothing', () => {
    expect(viewFromParams(new URLSearchParams(''))).toEqual({ view: DEFAULT_VIEW });
    expect(viewToParams(DEFAULT_VIEW)).toEqual({});
  });

  it('round-trips matchers, states and receiver through URL encoding', () => {
    const view: AlertsView = {
      matchers: [m('severity', 'critical'), m('job', 'api.*', true), m('env', 'dev', false, false), m('team', 'a"b', true, false)],
      states: { active: true, silenced: false, inhibited: true, muted: false },
      receiver: 'team.ops',
    };
    const params = viewToParams(view);
    expect(params).toEqual({ filter: '{severity="critical", job=~"api.*", env!="dev", team!~"a\\"b"}', silenced: 'false', muted: 'false', receiver: 'team.ops' });
    const encoded = new URLSearchParams(params).toString();
    expect(viewFromParams(new URLSearchParams(encoded))).toEqual({ view });
  });

  it('accepts repeated filter params and drops duplicate matchers', () => {
    const p = new URLSearchParams();
    p.append('filter', 'a="1"');
    p.append('filter', '{b=~"x|y", a="1"}');
    expect(viewFromParams(p).view.matchers).toEqual([m('a', '1'), m('b', 'x|y', true)]);
  });

  it.each([
    ['active=false', { active: false }],
    ['silenced=0&inhibited=no', { silenced: false, inhibited: false }],
    ['muted=true&active=true', {}],
  ])('reads state flags %s', (q, changed) => {
    expect(viewFromParams(new URLSearchParams(q)).view.states).toEqual({ ...DEFAULT_VIEW.states, ...changed });
  });

  it('reports a filter that does not parse, with its text', () => {
    const r = viewFromParams(new URLSearchParams({ filter: '{severity="critical"' }));
    expect(r.badFilter).toEqual({ text: '{severity="critical"', error: 'missing closing "}"' });
    expect(r.view.matchers).toEqual([]);
  });
});

describe('receiver regex', () => {
  it.each([
    ['ops', '^ops$'],
    ['team.a', '^team\\.a$'],
    ['a+b (x)|[y]{z}^$*?\\', '^a\\+b \\(x\\)\\|\\[y\\]\\{z\\}\\^\\$\\*\\?\\\\$'],
  ])('%s -> %s', (name, re) => {
    expect(receiverRegex(name)).toBe(re);
    expect(new RegExp(re).test(name)).toBe(true);
  });

  it('does not match other names', () => {
    const re = new RegExp(receiverRegex('team.a'));
    expect(re.test('teamXa')).toBe(false);
    expect(re.test('team.a-2')).toBe(false);
    expect(escapeRegex('plain-name_1')).toBe('plain-name_1');
  });
});

describe('state filter to query params', () => {
  it('sends every flag, the matchers one per filter param, and the anchored receiver', () => {
    const q = groupsQuery({ matchers: [m('severity', 'critical'), m('job', 'api.*', true)], states: { active: false, silenced: true, inhibited: false, muted: true }, receiver: 'a.b' });
    expect(q).toEqual({ filter: ['severity="critical"', 'job=~"api.*"'], active: false, silenced: true, inhibited: false, muted: true, receiver: '^a\\.b$' });
  });

  it('leaves out filter and receiver when empty', () => {
    const q = groupsQuery(DEFAULT_VIEW);
    expect(q.filter).toBeUndefined();
    expect(q.receiver).toBeUndefined();
    expect([q.active, q.silenced, q.inhibited, q.muted]).toEqual([true, true, true, true]);
  });
});
