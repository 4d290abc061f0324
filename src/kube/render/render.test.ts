import { parse } from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../alertmanager/config/index.js';
import type { AlertmanagerConfigObject, SecretReader } from '../api.js';
import { InvalidBaseConfigError, renderAlertmanagerConfigs } from './render.js';
import type { RenderOptions } from './render.js';

type Obj = Record<string, unknown>;

const BASE = `global:
  smtp_from: am@example.org
  smtp_smarthost: smtp.example.org:25
route:
  receiver: platform
  routes:
  - {receiver: platform, matchers: [alert_source="platform"]}
receivers:
- name: platform
`;

function amc(ns: string, name: string, spec: unknown): AlertmanagerConfigObject {
  return { apiVersion: 'monitoring.coreos.com/v1beta1', kind: 'AlertmanagerConfig', metadata: { namespace: ns, name }, spec };
}

const SECRETS: Record<string, string> = { 'team-a/hooks/url': 'https://hooks.example.org/a', 'team-b/hooks/url': 'https://hooks.example.org/b' };
const readSecret: SecretReader = (ns, name, key) => Promise.resolve(SECRETS[`${ns}/${name}/${key}`]);
const OPTS: RenderOptions = { matcherStrategy: 'OnNamespace', alertmanagerNamespace: 'monitoring', readSecret };

function webhook(ns: string, name: string, secretName = 'hooks'): AlertmanagerConfigObject {
  return amc(ns, name, {
    route: { receiver: 'hook', groupBy: ['alertname'] },
    receivers: [{ name: 'hook', webhookConfigs: [{ urlSecret: { name: secretName, key: 'url' } }] }],
  });
}

function routes(yamlText: string): Obj[] {
  return ((parse(yamlText) as Obj)['route'] as Obj)['routes'] as Obj[];
}

