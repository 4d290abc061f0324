/**
 * The silence editor's state and rules, apart from React: what the URL pre-fills (`matcher`
 * params from an alert, `from=<id>` to duplicate, an existing silence to edit), how start, end and
 * duration follow each other, the checks Alertmanager would make (so the user hears about them
 * next to the field, before sending), and the v2 body that is posted.
 */
import type { GettableSilence, PostableSilence } from '../../api/alertmanager.js';
import { parseMatchers } from '../../lib/matchers.js';
import { formatDuration, parseDuration } from '../../lib/time.js';
import { fromLocalInput, toLocalInput } from './local-time.js';
import { compileRow, matcherFromRow, matchesEmpty, rowFromMatcher } from './matcher-row.js';
import type { MatcherRow } from './matcher-row.js';

/** Alertmanager's UI proposes two hours. */
export const DEFAULT_DURATION = '2h';

export interface EditorState {
  /** Set when editing: the post carries it, and Alertmanager updates or replaces that silence. */
  readonly id?: string;
  readonly matchers: readonly MatcherRow[];
  /** Wall-clock times in the editor's zone, as `datetime-local` inputs hold them. */
  readonly start: string;
  readonly end: string;
  readonly duration: string;
  readonly createdBy: string;
  readonly comment: string;
  /**
   * The edited silence's start to the millisecond, which the second-precision input drops:
   * sent back unchanged while the start field still shows it, because Alertmanager keeps a
   * silence's id only when an active silence's start is exactly the same.
   */
  readonly exactStart?: { readonly local: string; readonly iso: string };
}

export const EMPTY_ROW: MatcherRow = { name: '', op: '=', value: '' };

export interface InitialInput {
  readonly params: URLSearchParams;
  readonly now: number;
  readonly zone: string;
  /** Who creates it unless the URL or the silence says otherwise. */
  readonly createdBy: string;
  /** The silence being edited. */
  readonly editing?: GettableSilence;
  /** The silence being duplicated (`from=<id>`). */
  readonly from?: GettableSilence;
}

export interface Initial {
  readonly state: EditorState;
  /** URL parameters that could not be used, said plainly. */
  readonly problems: readonly string[];
}

function timesFrom(startMs: number, durationMs: number, zone: string): Pick<EditorState, 'start' | 'end' | 'duration'> {
  return { start: toLocalInput(startMs, zone), end: toLocalInput(startMs + durationMs, zone), duration: formatDuration(durationMs) };
}

/** The editor's first state for a URL (and the silence it names, once loaded). */
export function initialState(input: InitialInput): Initial {
  const { params, now, zone } = input;
  const problems: string[] = [];
  if (input.editing) {
    const s = input.editing;
    const start = Date.parse(s.startsAt);
    const end = Date.parse(s.endsAt);
    return {
      state: {
        id: s.id,
        matchers: s.matchers.map(rowFromMatcher),
        start: toLocalInput(start, zone),
        end: toLocalInput(end, zone),
        duration: formatDuration(end - start),
        createdBy: s.createdBy,
        comment: s.comment,
        exactStart: { local: toLocalInput(start, zone), iso: s.startsAt },
      },
      problems,
    };
  }
  if (input.from) {
    const s = input.from;
    const length = Date.parse(s.endsAt) - Date.parse(s.startsAt);
    const duration = length > 0 ? length : (parseDuration(DEFAULT_DURATION) ?? 0);
    return {
      state: { matchers: s.matchers.map(rowFromMatcher), ...timesFrom(now, duration, zone), createdBy: input.createdBy, comment: s.comment },
      problems,
    };
  }
  const matchers: MatcherRow[] = [];
  for (const raw of params.getAll('matcher')) {
    const r = parseMatchers(raw);
    if (!r.ok) problems.push(`matcher ${JSON.stringify(raw)} in the address was left out: ${r.error}`);
    else matchers.push(...r.matchers.map(rowFromMatcher));
  }
  let durationText = params.get('duration') ?? DEFAULT_DURATION;
  let duration = parseDuration(durationText);
  if (duration === undefined || duration <= 0) {
    problems.push(`duration ${JSON.stringify(durationText)} in the address is not a duration such as 2h or 1d3h; using ${DEFAULT_DURATION}`);
    durationText = DEFAULT_DURATION;
    duration = parseDuration(DEFAULT_DURATION) ?? 0;
  }
  return {
    state: {
      matchers: matchers.length > 0 ? matchers : [EMPTY_ROW],
      ...timesFrom(now, duration, zone),
      duration: durationText,
      createdBy: params.get('createdBy') ?? input.createdBy,
      comment: params.get('comment') ?? '',
    },
    problems,
  };
}

/** A new start keeps the duration and moves the end (or, without a duration, keeps the end). */
export function withStart(s: EditorState, start: string, zone: string): EditorState {
  const a = fromLocalInput(start, zone);
  const d = parseDuration(s.duration);
  if (a !== undefined && d !== undefined) return { ...s, start, end: toLocalInput(a + d, zone) };
  const b = fromLocalInput(s.end, zone);
  if (a !== undefined && b !== undefined) return { ...s, start, duration: formatDuration(b - a) };
  return { ...s, start };
}

