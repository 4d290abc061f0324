import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { marshalConfig } from './marshal.js';

const BASE = 'route:\n  receiver: r\nreceivers:\n- name: r\n';

function issuesOf(text: string, tenantMode = false): Array<[number, number, string]> {
  const res = loadConfig(text, { tenantMode });
  if (res.ok) return [];
  return res.issues.map((i) => [i.range?.start.line ?? 0, i.range?.start.column ?? 0, i.message]);
}

describe('loadConfig: problems with line and column', () => {
  it.each<[string, string, Array<[number, number, string]>]>([
    ['empty document', '', [[0, 0, 'no route provided in config']]],
    ['yaml syntax', 'route:\n  receiver: [r\n', [[3, 1, expect.stringContaining('Flow sequence')]]],
    ['duplicate key', 'route:\n  receiver: r\n  receiver: s\nreceivers:\n- name: r\n', [[3, 3, expect.stringContaining('duplicate key')]]],
    ['unknown top-level key', BASE + 'recievers: []\n', [[5, 1, 'field recievers not found in type config.plain']]],
    ['unknown key in a webhook', BASE + '  webhook_configs:\n  - url: http://x/\n    urll: http://y/\n', [[7, 5, 'field urll not found in type webhook.plain']]],
    ['continue in root', 'route:\n  receiver: r\n  continue: true\nreceivers:\n- name: r\n', [[3, 13, 'cannot have continue in root route']]],
    ['root without receiver', 'route:\n  group_wait: 1m\nreceivers:\n- name: r\n', [[2, 3, 'root route must specify a default receiver']]],
    ['root with matchers', 'route:\n  receiver: r\n  match:\n    a: b\nreceivers:\n- name: r\n', [[2, 3, 'root route must not have any matchers']]],
    ['undefined receiver', 'route:\n  receiver: r\n  routes:\n  - receiver: nope\nreceivers:\n- name: r\n', [[4, 15, 'undefined receiver "nope" used in route']]],
    ['undefined time interval', 'route:\n  receiver: r\n  routes:\n  - mute_time_intervals: [off]\nreceivers:\n- name: r\n', [[4, 27, 'undefined time interval "off" used in route']]],
    ['group_by wildcard and labels', 'route:\n  receiver: r\n  group_by: [a, "..."]\nreceivers:\n- name: r\n', [[3, 13, 'cannot have wildcard group_by (`...`) and other labels at the same time']]],
    ['duplicated group_by label', 'route:\n  receiver: r\n  group_by: [a, a]\nreceivers:\n- name: r\n', [[3, 17, 'duplicated label "a" in group_by']]],
    ['zero group_interval', 'route:\n  receiver: r\n  group_interval: 0s\nreceivers:\n- name: r\n', [[3, 19, 'group_interval cannot be zero']]],
    ['bad duration', 'route:\n  receiver: r\n  group_wait: 5 minutes\nreceivers:\n- name: r\n', [[3, 15, 'not a valid duration string: "5 minutes"']]],
    ['invalid match label name', 'route:\n  receiver: r\n  routes:\n  - match:\n      a-b: c\nreceivers:\n- name: r\n', [[5, 7, 'invalid label name "a-b"']]],
    ['nil match_re value', 'route:\n  receiver: r\n  routes:\n  - match_re:\n      foo:\nreceivers:\n- name: r\n', [[5, 7, 'invalid regexp value for "foo"']]],
    ['duplicate receiver', BASE + '- name: r\n', [[5, 9, 'notification config name "r" is not unique']]],
    ['receiver without name', BASE + '- webhook_configs: []\n', [[5, 3, 'missing name in receiver']]],
    ['null integration entry', BASE + '  webhook_configs:\n  -\n', [[6, 4, 'missing webhook config']]],
    ['email without smarthost', BASE + '  email_configs:\n  - to: a@b\n    from: c@d\n', [[6, 5, 'no global SMTP smarthost set']]],
    ['bad global URL', 'global:\n  pagerduty_url: ftp://x\n' + BASE, [[2, 18, 'unsupported scheme "ftp" for URL']]],
    ['yaml 1.1 words', 'route:\n  receiver: r\n  continue: yes\nreceivers:\n- name: r\n', [[3, 13, 'cannot have continue in root route']]],
    ['type mismatch', 'route:\n  receiver: r\n  continue: [x]\nreceivers:\n- name: r\n', [[3, 13, 'cannot unmarshal !!seq into bool']]],
  ])('%s', (_name, text, want) => {
    expect(issuesOf(text)).toEqual(want);
  });

  it('returns every problem at once, sorted by position', () => {
    const text = 'route:\n  receiver: nope\n  grouup_by: [a]\n  group_wait: x\nreceivers:\n- name: r\n  webhook_configs:\n  - {}\n';
    expect(issuesOf(text)).toEqual([
      [2, 13, 'undefined receiver "nope" used in route'],
      [3, 3, 'field grouup_by not found in type config.plain'],
      [4, 15, 'not a valid duration string: "x"'],
      [8, 5, 'one of url or url_file must be configured'],
    ]);
  });
});

