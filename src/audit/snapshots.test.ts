import { describe, expect, it } from 'vitest';
import { auditTarget, createSnapshotter, NoSnapshotError } from './snapshots.js';
import type { AuditRequest, SnapshotPhase, SnapshotSources } from './snapshots.js';

const BEFORE: SnapshotPhase = { when: 'before' };
const after = (responseBody?: string): SnapshotPhase => ({ when: 'after', responseBody });

function req(method: string, route: string, params: Record<string, string> = {}, body?: unknown): AuditRequest {
  return { method, route, params, body };
}

describe('auditTarget', () => {
  it.each([
    ['config upload', req('POST', '/api/v1/alerts'), BEFORE, { kind: 'config' }],
    ['config delete', req('DELETE', '/api/v1/alerts'), BEFORE, { kind: 'config' }],
    ['thresholds', req('PUT', '/api/herald/v1/thresholds'), BEFORE, { kind: 'thresholds' }],
    ['silence create, before', req('POST', '/api/v2/silences', {}, { matchers: [] }), BEFORE, { kind: 'silence', id: undefined }],
    ['silence create, after', req('POST', '/api/v2/silences', {}, {}), after('{"silenceID":"new-id"}'), { kind: 'silence', id: 'new-id' }],
    ['silence update, before', req('POST', '/alertmanager/api/v2/silences', {}, { id: 'old-id' }), BEFORE, { kind: 'silence', id: 'old-id' }],
    ['silence update replaced', req('POST', '/api/v2/silences', {}, { id: 'old-id' }), after('{"silenceID":"new-id"}'), { kind: 'silence', id: 'new-id' }],
    ['silence update, unreadable answer', req('POST', '/api/v2/silences', {}, { id: 'old-id' }), after('not json'), { kind: 'silence', id: 'old-id' }],
    ['silence expire', req('DELETE', '/alertmanager/api/v2/silence/:id', { id: 'x1' }), BEFORE, { kind: 'silence', id: 'x1' }],
    ['rule group post', req('POST', '/prometheus/config/v1/rules/:namespace', { namespace: 'ns' }, 'name: g1\nrules: []\n'), BEFORE, { kind: 'rule-group', namespace: 'ns', group: 'g1' }],
    ['legacy rule group post', req('POST', '/api/v1/rules/:namespace', { namespace: 'a/b' }, '{"name":"g2","rules":[]}'), BEFORE, { kind: 'rule-group', namespace: 'a/b', group: 'g2' }],
    ['rule group post, bad YAML', req('POST', '/api/v1/rules/:namespace', { namespace: 'ns' }, 'name: [unclosed'), BEFORE, { kind: 'rule-namespace', namespace: 'ns' }],
    ['rule group post, no name', req('POST', '/api/v1/rules/:namespace', { namespace: 'ns' }, '- 1\n'), BEFORE, { kind: 'rule-namespace', namespace: 'ns' }],
    ['rule group delete', req('DELETE', '/prometheus/config/v1/rules/:namespace/:groupName', { namespace: 'ns', groupName: 'g' }), BEFORE, { kind: 'rule-group', namespace: 'ns', group: 'g' }],
    ['namespace delete', req('DELETE', '/prometheus/config/v1/rules/:namespace', { namespace: 'ns' }), BEFORE, { kind: 'rule-namespace', namespace: 'ns' }],
  ])('%s', (_name, r, phase, want) => {
    expect(auditTarget(r, phase)).toEqual(want);
  });

  it('knows nothing of other routes', () => {
    expect(auditTarget(req('POST', '/api/v2/alerts'), BEFORE)).toBeUndefined();
    expect(auditTarget(req('GET', '/prometheus/config/v1/rules'), BEFORE)).toBeUndefined();
  });
});

describe('createSnapshotter', () => {
  const calls: string[] = [];
  const sources: SnapshotSources = {
    getUserConfigText: (t) => (calls.push(`config ${t}`), Promise.resolve(`config of ${t}`)),
    getSilence: (t, id) => (calls.push(`silence ${t} ${id}`), Promise.resolve(id === 'gone' ? undefined : `{"id":"${id}"}`)),
    getRuleGroup: (t, ns, g) => (calls.push(`group ${t} ${ns} ${g}`), Promise.resolve(`name: ${g}\n`)),
    getRuleNamespace: (t, ns) => (calls.push(`namespace ${t} ${ns}`), Promise.resolve(`${ns}: []\n`)),
    getThresholdDocument: (t) => (calls.push(`thresholds ${t}`), Promise.resolve(undefined)),
  };
  const snap = createSnapshotter(sources);

  it('reads each kind of object through its source, for the given tenant', async () => {
    calls.length = 0;
    expect(await snap('config.put', 't1', req('POST', '/api/v1/alerts'), BEFORE)).toEqual({ object: 'alertmanager config', state: 'config of t1' });
    expect(await snap('thresholds.put', 't1', req('PUT', '/api/herald/v1/thresholds'), BEFORE)).toEqual({ object: 'thresholds', state: undefined });
    expect(await snap('silence.expire', 't1', req('DELETE', '/api/v2/silence/:id', { id: 's9' }), BEFORE)).toEqual({ object: 's9', state: '{"id":"s9"}' });
    expect(await snap('silence.create', 't1', req('POST', '/api/v2/silences', {}, {}), after('{"silenceID":"gone"}'))).toEqual({ object: 'gone', state: undefined });
    expect(await snap('rules.group.delete', 't1', req('DELETE', '/api/v1/rules/:namespace/:groupName', { namespace: 'n', groupName: 'g' }), BEFORE)).toEqual({ object: 'n/g', state: 'name: g\n' });
    expect(await snap('rules.namespace.delete', 't1', req('DELETE', '/api/v1/rules/:namespace', { namespace: 'n' }), BEFORE)).toEqual({ object: 'n', state: 'n: []\n' });
    expect(calls).toEqual(['config t1', 'thresholds t1', 'silence t1 s9', 'silence t1 gone', 'group t1 n g', 'namespace t1 n']);
  });

  it('answers a new silence (no id yet) as not existing, without reading', async () => {
    calls.length = 0;
    expect(await snap('silence.create', 't1', req('POST', '/api/v2/silences', {}, {}), BEFORE)).toEqual({ object: '', state: undefined });
    expect(calls).toEqual([]);
  });

  it('throws NoSnapshotError for a route it does not know', async () => {
    await expect(snap('alerts.post', 't1', req('POST', '/api/v2/alerts'), BEFORE)).rejects.toBeInstanceOf(NoSnapshotError);
  });
});
