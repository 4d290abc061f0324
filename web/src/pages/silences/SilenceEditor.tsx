/**
 * The silence editor (`#/silences/new`, `?matcher=...` from an alert, `?from=<id>` to duplicate,
 * `#/silences/<id>/edit`): matcher rows, start / duration / end that follow each other in the
 * user's time zone, author and comment, the checks Alertmanager would make shown next to each
 * field before anything is sent, and a live preview of the alerts the silence would match.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { getAlerts, getSilence, postSilence } from '../../api/alertmanager.js';
import type { GettableAlert, GettableSilence } from '../../api/alertmanager.js';
import { ErrorBox, Labels, Loading, Page } from '../../components/common.js';
import { navigate, useLoad } from '../../hooks.js';
import { formatMatcher } from '../../lib/matchers.js';
import { formatRelative, formatTime, userTimeZone } from '../../lib/time.js';
import { useSession } from '../../session.js';
import { EMPTY_ROW, initialState, pasteRows, previewFilter, toPostable, validate, withDuration, withEnd, withStart } from './editor-state.js';
import type { EditorState, Field, FieldIssue } from './editor-state.js';
import { fromLocalInput, zoneAbbreviation } from './local-time.js';
import { MATCHER_OPS, breadth, matcherFromRow } from './matcher-row.js';
import type { MatcherOp, MatcherRow } from './matcher-row.js';
import { silenceHref } from './parts.js';

const CREATED_BY_KEY = 'herald.silences.createdBy';
const PREVIEW_DEBOUNCE_MS = 300;
const PREVIEW_SHOWN = 50;
const QUICK_DURATIONS = ['1h', '2h', '4h', '1d', '1w'];

function rememberedCreator(): string | undefined {
  try {
    return localStorage.getItem(CREATED_BY_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

const fieldId = (f: Field): string => `silence-${f.replace(/\./g, '-')}`;

function FieldError({ field, issues }: { readonly field: Field; readonly issues: readonly FieldIssue[] }): ReactNode {
  const mine = issues.filter((i) => i.field === field);
  if (mine.length === 0) return null;
  return (
    <span id={`${fieldId(field)}-error`} className="field-error">
      {mine.map((i) => i.message).join(' ')}
    </span>
  );
}

/** Props for an input with its error wired up (`aria-invalid`, `aria-describedby`). */
function errorProps(field: Field, issues: readonly FieldIssue[]): { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string } {
  const bad = issues.some((i) => i.field === field);
  return { id: fieldId(field), 'aria-invalid': bad, ...(bad ? { 'aria-describedby': `${fieldId(field)}-error` } : {}) };
}

