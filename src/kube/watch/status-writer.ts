/**
 * Tells a tenant why their object is or is not live: the `status` subresource gets conditions
 * `Accepted` and `Reconciled` in the shape of apimachinery's `metav1.Condition` (type, status,
 * reason, message, observedGeneration, lastTransitionTime), and a rejection is also posted as an
 * events.k8s.io/v1 Event regarding the object (what `kubectl describe` and `kubectl events` show).
 *
 * Writes are skipped when the conditions would not change, so the MODIFIED event our own PATCH
 * causes cannot start a write loop, and one rejection makes one event. Failures are logged, never
 * thrown: a tenant's status is a courtesy, routing must not depend on it.
 */
import type { MonitoringObject, ObjectStatus } from '../api.js';
import type { Clock, Logger } from '../../core/runtime.js';
import { objectPath, resourceOf } from './resources.js';
import type { KubeTransport } from './transport.js';

/** One condition as apimachinery's metav1.Condition serialises it. */
export interface KubeCondition {
  readonly type: 'Accepted' | 'Reconciled';
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration?: number;
  readonly lastTransitionTime: string;
}

export const REPORTING_CONTROLLER = 'herald.dev/kube-source';
/** events.k8s.io/v1 limits `note` to 1 kB. */
const MAX_NOTE_BYTES = 1024;
/** metav1.Condition limits `message` to 32768 bytes. */
const MAX_MESSAGE_BYTES = 32_768;

export interface StatusWriterOptions {
  readonly transport: KubeTransport;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The conditions the object has now (from the watch cache), to keep transition times and skip no-ops. */
  readonly currentConditions: (obj: MonitoringObject) => readonly unknown[] | undefined;
  /** `reportingInstance` of events, e.g. the pod name. */
  readonly instance?: string;
}

export type WriteStatus = (obj: MonitoringObject, status: ObjectStatus) => Promise<void>;

/** Builds the two conditions for `status`, keeping `lastTransitionTime` of those whose status did not flip. */
export function buildConditions(obj: MonitoringObject, status: ObjectStatus, now: string, previous: readonly unknown[] = []): KubeCondition[] {
  const generation = obj.metadata.generation;
  const accepted: Omit<KubeCondition, 'lastTransitionTime'> = status.accepted
    ? { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'the object is valid' }
    : { type: 'Accepted', status: 'False', reason: 'Invalid', message: truncateBytes(status.reason || 'rejected', MAX_MESSAGE_BYTES) };
  let reconciled: Omit<KubeCondition, 'lastTransitionTime'>;
  if (!status.accepted) reconciled = { type: 'Reconciled', status: 'False', reason: 'Rejected', message: 'the object is not part of any configuration because it was rejected' };
  else if (status.tenant === '') reconciled = { type: 'Reconciled', status: 'False', reason: 'NoTenant', message: truncateBytes(status.reason || 'no tenant mapping rule selects this object', MAX_MESSAGE_BYTES) };
  else reconciled = { type: 'Reconciled', status: 'True', reason: 'Reconciled', message: `live in the configuration of tenant "${status.tenant}"` };
  return [accepted, reconciled].map((c) => {
    const prev = previous.find((p): p is Record<string, unknown> => typeof p === 'object' && p !== null && (p as Record<string, unknown>)['type'] === c.type);
    const since = prev && prev['status'] === c.status && typeof prev['lastTransitionTime'] === 'string' ? prev['lastTransitionTime'] : now;
    return { ...c, ...(generation === undefined ? {} : { observedGeneration: generation }), lastTransitionTime: since };
  });
}

function sameConditions(a: readonly KubeCondition[], b: readonly unknown[] | undefined): boolean {
  if (!b || b.length !== a.length) return false;
  return a.every((c) => {
    const p = b.find((x) => typeof x === 'object' && x !== null && (x as Record<string, unknown>)['type'] === c.type) as Record<string, unknown> | undefined;
    return p !== undefined && p['status'] === c.status && p['reason'] === c.reason && p['message'] === c.message && p['observedGeneration'] === c.observedGeneration;
  });
}

/** RFC 3339 with microseconds: the MicroTime format of `eventTime`. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let out = s.slice(0, max);
  while (Buffer.byteLength(out) > max - 3) out = out.slice(0, -1);
  return `${out}...`;
}

export function createStatusWriter(opts: StatusWriterOptions): WriteStatus {
  const { transport, clock } = opts;
  const log = opts.logger.child({ component: 'kube-status' });
  return async (obj, status) => {
    const { namespace, name } = obj.metadata;
    const where = { kind: obj.kind, namespace, name };
    try {
      const resource = resourceOf(obj.apiVersion, obj.kind);
      if (!resource) {
        log.warn(where, `cannot write status: ${obj.apiVersion} ${obj.kind} is not a watched resource`);
        return;
      }
      const previous = opts.currentConditions(obj);
      const nowMs = clock.now();
      const conditions = buildConditions(obj, status, new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'), previous);
      if (sameConditions(conditions, previous)) return;
      const res = await transport.request('PATCH', objectPath(resource, namespace, name, 'status'), {
        contentType: 'application/merge-patch+json',
        text: JSON.stringify({ status: { conditions } }),
      });
      if (res.status === 404) log.debug(where, 'object gone before its status was written');
      else if (res.status < 200 || res.status > 299) log.warn({ ...where, status: res.status, body: res.body.slice(0, 300) }, 'status PATCH failed');
      if (status.accepted) return;
      const event = {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { generateName: `${name}.`, namespace },
        eventTime: microTime(nowMs),
        reportingController: REPORTING_CONTROLLER,
        reportingInstance: opts.instance ?? 'herald',
        action: 'Reconcile',
        reason: 'Rejected',
        type: 'Warning',
        note: truncateBytes(status.reason || 'rejected', MAX_NOTE_BYTES),
        regarding: {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          namespace,
          name,
          ...(obj.metadata.uid === undefined ? {} : { uid: obj.metadata.uid }),
          ...(obj.metadata.resourceVersion === undefined ? {} : { resourceVersion: obj.metadata.resourceVersion }),
        },
      };
      const ev = await transport.request('POST', `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/events`, {
        contentType: 'application/json',
        text: JSON.stringify(event),
      });
      if (ev.status < 200 || ev.status > 299) log.warn({ ...where, status: ev.status, body: ev.body.slice(0, 300) }, 'event POST failed');
    } catch (err) {
      log.warn({ ...where, err: err instanceof Error ? err.message : String(err) }, 'status write failed');
    }
  };
}
