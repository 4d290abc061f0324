/**
 * Silence states, API ordering and API filtering. Mirrors silence/silence.go getState,
 * silence/state.go CurrentState, and api/v2/api.go SortSilences / CheckSilenceMatchesFilterLabels.
 */
import type { Millis } from '../../core/alert.js';
import type { Matcher } from '../../core/matcher.js';
import type { SilenceView } from '../api.js';
import type { Silence, SilenceState } from './types.js';

/**
 * The state that decides muting, updating and expiring (upstream getState): pending before
 * startsAt, expired strictly after endsAt, active in between (endsAt itself still mutes).
 */
export function silenceState(s: Pick<Silence, 'startsAt' | 'endsAt'>, now: Millis): SilenceState {
  if (now < s.startsAt) return 'pending';
  if (now > s.endsAt) return 'expired';
  return 'active';
}

/**
 * The state the v2 API reports (upstream CurrentState): like silenceState but a silence is
 * already expired at endsAt, so one expired "now" shows as expired at once.
 */
export function apiSilenceState(s: Pick<Silence, 'startsAt' | 'endsAt'>, now: Millis): SilenceState {
  if (now < s.startsAt) return 'pending';
  if (now < s.endsAt) return 'active';
  return 'expired';
}

const STATE_ORDER: Record<SilenceState, number> = { active: 1, pending: 2, expired: 3 };

/**
 * Upstream SortSilences: active first (soonest-ending first), then pending (soonest-starting
 * first), then expired (most recently ended first). Ties, which Go leaves unordered, go by id.
 */
export function compareSilenceViews(a: SilenceView, b: SilenceView): number {
  if (a.state !== b.state) return STATE_ORDER[a.state] - STATE_ORDER[b.state];
  let d = 0;
  if (a.state === 'active') d = a.silence.endsAt - b.silence.endsAt;
  else if (a.state === 'pending') d = a.silence.startsAt - b.silence.startsAt;
  else d = b.silence.endsAt - a.silence.endsAt;
  if (d !== 0) return d;
  return a.silence.id < b.silence.id ? -1 : a.silence.id > b.silence.id ? 1 : 0;
}

/**
 * Upstream CheckSilenceMatchesFilterLabels: a silence passes a filter when, for every filter
 * matcher, it has a matcher with the same name, type and value (no label evaluation).
 */
export function silenceMatchesFilter(s: Pick<Silence, 'matchers'>, filter: readonly Matcher[]): boolean {
  for (const f of filter) {
    let found = false;
    for (const m of s.matchers) {
      if (m.name === f.name && m.type === f.type && m.value === f.value) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}
