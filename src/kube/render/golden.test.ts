/**
 * prometheus-operator's TestGenerateConfig goldens (pkg/alertmanager/amcfg_test.go,
 * pkg/alertmanager/testdata/<case>.golden, Alertmanager >= 0.22): our own input objects for the
 * same cases, and the expected structures transcribed from each golden file (facts, not files).
 * Compared semantically: both sides parsed, `templates: []` dropped, upstream's
 * `mute_time_intervals` read as `time_intervals` (Herald writes the non-deprecated key).
 *
 * Skipped: version-gated cases (`*_Unsupported_Version`, `*_in_old_amVersion`, `*_Older_Version`,
 * deprecated matchers NOT converted: Alertmanager < 0.22): Herald targets one version; cases built
 * on a global AlertmanagerConfig (`valid_global_config*`, TestInitializeFromAlertmanagerConfig):
 * the base here is always a YAML document; HTTP TLS cases: upstream writes certificates to files,
 * Herald inlines them.
 */
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { AlertmanagerConfigObject } from '../api.js';
import { renderAlertmanagerConfigs } from './render.js';
import type { MatcherStrategy } from './enforce.js';

type Obj = Record<string, unknown>;

const SKELETON = 'route:\n  receiver: "null"\nreceivers:\n- name: "null"\n';

function amc(ns: string, name: string, spec: unknown, apiVersion: AlertmanagerConfigObject['apiVersion'] = 'monitoring.coreos.com/v1alpha1'): AlertmanagerConfigObject {
  return { apiVersion, kind: 'AlertmanagerConfig', metadata: { namespace: ns, name }, spec };
}

const SECRETS: Record<string, string> = {
  'mynamespace/am-pd-test-receiver/routingKey': '1234abc',
  'mynamespace/am-og-test-receiver/apiKey': '1234abc',
  'mynamespace/wechat-config/apiSecret': 'wechatsecret',
  'mynamespace/telegram-bot-token/bot-token': 'bipbop',
};

function normalize(yamlText: string): Obj {
  const doc = parse(yamlText) as Obj;
  delete doc['templates'];
  const ti = [...((doc['mute_time_intervals'] as unknown[] | undefined) ?? []), ...((doc['time_intervals'] as unknown[] | undefined) ?? [])];
  delete doc['mute_time_intervals'];
  delete doc['time_intervals'];
  if (ti.length > 0) doc['time_intervals'] = ti;
  return doc;
}

interface Case {
  readonly golden: string;
  readonly base?: string;
  readonly strategy?: MatcherStrategy;
  readonly amNamespace?: string;
  readonly objects: readonly AlertmanagerConfigObject[];
  readonly want: string;
}

