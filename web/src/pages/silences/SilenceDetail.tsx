/**
 * `#/silences/<id>`: one silence with everything about it, and the alerts it silences now (the
 * v2 alert list filtered by its matchers, plus any alert whose `silencedBy` names it), so a user
 * sees what a silence does before expiring or changing it.
 */
import type { ReactNode } from 'react';
import { ApiError } from '../../api/client.js';
import { getAlerts, getSilence } from '../../api/alertmanager.js';
import type { GettableAlert, GettableSilence } from '../../api/alertmanager.js';
import { Empty, ErrorBox, Labels, Loading, Page } from '../../components/common.js';
import { useLoad } from '../../hooks.js';
import { formatMatcher } from '../../lib/matchers.js';
import { formatDuration } from '../../lib/time.js';
import { useSession } from '../../session.js';
import { splitAffected } from './affected.js';
import { MatcherChips, SilenceActions, StateBadge, When } from './parts.js';

const REFRESH_MS = 30_000;

function AlertRows({ alerts, testid, now }: { readonly alerts: readonly GettableAlert[]; readonly testid: string; readonly now: number }): ReactNode {
  return (
    <ul className="sil-alerts">
      {alerts.map((a) => (
        <li key={a.fingerprint} data-testid={testid} data-fingerprint={a.fingerprint}>
          <span className={`badge ${a.status.state}`}>{a.status.state}</span> <Labels labels={a.labels} />{' '}
          <span className="muted">
            since <When iso={a.startsAt} now={now} />
          </span>
        </li>
      ))}
    </ul>
  );
}

function AffectedAlerts({ silence }: { readonly silence: GettableSilence }): ReactNode {
  const filter = silence.matchers.map(formatMatcher);
  const loaded = useLoad(
    async (c, signal) => {
      const [matched, all] = await Promise.all([getAlerts(c, { filter, silenced: true }, signal), getAlerts(c, { silenced: true }, signal)]);
      return splitAffected(silence.id, matched, all);
    },
    [silence.id, filter.join('\u0000')],
    REFRESH_MS,
  );
  const now = Date.now();
  const d = loaded.data;
  return (
    <section className="panel" aria-labelledby="affected-title">
      <h2 id="affected-title">Alerts silenced now {d ? <span className="count">{d.silenced.length}</span> : null}</h2>
      <ErrorBox error={loaded.error} />
      <Loading when={loaded.loading && d === undefined} />
      {d && d.silenced.length === 0 ? <Empty>This silence silences no alert right now.</Empty> : null}
      {d && d.silenced.length > 0 ? <AlertRows alerts={d.silenced} testid="silenced-alert" now={now} /> : null}
      {d && d.others.length > 0 ? (
        <>
          <h3>
            Matching, not silenced by this silence <span className="count">{d.others.length}</span>
          </h3>
          <AlertRows alerts={d.others} testid="matching-alert" now={now} />
        </>
      ) : null}
    </section>
  );
}

export function SilenceDetail({ id }: { readonly id: string }): ReactNode {
  const { tenant } = useSession();
  const loaded = useLoad((c) => getSilence(c, id), [id]);
  const s = loaded.data;
  const now = Date.now();
  const notFound = loaded.error instanceof ApiError && loaded.error.status === 404;
  return (
    <Page title="Silence" actions={s ? <SilenceActions silence={s} onExpired={loaded.reload} /> : undefined}>
      <p>
        <a href="#/silences">← All silences</a>
      </p>
      {notFound ? <ErrorBox error={`No silence with ID ${id} in tenant ${tenant}.`} /> : <ErrorBox error={loaded.error} />}
      <Loading when={loaded.loading && s === undefined} />
      {s ? (
        <>
          <section className="panel" data-testid="silence-detail" data-silence-id={s.id}>
            <dl className="props">
              <dt>State</dt>
              <dd>
                <StateBadge state={s.status.state} />
              </dd>
              <dt>Matchers</dt>
              <dd>
                <MatcherChips matchers={s.matchers} />
              </dd>
              <dt>Starts</dt>
              <dd>
                <When iso={s.startsAt} now={now} />
              </dd>
              <dt>{s.status.state === 'expired' ? 'Ended' : 'Ends'}</dt>
              <dd>
                <When iso={s.endsAt} now={now} />
              </dd>
              <dt>Duration</dt>
              <dd>{formatDuration(Date.parse(s.endsAt) - Date.parse(s.startsAt))}</dd>
              <dt>Created by</dt>
              <dd>{s.createdBy}</dd>
              <dt>Comment</dt>
              <dd className="silence-comment">{s.comment}</dd>
              <dt>Updated</dt>
              <dd>
                <When iso={s.updatedAt} now={now} />
              </dd>
              <dt>ID</dt>
              <dd className="mono">{s.id}</dd>
            </dl>
          </section>
          <AffectedAlerts silence={s} />
        </>
      ) : null}
    </Page>
  );
}
