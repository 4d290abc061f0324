import { describe, expect, it } from 'vitest';
import { mustMatcher } from '../../core/matcher.js';
import type { SilenceView } from '../api.js';
import { apiSilenceState, compareSilenceViews, silenceMatchesFilter, silenceState } from './state.js';
import type { Silence } from './types.js';

const sil = (id: string, startsAt: number, endsAt: number, matchers = [mustMatcher('a', '=', 'b')]): Silence => ({
  id,
  matchers,
  startsAt,
  endsAt,
  updatedAt: 0,
  createdBy: 'me',
  comment: '',
});

describe('silence states', () => {
  it.each([
    { now: 99, state: 'pending', api: 'pending' },
    { now: 100, state: 'active', api: 'active' },
    { now: 150, state: 'active', api: 'active' },
    // Upstream getState keeps a silence active at endsAt; CurrentState (the API) calls it expired.
    { now: 200, state: 'active', api: 'expired' },
    { now: 201, state: 'expired', api: 'expired' },
  ])('start 100, end 200 at $now: $state (api $api)', ({ now, state, api }) => {
    expect(silenceState({ startsAt: 100, endsAt: 200 }, now)).toBe(state);
    expect(apiSilenceState({ startsAt: 100, endsAt: 200 }, now)).toBe(api);
  });
});

describe('compareSilenceViews (upstream SortSilences)', () => {
  it('orders active by soonest end, pending by soonest start, expired by latest end', () => {
    const views: SilenceView[] = [
      { silence: sil('e-old', 0, 10), state: 'expired' },
      { silence: sil('p-late', 500, 900), state: 'pending' },
      { silence: sil('a-late', 0, 800), state: 'active' },
      { silence: sil('e-new', 0, 50), state: 'expired' },
      { silence: sil('p-soon', 300, 400), state: 'pending' },
      { silence: sil('a-soon', 0, 300), state: 'active' },
      { silence: sil('a-soon-b', 0, 300), state: 'active' },
    ];
    expect(views.sort(compareSilenceViews).map((v) => v.silence.id)).toEqual(['a-soon', 'a-soon-b', 'a-late', 'p-soon', 'p-late', 'e-new', 'e-old']);
  });
});

describe('silenceMatchesFilter (upstream CheckSilenceMatchesFilterLabels)', () => {
  const s = sil('x', 0, 1, [mustMatcher('job', '=', 'api'), mustMatcher('env', '=~', 'prod|stage'), mustMatcher('team', '!=', 'ops')]);
  it.each([
    { filter: [], ok: true },
    { filter: [mustMatcher('job', '=', 'api')], ok: true },
    { filter: [mustMatcher('job', '=', 'api'), mustMatcher('env', '=~', 'prod|stage')], ok: true },
    { filter: [mustMatcher('team', '!=', 'ops')], ok: true },
    // Identity, not evaluation: a filter that would match the labels still fails on another type or value.
    { filter: [mustMatcher('job', '=~', 'api')], ok: false },
    { filter: [mustMatcher('env', '=', 'prod')], ok: false },
    { filter: [mustMatcher('job', '=', 'api'), mustMatcher('missing', '=', 'x')], ok: false },
    { filter: [mustMatcher('team', '=', 'ops')], ok: false },
  ])('filter %# -> $ok', ({ filter, ok }) => {
    expect(silenceMatchesFilter(s, filter)).toBe(ok);
  });
});
