import { describe, expect, it } from 'vitest';
import { validateAlertmanagerConfigObject } from './validate.js';

function amc(spec: unknown, apiVersion = 'monitoring.coreos.com/v1alpha1', metadata: unknown = { namespace: 'team-a', name: 'routing' }): unknown {
  return { apiVersion, kind: 'AlertmanagerConfig', metadata, spec };
}

const SECRET = { name: 's', key: 'k' };

describe('validateAlertmanagerConfigObject', () => {
  it.each([
    ['empty spec', amc({})],
    ['no spec', { apiVersion: 'monitoring.coreos.com/v1beta1', kind: 'AlertmanagerConfig', metadata: { namespace: 'a', name: 'b' } }],
    ['slack relying on the global URL', amc({ route: { receiver: 'r' }, receivers: [{ name: 'r', slackConfigs: [{ channel: '#a' }] }] })],
    ['pagerduty with a secret', amc({ route: { receiver: 'r' }, receivers: [{ name: 'r', pagerdutyConfigs: [{ routingKey: SECRET, details: [{ key: 'a', value: 'b' }] }] }] })],
    ['http config with basic auth and bearer', amc({ route: { receiver: 'r' }, receivers: [{ name: 'r', webhookConfigs: [{ url: 'https://x.example/', httpConfig: { basicAuth: { username: SECRET, password: SECRET } } }] }] })],
    ['sub-routes with intervals', amc({ route: { receiver: 'r', routes: [{ matchers: [{ name: 'a', value: 'b' }], activeTimeIntervals: ['office'] }] }, receivers: [{ name: 'r' }], muteTimeIntervals: [{ name: 'office', timeIntervals: [{ weekdays: ['monday:friday'] }] }] })],
    ['v1beta1 time intervals', amc({ route: { receiver: 'r', muteTimeIntervals: ['w'] }, receivers: [{ name: 'r' }], timeIntervals: [{ name: 'w', timeIntervals: [{ months: ['December'] }] }] }, 'monitoring.coreos.com/v1beta1')],
    ['sns with sigv4', amc({ route: { receiver: 'r' }, receivers: [{ name: 'r', snsConfigs: [{ topicARN: 'arn:aws:sns:us-east-1:1:t', sigv4: { region: 'us-east-1', accessKey: SECRET, secretKey: SECRET } }] }] })],
  ])('accepts %s', (_name, obj) => {
    expect(validateAlertmanagerConfigObject(obj)).toEqual({ ok: true });
  });

  it.each([
    ['not an object', 'x', /JSON object/],
    ['another kind', { kind: 'PrometheusRule' }, /kind: expected AlertmanagerConfig/],
    ['bad apiVersion', amc({}, 'monitoring.coreos.com/v1'), /apiVersion/],
    ['no namespace', amc({}, 'monitoring.coreos.com/v1alpha1', { name: 'x' }), /metadata\.namespace/],
    ['a slash in the name', amc({}, 'monitoring.coreos.com/v1alpha1', { namespace: 'a', name: 'x/y' }), /metadata\.name/],
    ['spec not an object', amc([1]), /spec must be an object/],
    ['top route without receiver', amc({ route: { groupBy: ['a'] }, receivers: [{ name: 'r' }] }), /spec\.route\.receiver: the top route must name a receiver/],
    ['duplicate receivers', amc({ receivers: [{ name: 'r' }, { name: 'r' }] }), /spec\.receivers\[1\]\.name: receiver "r" is defined more than once/],
    ['unknown receiver type', amc({ receivers: [{ name: 'r', jiraConfigs: [{}] }] }), /spec\.receivers\[0\]\.jiraConfigs: unknown receiver field/],
    ['unknown integration field', amc({ receivers: [{ name: 'r', slackConfigs: [{ chanel: '#a' }] }] }), /slackConfigs\[0\]\.chanel: unknown field/],
    ['secret as a string', amc({ receivers: [{ name: 'r', opsgenieConfigs: [{ apiKey: 'plain' }] }] }), /apiKey: must be a secret key selector/],
    ['configMap reference', amc({ receivers: [{ name: 'r', webhookConfigs: [{ url: 'https://x/', httpConfig: { tlsConfig: { ca: { configMap: { name: 'c', key: 'k' } } } } }] }] }), /configMap references are not supported/],
    ['bad match type', amc({ route: { receiver: 'r', matchers: [{ name: 'a', value: 'b', matchType: '~' }] }, receivers: [{ name: 'r' }] }), /matchType "~"/],
    ['regex on v1beta1', amc({ route: { receiver: 'r', matchers: [{ name: 'a', value: 'b', regex: true }] }, receivers: [{ name: 'r' }] }, 'monitoring.coreos.com/v1beta1'), /matchers\[0\]\.regex: unknown field/],
    ['v1alpha1 field on v1beta1', amc({ muteTimeIntervals: [] }, 'monitoring.coreos.com/v1beta1'), /v1beta1 calls it timeIntervals/],
    ['"..." with other labels', amc({ route: { receiver: 'r', groupBy: ['...', 'a'] }, receivers: [{ name: 'r' }] }), /'\.\.\.' must be the only element/],
    ['unknown time interval', amc({ route: { receiver: 'r', muteTimeIntervals: ['x'] }, receivers: [{ name: 'r' }] }), /time interval "x" is not defined/],
    ['bad weekday', amc({ route: { receiver: 'r', muteTimeIntervals: ['x'] }, receivers: [{ name: 'r' }], muteTimeIntervals: [{ name: 'x', timeIntervals: [{ weekdays: ['funday'] }] }] }), /spec\.muteTimeIntervals\[0\]/],
    ['bad webhook URL', amc({ route: { receiver: 'r' }, receivers: [{ name: 'r', webhookConfigs: [{ url: 'not a url' }] }] }), /spec\.receivers\[0\]\.webhook_configs\[0\]/],
    ['bad duration', amc({ route: { receiver: 'r', repeatInterval: '5 minutes' }, receivers: [{ name: 'r' }] }), /spec\.route\.repeat_interval/],
    ['wrong value types', amc({ receivers: [{ name: 'r', telegramConfigs: [{ chatID: '12', sendResolved: 'yes' }] }] }), /chatID: must be an integer.*sendResolved: must be true or false/],
  ])('rejects %s', (_name, obj, reason) => {
    const res = validateAlertmanagerConfigObject(obj);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.reason).toMatch(reason);
  });
});