describe('renderAlertmanagerConfigs', () => {
  it('inlines secrets from the object namespace and produces a config Herald loads', async () => {
    const read = vi.fn(readSecret);
    const res = await renderAlertmanagerConfigs(BASE, [webhook('team-b', 'b'), webhook('team-a', 'a')], { ...OPTS, readSecret: read });
    expect(loadConfig(res.yaml).ok).toBe(true);
    expect(read.mock.calls).toEqual([
      ['team-a', 'hooks', 'url'],
      ['team-b', 'hooks', 'url'],
    ]);
    const doc = parse(res.yaml) as Obj;
    expect((doc['receivers'] as Obj[]).map((r) => [r['name'], (r['webhook_configs'] as Obj[] | undefined)?.[0]?.['url']])).toEqual([
      ['platform', undefined],
      ['team-a/a/hook', 'https://hooks.example.org/a'],
      ['team-b/b/hook', 'https://hooks.example.org/b'],
    ]);
    expect(routes(res.yaml).map((r) => r['receiver'])).toEqual(['team-a/a/hook', 'team-b/b/hook', 'platform']);
    expect(res.statuses).toEqual(
      new Map([
        ['team-a/a', { accepted: true, reason: '' }],
        ['team-b/b', { accepted: true, reason: '' }],
      ]),
    );
  });

  it('rejects a bad object alone, with a reason, and renders the others', async () => {
    const objects = [
      webhook('team-a', 'good'),
      webhook('team-a', 'no-secret', 'missing'),
      amc('team-b', 'bad-route', { route: { receiver: 'nope' }, receivers: [{ name: 'r' }] }),
      amc('team-b', 'bad-regex', { route: { receiver: 'r', matchers: [{ name: 'a', value: '(', matchType: '=~' }] }, receivers: [{ name: 'r' }] }),
      amc('team-b', 'bad-duration', { route: { receiver: 'r', groupWait: 'soon' }, receivers: [{ name: 'r' }] }),
      amc('team-c', 'slack-no-url', { route: { receiver: 'r' }, receivers: [{ name: 'r', slackConfigs: [{ channel: '#x' }] }] }),
      amc('team-c', 'typo', { route: { receiver: 'r' }, recievers: [{ name: 'r' }] }),
    ];
    const res = await renderAlertmanagerConfigs(BASE, objects, OPTS);
    expect(loadConfig(res.yaml).ok).toBe(true);
    expect(routes(res.yaml).map((r) => r['receiver'])).toEqual(['team-a/good/hook', 'platform']);
    const reasons = Object.fromEntries([...res.statuses].map(([k, s]) => [k, s.accepted ? 'ok' : s.reason]));
    expect(reasons['team-a/good']).toBe('ok');
    expect(reasons['team-a/no-secret']).toMatch(/spec\.receivers\[0\]\.webhookConfigs\[0\]\.urlSecret: key "url" of secret "missing" not found/);
    expect(reasons['team-b/bad-route']).toMatch(/spec\.route\.receiver: receiver "nope" is not defined in this object/);
    expect(reasons['team-b/bad-regex']).toMatch(/^spec\.route\.matchers/);
    expect(reasons['team-b/bad-duration']).toMatch(/^spec\.route\.group_wait/);
    expect(reasons['team-c/slack-no-url']).toMatch(/spec\.receivers\[0\]\.slack_configs\[0\].*slack/i);
    expect(reasons['team-c/typo']).toMatch(/spec\.recievers: unknown field/);
  });

  it('uses the tenant global section for integration fill-ins', async () => {
    const obj = amc('team-a', 'mail', { route: { receiver: 'm' }, receivers: [{ name: 'm', emailConfigs: [{ to: 'team-a@example.org' }] }] });
    const withGlobal = await renderAlertmanagerConfigs(BASE, [obj], OPTS);
    expect(withGlobal.statuses.get('team-a/mail')?.accepted).toBe(true);
    const without = await renderAlertmanagerConfigs('route: {receiver: x}\nreceivers: [{name: x}]\n', [obj], OPTS);
    expect(without.statuses.get('team-a/mail')?.reason).toMatch(/smarthost|from/i);
  });

  it('rejects every copy of a duplicated namespace/name, and names that clash with the base', async () => {
    const base = `route: {receiver: team-a/a/hook}\nreceivers: [{name: team-a/a/hook}]\n`;
    const res = await renderAlertmanagerConfigs(base, [webhook('team-a', 'a'), webhook('team-b', 'b'), webhook('team-b', 'b')], OPTS);
    expect(res.statuses.get('team-a/a')).toEqual({ accepted: false, reason: 'the base configuration already defines "team-a/a/hook"' });
    expect(res.statuses.get('team-b/b')?.reason).toMatch(/2 objects are named team-b\/b/);
    expect(parse(res.yaml)).toEqual(parse(base));
    expect(loadConfig(res.yaml).ok).toBe(true);
  });

  it('adds namespace matchers to inhibit rules and keeps receivers of an object without a route', async () => {
    const res = await renderAlertmanagerConfigs(BASE, [amc('team-a', 'x', { receivers: [{ name: 'spare' }], inhibitRules: [{ sourceMatch: [{ name: 'severity', value: 'critical' }], equal: ['alertname'] }] })], OPTS);
    const doc = parse(res.yaml) as Obj;
    expect(doc['inhibit_rules']).toEqual([{ source_matchers: ['severity="critical"', 'namespace="team-a"'], target_matchers: ['namespace="team-a"'], equal: ['alertname'] }]);
    expect((doc['receivers'] as Obj[]).map((r) => r['name'])).toEqual(['platform', 'team-a/x/spare']);
    expect(routes(res.yaml)).toHaveLength(1);
  });

  it('never lets an object read a secret from another namespace', async () => {
    const read = vi.fn(readSecret);
    const res = await renderAlertmanagerConfigs(
      BASE,
      [amc('team-b', 'steal', { route: { receiver: 'r' }, receivers: [{ name: 'r', webhookConfigs: [{ urlSecret: { name: 'hooks', key: 'url', namespace: 'team-a' } }] }] })],
      { ...OPTS, readSecret: read },
    );
    expect(read).not.toHaveBeenCalled();
    expect(res.statuses.get('team-b/steal')?.reason).toMatch(/urlSecret\.namespace: unknown field/);
  });

  it('reports a failing secret reader as the object reason', async () => {
    const res = await renderAlertmanagerConfigs(BASE, [webhook('team-a', 'a')], { ...OPTS, readSecret: () => Promise.reject(new Error('forbidden')) });
    expect(res.statuses.get('team-a/a')?.reason).toMatch(/cannot read secret "hooks": forbidden/);
  });

  it('throws a typed error when the base itself does not load', async () => {
    await expect(renderAlertmanagerConfigs('route: [', [], OPTS)).rejects.toBeInstanceOf(InvalidBaseConfigError);
    await expect(renderAlertmanagerConfigs('receivers: []\n', [], OPTS)).rejects.toThrow(/no route provided/);
  });

  it('is deterministic whatever the input order', async () => {
    const objs = [webhook('team-b', 'b'), webhook('team-a', 'z'), webhook('team-a', 'a')];
    const one = await renderAlertmanagerConfigs(BASE, objs, OPTS);
    const two = await renderAlertmanagerConfigs(BASE, [...objs].reverse(), OPTS);
    expect(two.yaml).toBe(one.yaml);
  });
});
