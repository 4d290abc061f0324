/**
 * Routing (`#/routing`): the tenant's routing tree, and "which receivers would get an alert with
 * these labels?" (what `amtool config routes test` answers), with the matching routes highlighted
 * in the tree.
 */
import { useEffect, useMemo, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { getRoutingTree, testRoutes } from '../api/herald.js';
import type { RouteTestResult } from '../api/herald.js';
import { Empty, ErrorBox, Loading, Page } from '../components/common.js';
import { useLoad } from '../hooks.js';
import { useSession } from '../session.js';
import { RouteTree } from './routing/RouteTree.js';
import { countNodes, highlightFor, labelsToRows, labelsToText, parentKeys, rowsToLabels, textToLabels } from './routing/tree.js';
import type { LabelRow } from './routing/tree.js';

const SOURCE_TEXT: Record<string, string> = {
  pinned: 'pinned by Herald’s config file',
  kube: 'from Kubernetes (AlertmanagerConfig)',
  stored: 'uploaded through the config API',
  fallback: 'the built-in fallback config (the tenant has none of its own)',
};

function TestForm({ onResult }: { readonly onResult: (r: RouteTestResult | undefined, labels: Record<string, string> | undefined) => void }): ReactNode {
  const { client } = useSession();
  const [mode, setMode] = useState<'rows' | 'text'>('rows');
  const [rows, setRows] = useState<LabelRow[]>([{ name: 'alertname', value: '' }, { name: '', value: '' }]);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const switchMode = (m: 'rows' | 'text'): void => {
    if (m === mode) return;
    // Carry what was typed over to the other form when it parses.
    if (m === 'text') {
      const r = rowsToLabels(rows);
      if (r.ok) setText(labelsToText(r.labels));
    } else {
      const r = textToLabels(text);
      if (r.ok) setRows(labelsToRows(r.labels));
    }
    setMode(m);
  };

  const setRow = (i: number, patch: Partial<LabelRow>): void => {
    setRows((prev) => {
      const next = prev.map((r, j) => (j === i ? { ...r, ...patch } : r));
      const last = next[next.length - 1];
      if (last && (last.name !== '' || last.value !== '')) next.push({ name: '', value: '' });
      return next;
    });
  };

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const parsed = mode === 'rows' ? rowsToLabels(rows) : textToLabels(text);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(undefined);
    setBusy(true);
    testRoutes(client, parsed.labels).then(
      (r) => {
        setBusy(false);
        onResult(r, parsed.labels);
      },
      (err: unknown) => {
        setBusy(false);
        setError(err instanceof Error ? err.message : String(err));
        onResult(undefined, undefined);
      },
    );
  };

  return (
    <form className="panel rt-form" onSubmit={submit} aria-labelledby="route-test-title">
      <h2 id="route-test-title">Which receivers would get an alert with these labels?</h2>
      <fieldset className="segmented">
        <legend className="sr-only">Enter labels as</legend>
        <label>
          <input type="radio" name="route-test-mode" checked={mode === 'rows'} onChange={() => switchMode('rows')} /> Label rows
        </label>
        <label>
          <input type="radio" name="route-test-mode" checked={mode === 'text'} onChange={() => switchMode('text')} /> Text
        </label>
      </fieldset>
      {mode === 'rows' ? (
        <div className="rt-rows">
          {rows.map((r, i) => (
            <div className="rt-row" key={i}>
              <label>
                <span className="sr-only">Label name {i + 1}</span>
                <input value={r.name} placeholder="name" aria-label={`Label name ${i + 1}`} onChange={(e) => setRow(i, { name: e.target.value })} spellCheck={false} />
              </label>
              <span aria-hidden="true">=</span>
              <label>
                <span className="sr-only">Label value {i + 1}</span>
                <input value={r.value} placeholder="value" aria-label={`Label value ${i + 1}`} onChange={(e) => setRow(i, { value: e.target.value })} spellCheck={false} />
              </label>
              {rows.length > 1 && i < rows.length - 1 ? (
                <button type="button" aria-label={`Remove label ${i + 1}`} onClick={() => setRows((prev) => prev.filter((_, j) => j !== i))}>
                  ×
                </button>
              ) : null}
            </div>
          ))}
        </div>
      ) : (
        <label className="rt-text">
          Labels
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder='{alertname="DiskFull", severity="critical"}' spellCheck={false} className="mono" />
        </label>
      )}
      <div className="rt-actions">
        <button type="submit" className="primary" disabled={busy}>
          Test routing
        </button>
        <button
          type="button"
          onClick={() => {
            setRows([{ name: 'alertname', value: '' }, { name: '', value: '' }]);
            setText('');
            setError(undefined);
            onResult(undefined, undefined);
          }}
        >
          Clear
        </button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}

function TestResult({ result, labels }: { readonly result: RouteTestResult; readonly labels: Record<string, string> }): ReactNode {
  return (
    <div className="panel rt-result" aria-live="polite" data-testid="route-test-result">
      <p>
        An alert <span className="mono">{labelsToText(labels)}</span> goes to{' '}
        {result.receivers.length === 1 ? 'receiver' : `${result.receivers.length} receivers`}:
      </p>
      <ul className="rt-receivers">
        {result.receivers.map((r) => (
          <li key={r} className="rt-receiver">
            {r}
          </li>
        ))}
      </ul>
      <p className="muted">
        Matching routes: {result.routes.map((r) => (r.path.length === 0 ? 'root' : r.path.join('.'))).join(', ')} (highlighted below). Grouped by:{' '}
        {result.routes.map((r) => (r.group_by.length === 0 ? '(none)' : r.group_by.join(', '))).join(' / ')}
      </p>
    </div>
  );
}

export function RoutingPage(): ReactNode {
  const tree = useLoad((c) => getRoutingTree(c), []);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [test, setTest] = useState<{ result: RouteTestResult; labels: Record<string, string> } | undefined>(undefined);
  const highlight = useMemo(() => highlightFor(test?.result), [test]);
  const data = tree.data;

  // A new test result opens the routes above the matching ones; they can be folded again after.
  useEffect(() => {
    if (highlight.ancestors.size === 0) return;
    setCollapsed((prev) => new Set([...prev].filter((k) => !highlight.ancestors.has(k))));
  }, [highlight]);

  const toggle = (key: string): void =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  return (
    <Page
      title="Routing"
      actions={
        data ? (
          <>
            <button type="button" onClick={() => setCollapsed(new Set())}>
              Expand all
            </button>
            <button type="button" onClick={() => setCollapsed(new Set(parentKeys(data.route)))}>
              Collapse all
            </button>
            <button type="button" onClick={tree.reload}>
              Reload
            </button>
          </>
        ) : undefined
      }
    >
      <div className="rt-layout">
        <div className="rt-side">
          <TestForm onResult={(r, labels) => setTest(r && labels ? { result: r, labels } : undefined)} />
          {test ? <TestResult result={test.result} labels={test.labels} /> : null}
        </div>
        <div className="rt-main">
          <ErrorBox error={tree.error} />
          <Loading when={tree.loading && !data} />
          {data ? (
            <>
              <p className="muted">
                {countNodes(data.route)} route{countNodes(data.route) === 1 ? '' : 's'}; configuration {SOURCE_TEXT[data.source] ?? data.source}. Timers in grey are inherited from the parent.
              </p>
              <RouteTree root={data.route} highlight={highlight} collapsed={collapsed} onToggle={toggle} />
            </>
          ) : !tree.loading && !tree.error ? (
            <Empty>No routing tree.</Empty>
          ) : null}
        </div>
      </div>
    </Page>
  );
}
