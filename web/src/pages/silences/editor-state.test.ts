import { describe, expect, it } from 'vitest';
import type { GettableSilence } from '../../api/alertmanager.js';
import { EMPTY_ROW, initialState, pasteRows, previewFilter, toPostable, validate, withDuration, withEnd, withStart } from './editor-state.js';
import type { EditorState, FieldIssue } from './editor-state.js';

const ZONE = 'Europe/Berlin';
const NOW = Date.parse('2026-11-22T13:00:00Z'); // 14:00 in Berlin

const silence: GettableSilence = {
  id: 'f0a1b2c3-0000-4000-8000-000000000001',
  matchers: [
    { name: 'alertname', value: 'Disk', isRegex: false, isEqual: true },
    { name: 'instance', value: 'db-.*', isRegex: true, isEqual: false },
  ],
  startsAt: '2026-11-22T10:00:00.000Z',
  endsAt: '2026-11-22T13:30:00.000Z',
  updatedAt: '2026-11-22T10:00:00.000Z',
  createdBy: 'alice',
  comment: 'disk swap',
  status: { state: 'active' },
};

const base: EditorState = {
  matchers: [{ name: 'alertname', op: '=', value: 'Disk' }],
  start: '2026-11-22T14:00:00',
  end: '2026-11-22T16:00:00',
  duration: '2h',
  createdBy: 'bob',
  comment: 'maintenance',
};

const fields = (issues: readonly FieldIssue[]): string[] => issues.map((i) => i.field);

describe('initialState', () => {
  it('starts empty now for two hours, created by the given user', () => {
    const { state, problems } = initialState({ params: new URLSearchParams(), now: NOW, zone: ZONE, createdBy: 'bob' });
    expect(problems).toEqual([]);
    expect(state).toEqual({ matchers: [EMPTY_ROW], start: '2026-11-22T14:00:00', end: '2026-11-22T16:00:00', duration: '2h', createdBy: 'bob', comment: '' });
  });

  it('reads matcher params from an alert', () => {
    const params = new URLSearchParams();
    params.append('matcher', 'alertname="Disk \\"full\\""');
    params.append('matcher', 'job=~"api.*"');
    params.append('matcher', 'instance!="x", zone!~"eu-.*"');
    const { state, problems } = initialState({ params, now: NOW, zone: ZONE, createdBy: 'bob' });
    expect(problems).toEqual([]);
    expect(state.matchers).toEqual([
      { name: 'alertname', op: '=', value: 'Disk "full"' },
      { name: 'job', op: '=~', value: 'api.*' },
      { name: 'instance', op: '!=', value: 'x' },
      { name: 'zone', op: '!~', value: 'eu-.*' },
    ]);
  });

  it('leaves out matcher params it cannot read and says so', () => {
    const params = new URLSearchParams([['matcher', 'job=~"("'], ['matcher', 'a="b"'], ['duration', 'soon']]);
    const { state, problems } = initialState({ params, now: NOW, zone: ZONE, createdBy: 'bob' });
    expect(state.matchers).toEqual([{ name: 'a', op: '=', value: 'b' }]);
    expect(state.duration).toBe('2h');
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('job=~\\"(\\"');
    expect(problems[1]).toContain('"soon"');
  });

  it('takes duration, comment and createdBy params', () => {
    const params = new URLSearchParams([['matcher', 'a="b"'], ['duration', '1d3h'], ['comment', 'deploy'], ['createdBy', 'ci']]);
    const { state } = initialState({ params, now: NOW, zone: ZONE, createdBy: 'bob' });
    expect(state).toMatchObject({ duration: '1d3h', end: '2026-11-23T17:00:00', comment: 'deploy', createdBy: 'ci' });
  });

  it('edits a silence as it is, keeping its id and author', () => {
    const { state } = initialState({ params: new URLSearchParams(), now: NOW, zone: ZONE, createdBy: 'bob', editing: silence });
    expect(state).toEqual({
      id: silence.id,
      matchers: [
        { name: 'alertname', op: '=', value: 'Disk' },
        { name: 'instance', op: '!~', value: 'db-.*' },
      ],
      start: '2026-11-22T11:00:00',
      end: '2026-11-22T14:30:00',
      duration: '3h30m',
      createdBy: 'alice',
      comment: 'disk swap',
      exactStart: { local: '2026-11-22T11:00:00', iso: '2026-11-22T10:00:00.000Z' },
    });
  });

  it('duplicates a silence from now for its length, without its id, by the current user', () => {
    const { state } = initialState({ params: new URLSearchParams(), now: NOW, zone: ZONE, createdBy: 'bob', from: silence });
    expect(state.id).toBeUndefined();
    expect(state).toMatchObject({ start: '2026-11-22T14:00:00', end: '2026-11-22T17:30:00', duration: '3h30m', createdBy: 'bob', comment: 'disk swap' });
    expect(state.matchers).toHaveLength(2);
  });
});