const CASES: readonly Case[] = [
  {
    golden: 'skeleton_base_no_CRs.golden',
    objects: [],
    want: SKELETON,
  },
  {
    golden: 'skeleton_base_simple_CR.golden',
    objects: [amc('mynamespace', 'myamc', { route: { receiver: 'test', groupBy: ['job'] }, receivers: [{ name: 'test' }] })],
    want: `route:
  receiver: "null"
  routes:
  - {receiver: mynamespace/myamc/test, group_by: [job], matchers: ['namespace="mynamespace"'], continue: true}
receivers: [{name: "null"}, {name: mynamespace/myamc/test}]`,
  },
  {
    golden: 'skeleton_base_CR_with_subroutes.golden',
    objects: [
      amc('mynamespace', 'myamc', {
        route: {
          receiver: 'test',
          groupBy: ['job'],
          routes: [
            { receiver: 'test2', groupBy: ['job', 'instance'], continue: true, matchers: [{ name: 'job', value: 'foo', matchType: '=' }] },
            { receiver: 'test3', groupBy: ['job', 'instance'], matchers: [{ name: 'job', value: 'bar', matchType: '=' }] },
          ],
        },
        receivers: [{ name: 'test' }, { name: 'test2' }, { name: 'test3' }],
      }),
    ],
    want: `route:
  receiver: "null"
  routes:
  - receiver: mynamespace/myamc/test
    group_by: [job]
    matchers: ['namespace="mynamespace"']
    continue: true
    routes:
    - {receiver: mynamespace/myamc/test2, group_by: [job, instance], matchers: ['job="foo"'], continue: true}
    - {receiver: mynamespace/myamc/test3, group_by: [job, instance], matchers: ['job="bar"']}
receivers: [{name: "null"}, {name: mynamespace/myamc/test}, {name: mynamespace/myamc/test2}, {name: mynamespace/myamc/test3}]`,
  },
  {
    golden: 'skeleton_base_multiple_alertmanagerconfigs.golden',
    base: `route:
  receiver: "null"
  routes:
  - {receiver: watchdog, matchers: [alertname=Watchdog], group_by: [alertname]}
receivers: [{name: "null"}, {name: watchdog}]`,
    // Given out of order on purpose: the result is ordered by namespace, then name.
    objects: [
      amc('ns2', 'amc1', { route: { receiver: 'test3', groupBy: ['job', 'instance'] }, receivers: [{ name: 'test3' }] }),
      amc('ns1', 'amc2', { route: { receiver: 'test2', groupBy: ['instance'] }, receivers: [{ name: 'test2' }] }),
      amc('ns1', 'amc1', { route: { receiver: 'test1', groupBy: ['job'] }, receivers: [{ name: 'test1' }] }),
    ],
    want: `route:
  receiver: "null"
  routes:
  - {receiver: ns1/amc1/test1, group_by: [job], matchers: ['namespace="ns1"'], continue: true}
  - {receiver: ns1/amc2/test2, group_by: [instance], matchers: ['namespace="ns1"'], continue: true}
  - {receiver: ns2/amc1/test3, group_by: [job, instance], matchers: ['namespace="ns2"'], continue: true}
  - {receiver: watchdog, group_by: [alertname], matchers: [alertname=Watchdog]}
receivers: [{name: "null"}, {name: watchdog}, {name: ns1/amc1/test1}, {name: ns1/amc2/test2}, {name: ns2/amc1/test3}]`,
  },
  {
    golden: 'skeleton_base_multiple_CRs_with_namespaceMatcher_disabled.golden',
    strategy: 'None',
    objects: [
      amc('ns1', 'amc1', { route: { receiver: 'test', groupBy: ['job'] }, receivers: [{ name: 'test' }] }),
      amc('ns2', 'amc1', { route: { receiver: 'test2', groupBy: ['job'] }, receivers: [{ name: 'test2' }] }),
      amc('ns2', 'amc2', { route: { receiver: 'test2', groupBy: ['job', 'instance'] }, receivers: [{ name: 'test2' }] }),
    ],
    want: `route:
  receiver: "null"
  routes:
  - {receiver: ns1/amc1/test, group_by: [job], continue: true}
  - {receiver: ns2/amc1/test2, group_by: [job], continue: true}
  - {receiver: ns2/amc2/test2, group_by: [job, instance], continue: true}
receivers: [{name: "null"}, {name: ns1/amc1/test}, {name: ns2/amc1/test2}, {name: ns2/amc2/test2}]`,
  },
  {
    golden: 'skeleton_base_same_namespace_simple_CR_with_namespaceMatcher_disabled_other_namespaces.golden',
    strategy: 'OnNamespaceExceptForAlertmanagerNamespace',
    amNamespace: 'alertmanager-namespace',
    objects: [amc('alertmanager-namespace', 'myamc', { route: { receiver: 'test', groupBy: ['job'] }, receivers: [{ name: 'test' }] })],
    want: `route:
  receiver: "null"
  routes:
  - {receiver: alertmanager-namespace/myamc/test, group_by: [job], continue: true}
receivers: [{name: "null"}, {name: alertmanager-namespace/myamc/test}]`,
  },
  {
    golden: 'skeleton_base_diff_namespace_simple_CR_with_namespaceMatcher_disabled_other_namespaces.golden',
    strategy: 'OnNamespaceExceptForAlertmanagerNamespace',
    amNamespace: 'alertmanager-namespace',
    objects: [amc('mynamespace', 'myamc', { route: { receiver: 'test', groupBy: ['job'] }, receivers: [{ name: 'test' }] })],
    want: `route:
  receiver: "null"
  routes:
  - {receiver: mynamespace/myamc/test, group_by: [job], matchers: ['namespace="mynamespace"'], continue: true}
receivers: [{name: "null"}, {name: mynamespace/myamc/test}]`,
  },
  {
    golden: 'skeleton_base,_CR_with_inhibition_rules_only.golden',
    objects: [
      amc('mynamespace', 'myamc', {
        inhibitRules: [
          { sourceMatch: [{ name: 'alertname', matchType: '=~', value: 'NodeNotReady' }], targetMatch: [{ name: 'alertname', matchType: '!=', value: 'TargetDown' }], equal: ['node'] },
        ],
      }),
    ],
    want: `route: {receiver: "null"}
inhibit_rules:
- target_matchers: ['alertname!="TargetDown"', 'namespace="mynamespace"']
  source_matchers: ['alertname=~"NodeNotReady"', 'namespace="mynamespace"']
  equal: [node]
receivers: [{name: "null"}]`,
  },
  {
    golden: 'skeleton_base_CR_with_inhibition_rules_only_deprecated_matchers_are_converted.golden',
    objects: [
      amc('mynamespace', 'myamc', {
        inhibitRules: [{ sourceMatch: [{ name: 'alertname', value: 'NodeNotReady', regex: true }], targetMatch: [{ name: 'alertname', value: 'TargetDown' }], equal: ['node'] }],
      }),
    ],
    want: `route: {receiver: "null"}
inhibit_rules:
- target_matchers: ['alertname="TargetDown"', 'namespace="mynamespace"']
  source_matchers: ['alertname=~"NodeNotReady"', 'namespace="mynamespace"']
  equal: [node]
receivers: [{name: "null"}]`,
  },
  {
    golden: 'CR_with_Pagerduty_Receiver.golden',
    objects: [
      amc('mynamespace', 'myamc', {
        route: { receiver: 'test-pd' },
        receivers: [
          {
            name: 'test-pd',
            pagerdutyConfigs: [
              {
                routingKey: { name: 'am-pd-test-receiver', key: 'routingKey' },
                pagerDutyImageConfigs: [{ src: 'https://some-image.com', href: 'https://some-image.com', alt: 'some-image' }],
                pagerDutyLinkConfigs: [{ href: 'https://some-link.com', alt: 'some-link' }],
              },
            ],
          },
        ],
      }),
    ],
    want: `route:
  receiver: "null"
  routes: [{receiver: mynamespace/myamc/test-pd, matchers: ['namespace="mynamespace"'], continue: true}]
receivers:
- name: "null"
- name: mynamespace/myamc/test-pd
  pagerduty_configs:
  - routing_key: 1234abc
    images: [{src: https://some-image.com, alt: some-image, href: https://some-image.com}]
    links: [{href: https://some-link.com, text: some-link}]`,
  },
  {
    golden: 'CR_with_Opsgenie_Receiver.golden',
    objects: [
      amc('mynamespace', 'myamc', { route: { receiver: 'test' }, receivers: [{ name: 'test', opsgenieConfigs: [{ apiKey: { name: 'am-og-test-receiver', key: 'apiKey' } }] }] }),
    ],
    want: `route:
  receiver: "null"
  routes: [{receiver: mynamespace/myamc/test, matchers: ['namespace="mynamespace"'], continue: true}]
receivers:
- name: "null"
- name: mynamespace/myamc/test
  opsgenie_configs: [{api_key: 1234abc}]`,
  },
  {
    golden: 'CR_with_WeChat_Receiver.golden',
    objects: [
      amc('mynamespace', 'myamc', {
        route: { receiver: 'test' },
        receivers: [{ name: 'test', wechatConfigs: [{ apiSecret: { name: 'wechat-config', key: 'apiSecret' }, corpID: 'wechatcorpid' }] }],
      }),
    ],
    want: `route:
  receiver: "null"
  routes: [{receiver: mynamespace/myamc/test, matchers: ['namespace="mynamespace"'], continue: true}]
receivers:
- name: "null"
- name: mynamespace/myamc/test
  wechat_configs: [{api_secret: wechatsecret, corp_id: wechatcorpid}]`,
  },
  {
    golden: 'CR_with_Telegram_Receiver.golden',
    objects: [
      amc('mynamespace', 'myamc', {
        route: { receiver: 'test' },
        receivers: [{ name: 'test', telegramConfigs: [{ apiURL: 'https://api.telegram.org', botToken: { name: 'telegram-bot-token', key: 'bot-token' }, chatID: 12345 }] }],
      }),
    ],
    want: `route:
  receiver: "null"
  routes: [{receiver: mynamespace/myamc/test, matchers: ['namespace="mynamespace"'], continue: true}]
receivers:
- name: "null"
- name: mynamespace/myamc/test
  telegram_configs: [{api_url: https://api.telegram.org, bot_token: bipbop, chat_id: 12345}]`,
  },
  {
    golden: 'CR_with_Webhook_Receiver_and_Timeout_Setup.golden',
    objects: [amc('mynamespace', 'myamc', { route: { receiver: 'test' }, receivers: [{ name: 'test', webhookConfigs: [{ url: 'https://example.com/', timeout: '5s' }] }] })],
    want: `route:
  receiver: "null"
  routes: [{receiver: mynamespace/myamc/test, matchers: ['namespace="mynamespace"'], continue: true}]
receivers:
- name: "null"
- name: mynamespace/myamc/test
  webhook_configs: [{url: https://example.com/, timeout: 5s}]`,
  },
  {
    golden: 'CR_with_Mute_Time_Intervals.golden',
    base: `global: {slack_api_url_file: /etc/test}\n${SKELETON}`,
    objects: [
      amc('mynamespace', 'myamc', {
        route: { receiver: 'test', muteTimeIntervals: ['test'] },
        muteTimeIntervals: [
          {
            name: 'test',
            timeIntervals: [
              { times: [{ startTime: '08:00', endTime: '17:00' }], weekdays: ['Saturday', 'Sunday'], months: ['January:March'], daysOfMonth: [{ start: 1, end: 10 }], years: ['2030:2050'] },
            ],
          },
        ],
        receivers: [{ name: 'test', slackConfigs: [{ actions: [{ type: 'type', text: 'text', name: 'my-action', confirm: { text: 'text' } }], fields: [{ title: 'title', value: 'value' }] }] }],
      }),
    ],
    want: `global: {slack_api_url_file: /etc/test}
route:
  receiver: "null"
  routes: [{receiver: mynamespace/myamc/test, matchers: ['namespace="mynamespace"'], continue: true, mute_time_intervals: [mynamespace/myamc/test]}]
receivers:
- name: "null"
- name: mynamespace/myamc/test
  slack_configs:
  - fields: [{title: title, value: value}]
    actions: [{type: type, text: text, name: my-action, confirm: {text: text}}]
mute_time_intervals:
- name: mynamespace/myamc/test
  time_intervals:
  - times: [{start_time: "08:00", end_time: "17:00"}]
    weekdays: [saturday, sunday]
    days_of_month: ["1:10"]
    months: ["1:3"]
    years: ['2030:2050']`,
  },
];