/** A new duration moves the end. */
export function withDuration(s: EditorState, duration: string, zone: string): EditorState {
  const a = fromLocalInput(s.start, zone);
  const d = parseDuration(duration);
  if (a !== undefined && d !== undefined) return { ...s, duration, end: toLocalInput(a + d, zone) };
  return { ...s, duration };
}

/** A new end recomputes the duration. */
export function withEnd(s: EditorState, end: string, zone: string): EditorState {
  const a = fromLocalInput(s.start, zone);
  const b = fromLocalInput(end, zone);
  if (a !== undefined && b !== undefined) return { ...s, end, duration: formatDuration(b - a) };
  return { ...s, end };
}

/** A field of the form: `matchers`, `matchers.<i>.name`, `matchers.<i>.value`, `start`, ... */
export type Field = 'matchers' | `matchers.${number}.name` | `matchers.${number}.value` | 'start' | 'end' | 'duration' | 'createdBy' | 'comment';

export interface FieldIssue {
  readonly field: Field;
  readonly message: string;
  /** Syntax problems show as soon as they are typed; missing values only after a submit. */
  readonly kind: 'syntax' | 'rule';
}

/** Every problem with the form, in field order. Mirrors Alertmanager's silence validation. */
export function validate(s: EditorState, now: number, zone: string): FieldIssue[] {
  const out: FieldIssue[] = [];
  if (s.matchers.length === 0) out.push({ field: 'matchers', message: 'Add at least one matcher.', kind: 'rule' });
  s.matchers.forEach((r, i) => {
    if (r.name.trim() === '') out.push({ field: `matchers.${i}.name`, message: 'Enter a label name.', kind: 'rule' });
    const re = compileRow(r);
    if (typeof re === 'string') out.push({ field: `matchers.${i}.value`, message: re, kind: 'syntax' });
  });
  const usable = s.matchers.filter((r) => r.name.trim() !== '' && typeof compileRow(r) !== 'string');
  if (s.matchers.length > 0 && usable.length === s.matchers.length && usable.every(matchesEmpty)) {
    out.push({ field: 'matchers', message: 'At least one matcher must not match the empty string (as Alertmanager requires): this silence would match every alert.', kind: 'rule' });
  }
  const a = fromLocalInput(s.start, zone);
  const b = fromLocalInput(s.end, zone);
  if (a === undefined) out.push({ field: 'start', message: s.start.trim() === '' ? 'Enter a start time.' : `"${s.start}" is not a date and time.`, kind: s.start.trim() === '' ? 'rule' : 'syntax' });
  const d = s.duration.trim() === '' ? undefined : parseDuration(s.duration);
  if (s.duration.trim() !== '' && d === undefined) out.push({ field: 'duration', message: `"${s.duration}" is not a duration such as 2h, 90m or 1d3h.`, kind: 'syntax' });
  if (b === undefined) out.push({ field: 'end', message: s.end.trim() === '' ? 'Enter an end time or a duration.' : `"${s.end}" is not a date and time.`, kind: s.end.trim() === '' ? 'rule' : 'syntax' });
  else if (a !== undefined && b <= a) out.push({ field: 'end', message: 'The end must be after the start.', kind: 'syntax' });
  else if (b <= now) out.push({ field: 'end', message: 'The end is in the past.', kind: 'syntax' });
  if (s.createdBy.trim() === '') out.push({ field: 'createdBy', message: 'Say who creates the silence.', kind: 'rule' });
  if (s.comment.trim() === '') out.push({ field: 'comment', message: 'A comment is required: say why the alerts are silenced.', kind: 'rule' });
  return out;
}

/** The v2 body for a valid state; undefined when the times do not parse. */
export function toPostable(s: EditorState, zone: string): PostableSilence | undefined {
  const a = fromLocalInput(s.start, zone);
  const b = fromLocalInput(s.end, zone);
  if (a === undefined || b === undefined) return undefined;
  const exact = s.exactStart !== undefined && s.exactStart.local === s.start ? Date.parse(s.exactStart.iso) : Number.NaN;
  const start = Number.isNaN(exact) ? a : exact;
  return {
    ...(s.id !== undefined ? { id: s.id } : {}),
    matchers: s.matchers.map(matcherFromRow),
    startsAt: Number.isNaN(exact) ? new Date(a).toISOString() : (s.exactStart?.iso ?? ''),
    // The duration as shown is kept exactly.
    endsAt: new Date(start + (b - a)).toISOString(),
    createdBy: s.createdBy.trim(),
    comment: s.comment,
  };
}

/** The matchers to preview with: every row named and compiling, else none (no half-typed query). */
export function previewFilter(rows: readonly MatcherRow[]): MatcherRow[] | undefined {
  if (rows.length === 0) return undefined;
  for (const r of rows) if (r.name.trim() === '' || typeof compileRow(r) === 'string') return undefined;
  return [...rows];
}

/**
 * Rows after pasting `text` into row `index`'s name: matchers written out (`a="b", c=~"d"`,
 * `{...}`, as amtool and the alerts filter take them) replace that row; undefined when the text
 * is not matchers, and the paste is then an ordinary one.
 */
export function pasteRows(rows: readonly MatcherRow[], index: number, text: string): MatcherRow[] | undefined {
  if (!/[=!]/.test(text)) return undefined;
  const r = parseMatchers(text);
  if (!r.ok || r.matchers.length === 0) return undefined;
  return [...rows.slice(0, index), ...r.matchers.map(rowFromMatcher), ...rows.slice(index + 1)];
}