describe('start, end and duration follow each other', () => {
  it('a duration moves the end', () => {
    expect(withDuration(base, '1d3h', ZONE)).toMatchObject({ duration: '1d3h', end: '2026-11-23T17:00:00' });
    expect(withDuration(base, '90m', ZONE)).toMatchObject({ end: '2026-11-22T15:30:00' });
  });

  it('a bad duration keeps the end', () => {
    expect(withDuration(base, '2 hours', ZONE)).toMatchObject({ duration: '2 hours', end: '2026-11-22T16:00:00' });
  });

  it('an end recomputes the duration', () => {
    expect(withEnd(base, '2026-11-24T15:30', ZONE)).toMatchObject({ end: '2026-11-24T15:30', duration: '2d1h30m' });
    expect(withEnd(base, '2026-11-22T13:00:00', ZONE)).toMatchObject({ duration: '-1h' });
    expect(withEnd(base, 'garbage', ZONE)).toMatchObject({ end: 'garbage', duration: '2h' });
  });

  it('a start keeps the duration and moves the end', () => {
    expect(withStart(base, '2026-11-23T09:00', ZONE)).toMatchObject({ start: '2026-11-23T09:00', end: '2026-11-23T11:00:00', duration: '2h' });
  });

  it('a start without a usable duration keeps the end and recomputes the duration', () => {
    expect(withStart({ ...base, duration: '' }, '2026-11-22T15:00:00', ZONE)).toMatchObject({ end: '2026-11-22T16:00:00', duration: '1h' });
  });

  it('crosses a daylight-saving change in wall-clock terms of the zone', () => {
    const s = { ...base, start: '2026-10-24T12:00:00' };
    // 24h after noon on the day before the change is 11:00 the next day on Berlin clocks.
    expect(withDuration(s, '1d', ZONE).end).toBe('2026-10-25T11:00:00');
  });
});

describe('validate', () => {
  it('accepts a complete silence', () => {
    expect(validate(base, NOW, ZONE)).toEqual([]);
  });

  it.each<[string, Partial<EditorState>, string[]]>([
    ['no matchers', { matchers: [] }, ['matchers']],
    ['a matcher without name', { matchers: [{ name: ' ', op: '=', value: 'x' }, base.matchers[0]!] }, ['matchers.0.name']],
    ['a bad regex', { matchers: [base.matchers[0]!, { name: 'job', op: '=~', value: '(api' }] }, ['matchers.1.value']],
    ['only matchers matching the empty string', { matchers: [{ name: 'job', op: '=~', value: '.*' }, { name: 'x', op: '=', value: '' }] }, ['matchers']],
    ['end before start', { end: '2026-11-22T13:00:00' }, ['end']],
    ['end equal to start', { end: '2026-11-22T14:00:00' }, ['end']],
    ['end in the past', { start: '2026-11-22T10:00:00', end: '2026-11-22T13:59:59' }, ['end']],
    ['no start', { start: '' }, ['start']],
    ['bad start', { start: 'now' }, ['start']],
    ['bad duration', { duration: 'two hours' }, ['duration']],
    ['no end', { end: '' }, ['end']],
    ['no creator', { createdBy: '  ' }, ['createdBy']],
    ['no comment', { comment: '' }, ['comment']],
  ])('%s', (_, change, want) => {
    expect(fields(validate({ ...base, ...change }, NOW, ZONE))).toEqual(want);
  });

  it('accepts a matcher set where one matcher does not match the empty string', () => {
    expect(validate({ ...base, matchers: [{ name: 'job', op: '=~', value: '.*' }, { name: 'a', op: '=~', value: '.+' }] }, NOW, ZONE)).toEqual([]);
  });

  it('marks typing mistakes as syntax, missing values as rules', () => {
    const issues = validate({ ...base, comment: '', duration: 'x' }, NOW, ZONE);
    expect(issues.map((i) => [i.field, i.kind])).toEqual([
      ['duration', 'syntax'],
      ['comment', 'rule'],
    ]);
  });

  it('allows an edited silence to have started in the past', () => {
    expect(validate({ ...base, id: 'x', start: '2026-11-20T10:00:00' }, NOW, ZONE)).toEqual([]);
  });
});

