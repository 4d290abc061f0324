/**
 * The silence list's logic: which view a hash path names, silences split by state with counts,
 * and the order Alertmanager's UI shows them in (what ends soonest first, the most recently
 * expired first).
 */
import type { GettableSilence, SilenceState } from '../../api/alertmanager.js';

export const STATES: readonly SilenceState[] = ['active', 'pending', 'expired'];

export type SilenceView =
  | { readonly kind: 'list' }
  | { readonly kind: 'new' }
  | { readonly kind: 'detail'; readonly id: string }
  | { readonly kind: 'edit'; readonly id: string }
  | { readonly kind: 'unknown'; readonly path: string };

/** `/silences`, `/silences/new`, `/silences/<id>`, `/silences/<id>/edit`. */
export function silenceView(path: string): SilenceView {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] !== 'silences') return { kind: 'unknown', path };
  if (parts.length === 1) return { kind: 'list' };
  const id = decodeURIComponent(parts[1]!);
  if (parts.length === 2) return id === 'new' ? { kind: 'new' } : { kind: 'detail', id };
  if (parts.length === 3 && parts[2] === 'edit' && id !== 'new') return { kind: 'edit', id };
  return { kind: 'unknown', path };
}

/** The state tab a `state` parameter names; active when absent or unknown. */
export function stateParam(v: string | null): SilenceState {
  return v === 'pending' || v === 'expired' ? v : 'active';
}

export type ByState = Readonly<Record<SilenceState, readonly GettableSilence[]>>;

function key(s: GettableSilence, state: SilenceState): number {
  if (state === 'pending') return Date.parse(s.startsAt);
  if (state === 'expired') return -Date.parse(s.endsAt);
  return Date.parse(s.endsAt);
}

/** Silences per state, each list sorted for display (ties by id, so the order is stable). */
export function byState(silences: readonly GettableSilence[]): ByState {
  const out: Record<SilenceState, GettableSilence[]> = { active: [], pending: [], expired: [] };
  for (const s of silences) (out[s.status.state] ?? out.expired).push(s);
  for (const st of STATES) out[st].sort((a, b) => key(a, st) - key(b, st) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}
