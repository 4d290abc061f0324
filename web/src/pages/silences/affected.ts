/**
 * Which alerts a silence affects, from two v2 alert lists: the alerts its matchers match, and
 * every alert (whose `silencedBy` may name it). A silence that is pending or expired, or whose
 * alerts another silence already took, matches alerts it does not silence: those are told apart.
 */
import type { GettableAlert } from '../../api/alertmanager.js';

export interface Affected {
  /** Alerts this silence silences now. */
  readonly silenced: readonly GettableAlert[];
  /** Alerts its matchers match that it does not silence. */
  readonly others: readonly GettableAlert[];
}

/** Each alert once (by fingerprint), in the order the lists give them. */
export function splitAffected(id: string, matched: readonly GettableAlert[], all: readonly GettableAlert[]): Affected {
  const seen = new Set<string>();
  const matchedSet = new Set(matched.map((a) => a.fingerprint));
  const silenced: GettableAlert[] = [];
  const others: GettableAlert[] = [];
  for (const a of [...matched, ...all]) {
    if (seen.has(a.fingerprint)) continue;
    const mine = a.status.silencedBy.includes(id);
    if (!mine && !matchedSet.has(a.fingerprint)) continue;
    seen.add(a.fingerprint);
    (mine ? silenced : others).push(a);
  }
  return { silenced, others };
}
