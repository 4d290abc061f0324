/**
 * The Alerts page's filters: the matchers (chips with a remove button, and the autocompleting
 * input), the state checkboxes and the receiver. Every change becomes a new view the page writes
 * to the hash.
 */
import { useId } from 'react';
import type { ReactNode } from 'react';
import type { Matcher } from '../../api/alertmanager.js';
import { formatMatcher } from '../../lib/matchers.js';
import type { LabelIndex } from './complete.js';
import { dedupe, STATE_NAMES } from './filter-state.js';
import type { AlertsView, StateFilter } from './filter-state.js';
import { MatcherInput } from './MatcherInput.js';

export interface FilterBarProps {
  readonly view: AlertsView;
  readonly onChange: (v: AlertsView) => void;
  readonly index: LabelIndex;
  readonly receivers: readonly string[];
  readonly badFilter: { readonly text: string; readonly error: string } | undefined;
  /** False when the server's alerts carry no `mutedBy` (the muted checkbox cannot work). */
  readonly mutedReported: boolean;
}

const STATE_LABELS: Record<keyof StateFilter, string> = { active: 'Active', silenced: 'Silenced', inhibited: 'Inhibited', muted: 'Muted' };

export function FilterBar({ view, onChange, index, receivers, badFilter, mutedReported }: FilterBarProps): ReactNode {
  const id = useId();
  const setMatchers = (ms: readonly Matcher[]): void => onChange({ ...view, matchers: dedupe(ms) });
  const receiverOptions = view.receiver !== '' && !receivers.includes(view.receiver) ? [...receivers, view.receiver] : receivers;
  return (
    <div className="alerts-filters panel">
      <div className="matcher-row">
        <MatcherInput key={badFilter?.text ?? ''} index={index} initial={badFilter} onAdd={(ms) => setMatchers([...view.matchers, ...ms])} />
        {view.matchers.length > 0 ? (
          <ul className="filter-chips" aria-label="Active filters">
            {view.matchers.map((m, i) => {
              const text = formatMatcher(m);
              return (
                <li key={text} className="chip filter-chip">
                  <span>{text}</span>
                  <button type="button" className="chip-remove" aria-label={`Remove filter ${text}`} onClick={() => setMatchers(view.matchers.filter((_, j) => j !== i))}>
                    ×
                  </button>
                </li>
              );
            })}
            <li>
              <button type="button" onClick={() => setMatchers([])}>
                Clear filters
              </button>
            </li>
          </ul>
        ) : null}
      </div>
      <div className="toolbar state-row">
        <fieldset className="segmented state-filter">
          <legend>Show</legend>
          {STATE_NAMES.map((s) => (
            <label key={s}>
              <input type="checkbox" checked={view.states[s]} onChange={(e) => onChange({ ...view, states: { ...view.states, [s]: e.target.checked } })} />
              {STATE_LABELS[s]}
            </label>
          ))}
          {mutedReported ? null : <span className="muted">(this server does not report muted alerts)</span>}
        </fieldset>
        <span className="receiver-filter">
          <label htmlFor={`${id}-receiver`}>Receiver</label>
          <select id={`${id}-receiver`} value={view.receiver} onChange={(e) => onChange({ ...view, receiver: e.target.value })}>
            <option value="">All receivers</option>
            {receiverOptions.map((r) => (
              <option key={r} value={r}>
                {receivers.includes(r) ? r : `${r} (not configured)`}
              </option>
            ))}
          </select>
        </span>
      </div>
    </div>
  );
}
