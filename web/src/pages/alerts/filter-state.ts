/**
 * What the Alerts page shows, as kept in the hash (`#/alerts?filter={severity="critical"}&receiver=ops`)
 * so a link or a reload shows the same list, and how that becomes the v2 API's query parameters.
 * Only values that differ from the defaults are written, so the plain `#/alerts` stays short.
 */
import type { Matcher } from '../../api/alertmanager.js';
import { formatMatcher, parseMatchers } from '../../lib/matchers.js';

/** The alert states the page can show; the v2 API's `active`, `silenced`, `inhibited`, and muted by time intervals. */
export interface StateFilter {
  readonly active: boolean;
  readonly silenced: boolean;
  readonly inhibited: boolean;
  readonly muted: boolean;
}

export interface AlertsView {
  readonly matchers: readonly Matcher[];
  readonly states: StateFilter;
  /** A receiver name (not a regex); empty for every receiver. */
  readonly receiver: string;
}

/** Every state shown, as the v2 API does when its parameters are absent. */
export const DEFAULT_STATES: StateFilter = { active: true, silenced: true, inhibited: true, muted: true };

export const DEFAULT_VIEW: AlertsView = { matchers: [], states: DEFAULT_STATES, receiver: '' };

export const STATE_NAMES = ['active', 'silenced', 'inhibited', 'muted'] as const satisfies readonly (keyof StateFilter)[];

export interface ParsedView {
  readonly view: AlertsView;
  /** The `filter` text of the hash when it did not parse (shown in the filter bar with the error). */
  readonly badFilter?: { readonly text: string; readonly error: string };
}

function boolParam(params: URLSearchParams, name: string, fallback: boolean): boolean {
  const v = params.get(name);
  if (v === null) return fallback;
  return !/^(false|0|no|off)$/i.test(v.trim());
}

/** Reads the page's state from the hash parameters; `filter` may be one `{...}` string or repeated. */
export function viewFromParams(params: URLSearchParams): ParsedView {
  const states: StateFilter = {
    active: boolParam(params, 'active', DEFAULT_STATES.active),
    silenced: boolParam(params, 'silenced', DEFAULT_STATES.silenced),
    inhibited: boolParam(params, 'inhibited', DEFAULT_STATES.inhibited),
    muted: boolParam(params, 'muted', DEFAULT_STATES.muted),
  };
  const receiver = params.get('receiver') ?? '';
  const matchers: Matcher[] = [];
  for (const text of params.getAll('filter')) {
    const r = parseMatchers(text);
    if (!r.ok) return { view: { matchers, states, receiver }, badFilter: { text, error: r.error } };
    matchers.push(...r.matchers);
  }
  return { view: { matchers: dedupe(matchers), states, receiver } };
}

/** The hash parameters for a view (for navigate()); defaults are left out. */
export function viewToParams(view: AlertsView): Record<string, string> {
  const out: Record<string, string> = {};
  if (view.matchers.length > 0) out['filter'] = matchersText(view.matchers);
  for (const s of STATE_NAMES) if (view.states[s] !== DEFAULT_STATES[s]) out[s] = String(view.states[s]);
  if (view.receiver !== '') out['receiver'] = view.receiver;
  return out;
}

/** `{severity="critical", job=~"api.*"}`; empty for no matchers. */
export function matchersText(ms: readonly Matcher[]): string {
  return ms.length === 0 ? '' : `{${ms.map(formatMatcher).join(', ')}}`;
}

/** Drops matchers that are already in the list (same text), keeping the first. */
export function dedupe(ms: readonly Matcher[]): Matcher[] {
  const seen = new Set<string>();
  const out: Matcher[] = [];
  for (const m of ms) {
    const k = formatMatcher(m);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(m);
  }
  return out;
}

/** Escapes RE2/Go regexp metacharacters, as Go's regexp.QuoteMeta does. */
export function escapeRegex(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** The v2 API's `receiver` parameter (a regex) that selects exactly one receiver name. */
export function receiverRegex(name: string): string {
  return `^${escapeRegex(name)}$`;
}

/**
 * Query parameters of GET /api/v2/alerts/groups for a view. `muted` is a parameter of newer
 * Alertmanagers and Herald; servers without it ignore it, and the page also filters on
 * `status.mutedBy` itself (see applyMutedFilter).
 */
export function groupsQuery(view: AlertsView): Record<string, string | readonly string[] | boolean | undefined> {
  return {
    filter: view.matchers.length > 0 ? view.matchers.map(formatMatcher) : undefined,
    active: view.states.active,
    silenced: view.states.silenced,
    inhibited: view.states.inhibited,
    muted: view.states.muted,
    receiver: view.receiver === '' ? undefined : receiverRegex(view.receiver),
  };
}
