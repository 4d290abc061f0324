import { describe, expect, it } from 'vitest';
import { issueDto, numberDto, parsePatchBody, problemSource } from './dto.js';

describe('parsePatchBody', () => {
  it.each([
    ['{"a_b": 80}', { a_b: 80 }],
    ['{"a_b": "80:critical", "c_d": null}', { a_b: '80:critical', c_d: null }],
    ['{"a_b": true, "_state_maintenance": false}', { a_b: true, _state_maintenance: false }],
    ['{"redis_queue_length{queue=\\"email\\"}": 1000}', { 'redis_queue_length{queue="email"}': 1000 }],
  ])('%s', (body, want) => {
    const r = parsePatchBody(body);
    expect(r).toEqual({ ok: true, value: want });
  });

  it('keeps "__proto__" as a plain own key', () => {
    const r = parsePatchBody('{"__proto__": 5}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.keys(r.value)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
  });

  it('reports every bad entry by key', () => {
    const r = parsePatchBody('{"a_b": {}, "c_d": [], "ok_key": 1, " ": 2}');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.code, i.path])).toEqual([
      ['bad_value', ['a_b']],
      ['bad_value', ['c_d']],
      ['bad_key', [' ']],
    ]);
  });

  it('refuses very long keys', () => {
    const r = parsePatchBody(JSON.stringify({ ['k'.repeat(2000)]: 1 }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toMatch(/longer than 1024/);
  });
});

describe('small conversions', () => {
  it.each([
    [1.5, 1.5],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ])('numberDto(%s)', (v, want) => expect(numberDto(v)).toBe(want));

  it('issueDto keeps the position, else the path', () => {
    expect(issueDto({ code: 'c', message: 'm', range: { start: { line: 2, column: 3 } }, path: ['x'] })).toEqual({ code: 'c', message: 'm', line: 2, column: 3 });
    expect(issueDto({ code: 'c', message: 'm', path: ['x', 0] })).toEqual({ code: 'c', message: 'm', path: ['x', 0] });
    expect(issueDto({ code: 'c', message: 'm' })).toEqual({ code: 'c', message: 'm' });
  });

  it('problemSource hides the platform’s directory', () => {
    expect(problemSource('/srv/conf.d/db-a.yaml')).toBe('db-a.yaml');
    expect(problemSource('api:db-a')).toBe('api:db-a');
  });
});
