import { describe, expect, it } from 'vitest';
import { durationSetting, goDurationString, httpConfigHeaders } from './http-util.js';

describe('goDurationString', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [10_000, '10s'],
    [1500, '1.5s'],
    [90_000, '1m30s'],
    [60_000, '1m0s'],
    [7_200_000, '2h0m0s'],
  ])('%d -> %s', (ms, want) => expect(goDurationString(ms)).toBe(want));
});

describe('durationSetting', () => {
  it.each([
    [undefined, 0],
    [0, 0],
    [-5, 0],
    [2500, 2500],
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['bogus', 0],
  ])('%s -> %d', (v, want) => expect(durationSetting(v)).toBe(want));
});

describe('httpConfigHeaders', () => {
  it.each([
    { hc: null, want: {} },
    { hc: 'x', want: {} },
    { hc: { basic_auth: { username: 'u' } }, want: { Authorization: 'Basic dTo=' } },
    { hc: { authorization: { type: '', credentials: 'c' } }, want: { Authorization: 'Bearer c' } },
    { hc: { bearer_token: '' }, want: {} },
    { hc: { http_headers: { 'X-A': { values: ['1', '2'] }, 'X-B': 'v' } }, want: { 'X-A': '1, 2', 'X-B': 'v' } },
    { hc: { http_headers: { 'X-S': { values: ['a'], secrets: ['s'] }, 'X-E': { files: ['/f'] } } }, want: { 'X-S': 'a, s' } },
  ])('$hc', ({ hc, want }) => expect(httpConfigHeaders(hc)).toEqual(want));
});
