/**
 * The routing tree drawn as nested boxes joined by lines (CSS on nested lists): each node shows
 * its receiver, matchers, grouping, timers, `continue` and time intervals, and folds away its
 * children. Nodes a route test matched are highlighted (the page opens their ancestors).
 */
import type { ReactNode } from 'react';
import type { RouteNode } from '../../api/herald.js';
import { describeGroupBy, pathKey } from './tree.js';
import type { Highlight } from './tree.js';

export interface RouteTreeProps {
  readonly root: RouteNode;
  readonly highlight: Highlight;
  /** Keys of folded nodes. */
  readonly collapsed: ReadonlySet<string>;
  readonly onToggle: (key: string) => void;
}

function Timers({ node, parent }: { readonly node: RouteNode; readonly parent: RouteNode | undefined }): ReactNode {
  const items: [string, string, string | undefined][] = [
    ['group_wait', node.group_wait, parent?.group_wait],
    ['group_interval', node.group_interval, parent?.group_interval],
    ['repeat_interval', node.repeat_interval, parent?.repeat_interval],
  ];
  return (
    <span className="rt-timers">
      {items.map(([k, v, fromParent]) => {
        const inherited = fromParent === v;
        return (
          <span key={k} className={inherited ? 'muted' : undefined} title={inherited ? 'inherited from the parent route' : undefined}>
            {k} <span className="mono">{v}</span>
          </span>
        );
      })}
    </span>
  );
}

function Node({ node, parent, props }: { readonly node: RouteNode; readonly parent: RouteNode | undefined; readonly props: RouteTreeProps }): ReactNode {
  const key = pathKey(node.path);
  const matched = props.highlight.matched.has(key);
  const open = !props.collapsed.has(key);
  const hasChildren = node.routes.length > 0;
  const title = key === 'root' ? 'root route' : `route ${key}`;
  return (
    <li className="rt-item">
      <div className={`rt-node${matched ? ' rt-match' : ''}`} data-testid="route-node" data-path={key} data-matched={matched ? 'true' : 'false'} aria-label={`${title}: receiver ${node.receiver}${matched ? ' (matches)' : ''}`} role="group">
        <div className="rt-head">
          {hasChildren ? (
            <button type="button" className="rt-toggle" aria-expanded={open} onClick={() => props.onToggle(key)} aria-label={`${open ? 'Collapse' : 'Expand'} ${title}`}>
              {open ? '▾' : '▸'}
            </button>
          ) : (
            <span className="rt-toggle-space" aria-hidden="true" />
          )}
          <span className="rt-receiver" title="receiver">
            {node.receiver}
          </span>
          {matched ? <span className="badge info">matches</span> : null}
          {node.continue ? (
            <span className="badge warn" title="matching goes on to the next sibling routes">
              continue
            </span>
          ) : null}
          {hasChildren && !open ? <span className="muted">({node.routes.length} child route{node.routes.length === 1 ? '' : 's'} hidden)</span> : null}
        </div>
        <div className="rt-body">
          <span className="chips">
            {node.matchers.length === 0 ? (
              <span className="muted">{key === 'root' ? 'every alert' : 'no matchers: every alert reaching here'}</span>
            ) : (
              node.matchers.map((m) => (
                <span key={m} className="chip">
                  {m}
                </span>
              ))
            )}
          </span>
          <span className="rt-meta">
            <span>
              group_by <span className="mono">{describeGroupBy(node.group_by)}</span>
            </span>
            <Timers node={node} parent={parent} />
          </span>
          {node.mute_time_intervals.length > 0 || node.active_time_intervals.length > 0 ? (
            <span className="rt-meta">
              {node.mute_time_intervals.length > 0 ? (
                <span>
                  muted during <span className="mono">{node.mute_time_intervals.join(', ')}</span>
                </span>
              ) : null}
              {node.active_time_intervals.length > 0 ? (
                <span>
                  active during <span className="mono">{node.active_time_intervals.join(', ')}</span>
                </span>
              ) : null}
            </span>
          ) : null}
        </div>
      </div>
      {hasChildren && open ? (
        <ul className="rt-children">
          {node.routes.map((c) => (
            <Node key={pathKey(c.path)} node={c} parent={node} props={props} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function RouteTree(props: RouteTreeProps): ReactNode {
  return (
    <ul className="rt-tree" aria-label="Routing tree">
      <Node node={props.root} parent={undefined} props={props} />
    </ul>
  );
}