describe('loadConfig: tenant mode', () => {
  const withFile = BASE + '  webhook_configs:\n  - url_file: /etc/secret\n';
  const withProxy = 'global:\n  http_config:\n    proxy_url: http://proxy:3128\n' + BASE;
  const withTls = BASE + '  webhook_configs:\n  - url: http://x/\n    http_config:\n      tls_config:\n        ca_file: /ca.pem\n';
  it.each([
    ['file secret', withFile, [6, 5, 'setting url_file is not allowed in tenant configurations: file-based secrets and local files cannot be used']],
    ['proxy', withProxy, [3, 5, 'setting proxy_url is not allowed in tenant configurations']],
    ['header files', BASE + '  webhook_configs:\n  - url: http://x/\n    http_config:\n      http_headers:\n        X-Key:\n          files: [/k]\n', [10, 11, 'setting files is not allowed in tenant configurations: file-based secrets and local files cannot be used']],
    ['tls file', withTls, [9, 9, 'setting ca_file is not allowed in tenant configurations: file-based secrets and local files cannot be used']],
  ])('rejects %s only in tenant mode', (_n, text, want) => {
    expect(issuesOf(text)).toEqual([]);
    expect(issuesOf(text, true)).toEqual([want]);
  });
});

describe('loadConfig: defaults and fill-ins', () => {
  it('applies upstream defaults and global values', () => {
    const text = [
      'global:',
      '  opsgenie_api_key: k',
      '  opsgenie_api_url: https://og.example/v2',
      '  smtp_smarthost: mail:25',
      '  smtp_from: am@example.org',
      '  http_config:',
      '    basic_auth: {username: u, password: p}',
      'route:',
      '  receiver: r',
      'receivers:',
      '- name: r',
      '  opsgenie_configs: [{}]',
      '  email_configs: [{to: x@y}]',
      '  webhook_configs: [{url: "http://h/"}]',
    ].join('\n');
    const res = loadConfig(text);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const byType = new Map(res.value.receivers[0]!.integrations.map((i) => [i.type, i]));
    const og = byType.get('opsgenie');
    const email = byType.get('email');
    const wh = byType.get('webhook');
    expect(og).toMatchObject({ type: 'opsgenie', index: 0, sendResolved: true });
    expect(og!.settings['api_url']).toBe('https://og.example/v2/');
    expect(og!.settings['api_key']).toBe('k');
    expect(email).toMatchObject({ type: 'email', sendResolved: false });
    expect(email!.settings).toMatchObject({ smarthost: 'mail:25', from: 'am@example.org', hello: 'localhost', require_tls: true });
    expect(wh!.settings['http_config']).toMatchObject({ basic_auth: { username: 'u', password: 'p' }, follow_redirects: true });
    expect(res.value.global.resolveTimeoutMs).toBe(300_000);
    expect(res.value.receivers[0]!.labels).toEqual({ name: 'r' });
  });

  it('builds the route tree with group_by and matchers', () => {
    const text = 'route:\n  receiver: r\n  group_by: ["..."]\n  routes:\n  - match: {b: "2", a: "1"}\n    group_by: []\n    repeat_interval: 1d\nreceivers:\n- name: r\n';
    const res = loadConfig(text);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const root = res.value.route;
    expect(root.groupByAll).toBe(true);
    expect(root.groupBy).toEqual([]);
    const child = root.routes[0]!;
    expect(child.matchers.map((m) => `${m.name}${m.type}${m.value}`)).toEqual(['a=1', 'b=2']);
    expect(child.groupBy).toEqual([]);
    expect(child.groupByAll).toBe(false);
    expect(child.repeatIntervalMs).toBe(86_400_000);
    expect(child.receiver).toBeUndefined();
  });
});

