/**
 * `#/silences`: the tenant's silences by state (active, pending, expired, with counts), narrowed by
 * matchers in the alerts filter's syntax (sent as the v2 `filter` parameter), each with its
 * matchers, author, comment, times and actions. State and filter live in the URL, so a view can
 * be linked and survives a reload.
 */
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { getSilences } from '../../api/alertmanager.js';
import type { GettableSilence } from '../../api/alertmanager.js';
import { Empty, ErrorBox, Loading, Page } from '../../components/common.js';
import { navigate, useLoad } from '../../hooks.js';
import { formatMatcher, parseMatchers } from '../../lib/matchers.js';
import { formatDuration } from '../../lib/time.js';
import { STATES, byState, stateParam } from './list.js';
import { MatcherChips, SilenceActions, StateBadge, When, silenceHref } from './parts.js';

const REFRESH_MS = 30_000;

function SilenceItem({ silence, now, onChange }: { readonly silence: GettableSilence; readonly now: number; readonly onChange: () => void }): ReactNode {
  const s = silence;
  const length = Date.parse(s.endsAt) - Date.parse(s.startsAt);
  return (
    <li className="silence panel" data-testid="silence" data-silence-id={s.id}>
      <div className="silence-head">
        <StateBadge state={s.status.state} />
        <MatcherChips matchers={s.matchers} />
        <SilenceActions silence={s} onExpired={onChange} view />
      </div>
      <p className="silence-comment">{s.comment}</p>
      <dl className="silence-meta">
        <div>
          <dt>Created by</dt>
          <dd>{s.createdBy}</dd>
        </div>
        <div>
          <dt>Starts</dt>
          <dd>
            <When iso={s.startsAt} now={now} />
          </dd>
        </div>
        <div>
          <dt>{s.status.state === 'expired' ? 'Ended' : 'Ends'}</dt>
          <dd>
            <When iso={s.endsAt} now={now} />
          </dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(length)}</dd>
        </div>
        <div>
          <dt>ID</dt>
          <dd>
            <a className="mono" href={silenceHref(s.id)}>
              {s.id}
            </a>
          </dd>
        </div>
      </dl>
    </li>
  );
}

export function SilenceList({ params }: { readonly params: URLSearchParams }): ReactNode {
  const state = stateParam(params.get('state'));
  const filterText = params.get('filter') ?? '';
  const parsed = parseMatchers(filterText);
  const filter = parsed.ok ? parsed.matchers.map(formatMatcher) : [];
  const [draft, setDraft] = useState(filterText);
  const [draftError, setDraftError] = useState<string | undefined>(parsed.ok ? undefined : parsed.error);
  const loaded = useLoad((c) => getSilences(c, filter), [filter.join('\u0000')], REFRESH_MS);
  const groups = byState(loaded.data ?? []);
  const now = Date.now();

  const go = (st: string, f: string): void => navigate('/silences', { ...(st !== 'active' ? { state: st } : {}), ...(f.trim() !== '' ? { filter: f.trim() } : {}) });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const r = parseMatchers(draft);
    if (!r.ok) {
      setDraftError(r.error);
      return;
    }
    setDraftError(undefined);
    go(state, draft);
  };
  const tabHref = (st: string): string => {
    const p = new URLSearchParams();
    if (st !== 'active') p.set('state', st);
    if (filterText !== '') p.set('filter', filterText);
    const q = p.toString();
    return `#/silences${q === '' ? '' : `?${q}`}`;
  };
  const shown = groups[state];

  return (
    <Page
      title="Silences"
      actions={
        <a className="button primary" href="#/silences/new">
          New silence
        </a>
      }
    >
      <form className="toolbar" role="search" onSubmit={submit}>
        <label className="grow">
          Filter by matchers
          <input
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder='alertname="DiskFull", instance=~"db-.*"'
            aria-invalid={draftError !== undefined}
            aria-describedby={draftError !== undefined ? 'silence-filter-error' : undefined}
            spellCheck={false}
          />
        </label>
        <button type="submit">Apply</button>
        {filterText !== '' ? (
          <button
            type="button"
            onClick={() => {
              setDraft('');
              setDraftError(undefined);
              go(state, '');
            }}
          >
            Clear
          </button>
        ) : null}
      </form>
      {draftError !== undefined ? (
        <p id="silence-filter-error" className="field-error" role="alert">
          {draftError}
        </p>
      ) : null}
      <nav className="tabs" aria-label="Silence state">
        {STATES.map((st) => (
          <a key={st} href={tabHref(st)} aria-current={st === state ? 'page' : undefined}>
            {st[0]!.toUpperCase() + st.slice(1)} <span className="count">{loaded.data ? groups[st].length : '…'}</span>
          </a>
        ))}
      </nav>
      <ErrorBox error={loaded.error} />
      <Loading when={loaded.loading && loaded.data === undefined} />
      {loaded.data !== undefined && shown.length === 0 ? <Empty>No {state} silences{filterText !== '' ? ' match this filter' : ''}.</Empty> : null}
      {shown.length > 0 ? (
        <ul className="silence-list" aria-label={`${state} silences`}>
          {shown.map((s) => (
            <SilenceItem key={s.id} silence={s} now={now} onChange={loaded.reload} />
          ))}
        </ul>
      ) : null}
    </Page>
  );
}