/** The alerts the matchers would match now, asked for once typing pauses. */
function usePreview(rows: readonly MatcherRow[]): { alerts: GettableAlert[] | undefined; error: Error | undefined; loading: boolean; pending: boolean } {
  const { client } = useSession();
  const usable = previewFilter(rows);
  const key = usable ? JSON.stringify(usable.map((r) => formatMatcher(matcherFromRow(r)))) : '';
  const [debounced, setDebounced] = useState(key);
  const [result, setResult] = useState<{ key: string; alerts?: GettableAlert[]; error?: Error }>({ key: '' });
  useEffect(() => {
    const t = setTimeout(() => setDebounced(key), PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [key]);
  useEffect(() => {
    if (debounced === '') return undefined;
    const ac = new AbortController();
    const filter = JSON.parse(debounced) as string[];
    getAlerts(client, { filter, active: true, silenced: true, inhibited: true }, ac.signal).then(
      (alerts) => !ac.signal.aborted && setResult({ key: debounced, alerts }),
      (e: unknown) => !ac.signal.aborted && setResult({ key: debounced, error: e instanceof Error ? e : new Error(String(e)) }),
    );
    return () => ac.abort();
  }, [debounced, client]);
  const current = result.key === key && key !== '';
  return {
    alerts: current ? result.alerts : undefined,
    error: current ? result.error : undefined,
    loading: key !== '' && !current,
    pending: key === '',
  };
}

function Preview({ rows }: { readonly rows: readonly MatcherRow[] }): ReactNode {
  const p = usePreview(rows);
  const broad = rows.map((r) => ({ r, b: breadth(r) })).filter((x) => x.b !== 'narrow');
  const now = Date.now();
  return (
    <section className="panel preview" aria-labelledby="preview-title">
      <h2 id="preview-title">
        Alerts it matches now{' '}
        <span className="count" data-testid="preview-count" aria-live="polite">
          {p.alerts ? p.alerts.length : p.loading ? '…' : '–'}
        </span>
      </h2>
      {broad.map(({ r, b }, i) => (
        <p key={i} className="field-warn" role="status">
          {formatMatcher(matcherFromRow(r))} matches {b === 'everything' ? 'every alert, with or without the label' : `every alert that has a ${r.name.trim()} label`}: it does not narrow the silence.
        </p>
      ))}
      {p.pending ? <p className="muted">Complete the matchers to see the alerts they match.</p> : null}
      <ErrorBox error={p.error} />
      {p.alerts && p.alerts.length === 0 ? (
        <p className="field-warn" role="status">
          No alert matches these matchers now. The silence still applies to matching alerts that fire while it is active.
        </p>
      ) : null}
      {p.alerts && p.alerts.length > 0 ? (
        <ul className="sil-alerts">
          {p.alerts.slice(0, PREVIEW_SHOWN).map((a) => (
            <li key={a.fingerprint} data-testid="preview-alert" data-fingerprint={a.fingerprint}>
              <span className={`badge ${a.status.state}`}>{a.status.silencedBy.length > 0 ? 'silenced' : a.status.state}</span> <Labels labels={a.labels} />{' '}
              <span className="muted">since {formatRelative(a.startsAt, now)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {p.alerts && p.alerts.length > PREVIEW_SHOWN ? <p className="muted">and {p.alerts.length - PREVIEW_SHOWN} more.</p> : null}
    </section>
  );
}

function MatcherRows({ rows, issues, onChange }: { readonly rows: readonly MatcherRow[]; readonly issues: readonly FieldIssue[]; readonly onChange: (rows: MatcherRow[]) => void }): ReactNode {
  const set = (i: number, patch: Partial<MatcherRow>): void => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const lastName = useRef<HTMLInputElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  const [added, setAdded] = useState(false);
  useEffect(() => {
    if (added) lastName.current?.focus();
    setAdded(false);
  }, [added]);
  return (
    <fieldset className="matchers" aria-describedby={issues.some((i) => i.field === 'matchers') ? `${fieldId('matchers')}-error` : undefined}>
      <legend>Matchers</legend>
      <p className="muted hint">Alerts whose labels match all of these are silenced. Regular expressions match the whole value. Paste matchers such as {'{job=~"api.*", env="prod"}'} into a label name to add them all.</p>
      {rows.map((r, i) => (
        <div className="sil-matcher" key={i} data-testid="matcher-row">
          <input
            {...errorProps(`matchers.${i}.name`, issues)}
            ref={i === rows.length - 1 ? lastName : undefined}
            aria-label={`Label name, matcher ${i + 1}`}
            placeholder="label"
            value={r.name}
            spellCheck={false}
            onChange={(e) => set(i, { name: e.target.value })}
            onPaste={(e) => {
              const next = pasteRows(rows, i, e.clipboardData.getData('text'));
              if (next) {
                e.preventDefault();
                onChange(next);
              }
            }}
          />
          <select aria-label={`Operator, matcher ${i + 1}`} value={r.op} onChange={(e) => set(i, { op: e.target.value as MatcherOp })}>
            {MATCHER_OPS.map((op) => (
              <option key={op} value={op}>
                {op}
              </option>
            ))}
          </select>
          <input
            {...errorProps(`matchers.${i}.value`, issues)}
            aria-label={`Value, matcher ${i + 1}`}
            placeholder={r.op === '=~' || r.op === '!~' ? 'regular expression' : 'value'}
            value={r.value}
            spellCheck={false}
            onChange={(e) => set(i, { value: e.target.value })}
          />
          <button
            type="button"
            aria-label={`Remove matcher ${i + 1}`}
            title="Remove this matcher"
            disabled={rows.length === 1}
            onClick={() => {
              onChange(rows.filter((_, j) => j !== i));
              addRef.current?.focus();
            }}
          >
            Remove
          </button>
          <FieldError field={`matchers.${i}.name`} issues={issues} />
          <FieldError field={`matchers.${i}.value`} issues={issues} />
        </div>
      ))}
      <button
        type="button"
        ref={addRef}
        onClick={() => {
          onChange([...rows, EMPTY_ROW]);
          setAdded(true);
        }}
      >
        Add matcher
      </button>
      <FieldError field="matchers" issues={issues} />
    </fieldset>
  );
}

function EditorForm({ initial, problems, editing }: { readonly initial: EditorState; readonly problems: readonly string[]; readonly editing?: GettableSilence }): ReactNode {
  const { client, who } = useSession();
  const zone = useMemo(userTimeZone, []);
  const [s, setS] = useState<EditorState>(initial);
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<Error | undefined>(undefined);
  const formRef = useRef<HTMLFormElement>(null);

  // The signed-in subject arrives after the first render; fill it in unless someone typed.
  useEffect(() => {
    if (who && s.createdBy === '' && !editing) setS((x) => (x.createdBy === '' ? { ...x, createdBy: who.subject } : x));
  }, [who]);

  const now = Date.now();
  const all = validate(s, now, zone);
  const issues = submitted ? all : all.filter((i) => i.kind === 'syntax');
  const startMs = fromLocalInput(s.start, zone);
  const endMs = fromLocalInput(s.end, zone);
  const abbrev = zoneAbbreviation(startMs ?? now, zone);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setSubmitted(true);
    setServerError(undefined);
    const problems = validate(s, Date.now(), zone);
    const first = problems[0];
    if (first) {
      const el = formRef.current?.querySelector<HTMLElement>(`#${fieldId(first.field)}`) ?? formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      el?.focus();
      return;
    }
    const body = toPostable(s, zone);
    if (!body) return;
    setSaving(true);
    postSilence(client, body).then(
      (id) => {
        try {
          localStorage.setItem(CREATED_BY_KEY, body.createdBy);
        } catch {
          // storage full or disabled: the default next time is the subject
        }
        navigate(`/silences/${encodeURIComponent(id)}`);
      },
      (err: unknown) => {
        setSaving(false);
        setServerError(err instanceof Error ? err : new Error(String(err)));
      },
    );
  };

  return (
    <div className="silence-editor">
      <form ref={formRef} onSubmit={submit} noValidate aria-label={editing ? 'Edit silence' : 'New silence'}>
        {problems.map((p, i) => (
          <p key={i} className="field-warn" role="status">
            {p}
          </p>
        ))}
        <MatcherRows rows={s.matchers} issues={issues} onChange={(matchers) => setS({ ...s, matchers })} />
        <fieldset className="times">
          <legend>
            When <span className="muted">(times in {zone}, {abbrev})</span>
          </legend>
          <label>
            Start
            <input type="datetime-local" step={1} {...errorProps('start', issues)} value={s.start} onChange={(e) => setS(withStart(s, e.target.value, zone))} />
            <FieldError field="start" issues={issues} />
          </label>
          <label>
            Duration
            <input {...errorProps('duration', issues)} value={s.duration} placeholder="2h, 90m, 1d3h" spellCheck={false} onChange={(e) => setS(withDuration(s, e.target.value, zone))} />
            <FieldError field="duration" issues={issues} />
          </label>
          <label>
            End
            <input type="datetime-local" step={1} {...errorProps('end', issues)} value={s.end} onChange={(e) => setS(withEnd(s, e.target.value, zone))} />
            <FieldError field="end" issues={issues} />
          </label>
          <div className="quick" role="group" aria-label="Length presets">
            {QUICK_DURATIONS.map((d) => (
              <button key={d} type="button" onClick={() => setS(withDuration(s, d, zone))}>
                {d}
              </button>
            ))}
          </div>
          {startMs !== undefined && endMs !== undefined && endMs > startMs ? (
            <p className="muted summary">
              From {formatTime(startMs)} ({formatRelative(startMs, now)}) until {formatTime(endMs)} ({formatRelative(endMs, now)}).
            </p>
          ) : null}
        </fieldset>
        <label>
          Created by
          <input {...errorProps('createdBy', issues)} value={s.createdBy} autoComplete="username" onChange={(e) => setS({ ...s, createdBy: e.target.value })} />
          <FieldError field="createdBy" issues={issues} />
        </label>
        <label>
          Comment
          <textarea {...errorProps('comment', issues)} rows={3} value={s.comment} placeholder="Why these alerts are silenced (a ticket, a maintenance)" onChange={(e) => setS({ ...s, comment: e.target.value })} />
          <FieldError field="comment" issues={issues} />
        </label>
        <ErrorBox error={serverError} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Saving…' : editing ? 'Save silence' : 'Create silence'}
          </button>
          <a className="button" href={editing ? silenceHref(editing.id) : '#/silences'}>
            Cancel
          </a>
        </div>
      </form>
      <Preview rows={s.matchers} />
    </div>
  );
}

export type EditorTarget = { readonly kind: 'new'; readonly params: URLSearchParams } | { readonly kind: 'edit'; readonly id: string };

export function SilenceEditor({ target }: { readonly target: EditorTarget }): ReactNode {
  const { who } = useSession();
  const sourceId = target.kind === 'edit' ? target.id : (target.params.get('from') ?? undefined);
  const source = useLoad(async (c): Promise<GettableSilence | undefined> => (sourceId === undefined ? undefined : getSilence(c, sourceId)), [sourceId]);
  const [now] = useState(() => Date.now());
  const [zone] = useState(userTimeZone);
  const title = target.kind === 'edit' ? 'Edit silence' : sourceId !== undefined ? 'Duplicate silence' : 'New silence';
  const ready = sourceId === undefined || source.data !== undefined;
  const init = useMemo(() => {
    if (!ready) return undefined;
    const params = target.kind === 'new' ? target.params : new URLSearchParams();
    const createdBy = rememberedCreator() ?? who?.subject ?? '';
    const editing = target.kind === 'edit' ? source.data : undefined;
    const from = target.kind === 'new' ? source.data : undefined;
    return initialState({ params, now, zone, createdBy, ...(editing ? { editing } : {}), ...(from ? { from } : {}) });
    // `who` fills in later through EditorForm; the form must not reset when it arrives.
  }, [ready, source.data]);
  return (
    <Page title={title}>
      {sourceId !== undefined ? <ErrorBox error={source.error} /> : null}
      <Loading when={sourceId !== undefined && source.loading && source.data === undefined} />
      {init ? <EditorForm initial={init.state} problems={init.problems} {...(target.kind === 'edit' && source.data ? { editing: source.data } : {})} /> : null}
    </Page>
  );
}