describe('prometheus-operator TestGenerateConfig goldens', () => {
  it.each(CASES)('$golden', async (c) => {
    const res = await renderAlertmanagerConfigs(c.base ?? SKELETON, c.objects, {
      matcherStrategy: c.strategy ?? 'OnNamespace',
      alertmanagerNamespace: c.amNamespace ?? 'monitoring',
      readSecret: (ns, name, key) => Promise.resolve(SECRETS[`${ns}/${name}/${key}`]),
    });
    expect([...res.statuses.values()].filter((s) => !s.accepted)).toEqual([]);
    expect(normalize(res.yaml)).toEqual(normalize(c.want));
  });

  it('the v1beta1 spelling (timeIntervals) renders the same as v1alpha1 (muteTimeIntervals)', async () => {
    const period = [{ times: [{ startTime: '08:00', endTime: '17:00' }] }];
    const alpha = amc('ns', 'a', { route: { receiver: 'r', muteTimeIntervals: ['t'] }, receivers: [{ name: 'r' }], muteTimeIntervals: [{ name: 't', timeIntervals: period }] });
    const beta = amc('ns', 'a', { route: { receiver: 'r', muteTimeIntervals: ['t'] }, receivers: [{ name: 'r' }], timeIntervals: [{ name: 't', timeIntervals: period }] }, 'monitoring.coreos.com/v1beta1');
    const opts = { matcherStrategy: 'OnNamespace' as const, alertmanagerNamespace: 'x', readSecret: () => Promise.resolve(undefined) };
    const a = await renderAlertmanagerConfigs(SKELETON, [alpha], opts);
    const b = await renderAlertmanagerConfigs(SKELETON, [beta], opts);
    expect(a.statuses.get('ns/a')).toEqual({ accepted: true, reason: '' });
    expect(b.yaml).toBe(a.yaml);
  });
});
