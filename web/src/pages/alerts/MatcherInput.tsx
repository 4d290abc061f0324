/**
 * The matcher input of the filter bar: an ARIA 1.2 combobox (input + listbox) offering label
 * names, then that label's values (complete.ts). Enter adds what was typed, one matcher or a whole
 * `{a="b", c=~"d"}`; a matcher that does not parse is reported under the input and not added.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import type { FormEvent, KeyboardEvent, ReactNode } from 'react';
import type { Matcher } from '../../api/alertmanager.js';
import { parseMatchers } from '../../lib/matchers.js';
import { closeBrace, completions } from './complete.js';
import type { Completion, LabelIndex } from './complete.js';

export interface MatcherInputProps {
  readonly index: LabelIndex;
  readonly onAdd: (ms: Matcher[]) => void;
  /** Text to start with and its error (a bad `filter` in the hash). */
  readonly initial?: { readonly text: string; readonly error: string } | undefined;
}

export function MatcherInput({ index, onAdd, initial }: MatcherInputProps): ReactNode {
  const id = useId();
  const listId = `${id}-list`;
  const errorId = `${id}-error`;
  const [text, setText] = useState(initial?.text ?? '');
  const [error, setError] = useState<string | undefined>(initial?.error);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const candidates = useMemo(() => completions(text, index), [text, index]);
  const expanded = open && candidates.length > 0;
  const optionId = (i: number): string => `${id}-opt-${i}`;
  const activeId = expanded && active >= 0 && active < candidates.length ? optionId(active) : undefined;

  useEffect(() => {
    if (activeId !== undefined) document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  const commit = (raw: string): void => {
    if (raw.trim() === '') return;
    const r = parseMatchers(raw);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    onAdd(r.matchers);
    setText('');
    setError(undefined);
    setActive(-1);
    setOpen(false);
  };

  const choose = (c: Completion): void => {
    if (c.complete) {
      commit(closeBrace(c.text));
      return;
    }
    setText(c.text);
    setError(undefined);
    setActive(-1);
    setOpen(true);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    const n = candidates.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (n === 0) return;
      if (!expanded) {
        setOpen(true);
        setActive(e.key === 'ArrowDown' ? 0 : n - 1);
        return;
      }
      setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : a <= 0 ? n - 1 : a - 1));
    } else if (e.key === 'Enter') {
      const c = expanded && active >= 0 ? candidates[active] : undefined;
      if (c) {
        e.preventDefault();
        choose(c);
      }
    } else if (e.key === 'Escape') {
      if (expanded) {
        e.preventDefault();
        setOpen(false);
        setActive(-1);
      } else if (text !== '') {
        e.preventDefault();
        setText('');
        setError(undefined);
      }
    }
  };

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    commit(text);
  };

  return (
    <form className="matcher-input" onSubmit={submit} role="search" aria-label="Filter alerts">
      <label htmlFor={`${id}-input`}>Filter</label>
      <div className="combo">
        <input
          id={`${id}-input`}
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          placeholder='{severity="critical", job=~"api.*"}'
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={activeId}
          aria-invalid={error !== undefined}
          aria-describedby={error !== undefined ? errorId : undefined}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setError(undefined);
            setActive(-1);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => {
            setOpen(false);
            setActive(-1);
          }}
          onKeyDown={onKeyDown}
        />
        <ul id={listId} role="listbox" aria-label="Suggestions" className="combo-list" hidden={!expanded}>
          {expanded
            ? candidates.map((c, i) => (
                <li
                  key={c.label}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? 'combo-option active' : 'combo-option'}
                  // Keeps the focus in the input, so the list does not close before the click lands.
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => choose(c)}
                >
                  {c.label}
                  {c.kind === 'name' ? <span className="muted" aria-hidden="true"> label</span> : null}
                </li>
              ))
            : null}
        </ul>
      </div>
      <button type="submit">Add</button>
      {error !== undefined ? (
        <div id={errorId} className="error matcher-error" role="alert">
          {error}
        </div>
      ) : null}
    </form>
  );
}