describe('toPostable', () => {
  it('builds the v2 body in UTC', () => {
    expect(toPostable({ ...base, matchers: [...base.matchers, { name: ' job ', op: '!~', value: 'a|b' }] }, ZONE)).toEqual({
      matchers: [
        { name: 'alertname', value: 'Disk', isRegex: false, isEqual: true },
        { name: 'job', value: 'a|b', isRegex: true, isEqual: false },
      ],
      startsAt: '2026-11-22T13:00:00.000Z',
      endsAt: '2026-11-22T15:00:00.000Z',
      createdBy: 'bob',
      comment: 'maintenance',
    });
  });

  it('carries the id of an edited silence', () => {
    expect(toPostable({ ...base, id: 'abc' }, ZONE)?.id).toBe('abc');
  });

  it('sends an edited silence its exact start back while the start is unchanged', () => {
    const s: EditorState = { ...base, id: 'x', start: '2026-11-22T11:00:00', end: '2026-11-22T14:00:00', exactStart: { local: '2026-11-22T11:00:00', iso: '2026-11-22T10:00:00.250Z' } };
    expect(toPostable(s, ZONE)).toMatchObject({ startsAt: '2026-11-22T10:00:00.250Z', endsAt: '2026-11-22T13:00:00.250Z' });
    expect(toPostable({ ...s, start: '2026-11-22T11:30:00' }, ZONE)).toMatchObject({ startsAt: '2026-11-22T10:30:00.000Z', endsAt: '2026-11-22T13:00:00.000Z' });
  });

  it('gives nothing for unreadable times', () => {
    expect(toPostable({ ...base, end: 'x' }, ZONE)).toBeUndefined();
  });
});

describe('previewFilter', () => {
  it('needs every row named and compiling', () => {
    expect(previewFilter([])).toBeUndefined();
    expect(previewFilter([{ name: '', op: '=', value: 'x' }])).toBeUndefined();
    expect(previewFilter([{ name: 'a', op: '=~', value: '(' }])).toBeUndefined();
    expect(previewFilter(base.matchers)).toEqual(base.matchers);
  });
});

describe('pasteRows', () => {
  const rows = [
    { name: 'a', op: '=' as const, value: '1' },
    { name: '', op: '=' as const, value: '' },
  ];
  it('expands pasted matchers into rows in place of the row pasted into', () => {
    expect(pasteRows(rows, 1, '{job=~"api.*", env!="dev"}')).toEqual([rows[0], { name: 'job', op: '=~', value: 'api.*' }, { name: 'env', op: '!=', value: 'dev' }]);
  });
  it('leaves ordinary text to an ordinary paste', () => {
    expect(pasteRows(rows, 1, 'alertname')).toBeUndefined();
    expect(pasteRows(rows, 1, 'job=~"("')).toBeUndefined();
  });
});