describe('loadConfig: inhibit rules, matchers and time intervals', () => {
  it('builds inhibit rules from every matcher spelling', () => {
    const text = BASE + 'inhibit_rules:\n- name: i\n  source_match: {severity: critical}\n  target_matchers: [\'severity="warning"\', \'team=~"a|b"\']\n  equal: [cluster]\n';
    const res = loadConfig(text);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const rule = res.value.inhibitRules[0]!;
    expect(rule.name).toBe('i');
    expect(rule.sourceMatchers.map((m) => `${m.name}${m.type}${m.value}`)).toEqual(['severity=critical']);
    expect(rule.targetMatchers.map((m) => `${m.name}${m.type}${m.value}`)).toEqual(['severity=warning', 'team=~a|b']);
    expect(rule.targetMatchers[1]!.matches('b')).toBe(true);
    expect(rule.targetMatchers[1]!.matches('ab')).toBe(false);
    expect(rule.equal).toEqual(['cluster']);
  });

  it.each<[string, string, Array<[number, number, string]>]>([
    ['bad source regex', BASE + 'inhibit_rules:\n- equal: ["a\\xff"]\n  source_match_re: {a: "("}\n', [[7, 21, expect.stringContaining('invalid regexp value for "a"')]]],
    ['bad matcher string', 'route:\n  receiver: r\n  routes:\n  - matchers: ["!!!"]\n    receiver: r\nreceivers:\n- name: r\n', [[4, expect.toSatisfy((c: number) => c === 16 || c === 17), expect.any(String)]]],
    ['unnamed time interval', BASE + 'time_intervals:\n- time_intervals: []\n', [[6, 3, 'missing name in time interval']]],
    ['duplicate interval names', BASE + 'mute_time_intervals:\n- name: a\n  time_intervals: []\ntime_intervals:\n- name: a\n  time_intervals: []\n', [[9, 9, 'time interval "a" is not unique']]],
    ['time interval not a mapping', BASE + 'time_intervals:\n- name: a\n  time_intervals: [5]\n', [[7, 20, expect.any(String)]]],
  ])('%s', (_n, text, want) => {
    expect(issuesOf(text)).toEqual(want);
  });

  it('accepts named time intervals used by routes', () => {
    const text = 'route:\n  receiver: r\n  routes:\n  - receiver: r\n    mute_time_intervals: [weekends]\nreceivers:\n- name: r\ntime_intervals:\n- name: weekends\n  time_intervals:\n  - weekdays: [saturday, sunday]\n';
    const res = loadConfig(text);
    expect(res.ok ? [] : res.issues).toEqual([]);
    if (res.ok) expect([...res.value.timeIntervals.keys()]).toEqual(['weekends']);
  });
});

describe('marshalConfig', () => {
  it('prints upstream names, defaults, secrets and durations', () => {
    const text = 'global:\n  slack_api_url: https://hooks.slack.com/x\n  resolve_timeout: 90s\nroute:\n  receiver: r\n  group_wait: 1h30m\nreceivers:\n- name: r\n  webhook_configs:\n  - url: http://user:pw@h:8080/token?k=v\n    timeout: 1m30s\n';
    const res = loadConfig(text);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const out = marshalConfig(res.value);
    expect(out).toContain('  resolve_timeout: 1m30s\n');
    expect(out).toContain('  slack_api_url: <secret>\n');
    expect(out).toContain('  group_wait: 1h30m\n');
    // Scheme and host stay (amtool 0.25 must parse it); credentials, path and query do not.
    expect(out).toContain('    url: http://h:8080/<secret>\n');
    expect(out).not.toContain('pw');
    expect(out).toContain('    timeout: 1m30s\n');
    expect(out).toContain('  - send_resolved: true\n');
    expect(out).toContain('templates: []\n');
    expect(out).not.toContain('hooks.slack.com');
    const again = loadConfig(out);
    expect(again.ok).toBe(true);
  });
});
