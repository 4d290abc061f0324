import { describe, expect, it } from 'vitest';
import { FakeHttp, ManualClock } from '../../test-fakes.js';
import { alert, defaultTemplates, GOLDEN_ALERT, notifyCtx, NOW, resolved, serverPool, testDeps, validated } from '../../../../net/test-fakes.js';
import { groupKeyHash } from '../shared/templating.js';
import { snsConfig } from './config.js';
import { createSnsNotifier, encodeForm, MAX_SMS_BYTES } from './notifier.js';
import { signV4 } from './sigv4.js';

const serve = serverPool();
const OK = () => ({ status: 200, body: '<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>' });
const SIG = { region: 'eu-west-1', access_key: 'AKIDEXAMPLE', secret_key: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const cfg = (raw: Record<string, unknown>) => validated(snsConfig, { sigv4: SIG, ...raw });
const deps = () => testDeps({ clock: new ManualClock(NOW) });
const form = (body: string) => Object.fromEntries(new URLSearchParams(body));

describe('sns Publish', () => {
  it('sends the exact signed request for a topic', async () => {
    const s = await serve(OK);
    const n = createSnsNotifier(cfg({ api_url: s.url, topic_arn: 'arn:aws:sns:eu-west-1:123:alerts', attributes: { team: '{{ .Receiver }}', env: 'prod' } }), deps());
    expect(await n.notify(notifyCtx(), [alert({ alertname: 'X' })])).toEqual({ ok: true });
    expect(s.requests).toHaveLength(1);
    const req = s.requests[0]!;
    const body =
      'Action=Publish&Message=%5Bsns.default.message%3Afiring%5D' +
      '&MessageAttributes.entry.1.Name=env&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=prod' +
      '&MessageAttributes.entry.2.Name=team&MessageAttributes.entry.2.Value.DataType=String&MessageAttributes.entry.2.Value.StringValue=team-X' +
      '&Subject=%5Bsns.default.subject%3Afiring%5D&TopicArn=arn%3Aaws%3Asns%3Aeu-west-1%3A123%3Aalerts&Version=2010-03-31';
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/');
    expect(req.body).toBe(body);
    const host = new URL(s.url).host;
    const expected = signV4({ method: 'POST', url: `${s.url}/`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body, region: 'eu-west-1', service: 'sns', accessKey: SIG.access_key, secretKey: SIG.secret_key, now: NOW });
    expect(expected.canonicalRequest.split('\n').slice(0, 6)).toEqual(['POST', '/', '', 'content-type:application/x-www-form-urlencoded', `host:${host}`, 'x-amz-date:20240101T120500Z']);
    expect(req.headers).toEqual({
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'Alertmanager/0.34.0',
      'x-amz-date': '20240101T120500Z',
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-1/sns/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${expected.signature}`,
    });
  });

  it('FIFO topics carry the group key hash; resolved data is templated', async () => {
    const s = await serve(OK);
    await createSnsNotifier(cfg({ api_url: `${s.url}/sns`, topic_arn: 'arn:aws:sns:eu-west-1:1:t.fifo', subject: '', message: '{{ .Status }}' }), deps()).notify(notifyCtx(), [resolved({ a: '1' })]);
    const f = form(s.requests[0]!.body);
    const h = groupKeyHash('{}:{alertname="HighLatency"}');
    expect(s.requests[0]!.url).toBe('/sns/');
    expect(f).toEqual({ Action: 'Publish', Version: '2010-03-31', Message: 'resolved', TopicArn: 'arn:aws:sns:eu-west-1:1:t.fifo', MessageDeduplicationId: h, MessageGroupId: h });
  });

  it('SMS messages are cut to 1600 bytes and flagged', async () => {
    const s = await serve(OK);
    await createSnsNotifier(cfg({ api_url: s.url, phone_number: '+15555550100', message: 'é'.repeat(1000) }), deps()).notify(notifyCtx(), [alert({ a: '1' })]);
    const f = form(s.requests[0]!.body);
    expect(Buffer.byteLength(f['Message']!, 'utf8')).toBe(MAX_SMS_BYTES);
    expect(f['PhoneNumber']).toBe('+15555550100');
    expect(f['MessageAttributes.entry.1.Name']).toBe('truncated');
    expect(f['MessageAttributes.entry.1.Value.StringValue']).toBe('true');
  });

  it.each([
    { status: 400, retryable: false, reason: 'clientError' },
    { status: 403, retryable: false, reason: 'authError' },
    { status: 500, retryable: true, reason: 'serverError' },
  ])('an AWS error $status', async ({ status, retryable, reason }) => {
    const xml = '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: TopicArn &amp; co</Message></Error></ErrorResponse>';
    const s = await serve(() => ({ status, body: xml }));
    const r = await createSnsNotifier(cfg({ api_url: s.url, target_arn: 'arn:t' }), deps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r).toEqual({ ok: false, retryable, reason, error: `unexpected status code ${status}: Invalid parameter: TopicArn & co` });
  });

  it('template errors are retried as upstream does, without a request', async () => {
    const s = await serve(OK);
    const r = await createSnsNotifier(cfg({ api_url: s.url, topic_arn: 'arn:t', message: '{{ nope }}' }), deps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: true, reason: 'clientError' });
    expect(r.ok ? '' : r.error).toMatch(/^execute 'message' template: /);
    expect(s.requests).toHaveLength(0);
  });

  it('refuses credentials it cannot resolve, and needs a region', async () => {
    const noKeys = validated(snsConfig, { topic_arn: 'arn:t', sigv4: { region: 'eu-west-1' } });
    expect(await createSnsNotifier(noKeys, deps()).notify(notifyCtx(), [alert({ a: '1' })])).toMatchObject({ ok: false, retryable: false });
    const role = validated(snsConfig, { topic_arn: 'arn:t', sigv4: { ...SIG, role_arn: 'arn:aws:iam::1:role/x' } });
    const r = await createSnsNotifier(role, deps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r.ok ? '' : r.error).toContain('sigv4.role_arn is not supported');
    const noRegion = validated(snsConfig, { topic_arn: 'arn:t', sigv4: { access_key: 'a', secret_key: 'b' } });
    expect(await createSnsNotifier(noRegion, deps()).notify(notifyCtx(), [alert({ a: '1' })])).toEqual({
      ok: false,
      retryable: true,
      error: 'region not configured in sns.sigv4.region or in default credentials chain',
    });
  });

  it('form encoding follows url.Values.Encode', () => {
    expect(encodeForm([['b', 'x y'], ['a', "~!*'()"], ['a.1', 'é&=']])).toBe('a=~%21%2A%27%28%29&a.1=%C3%A9%26%3D&b=x+y');
  });
});

describe('sns with the built-in default templates', () => {
  it('renders the default subject', async () => {
    const s = await serve(OK);
    await createSnsNotifier(cfg({ api_url: s.url, topic_arn: 'arn:t' }), testDeps({ clock: new ManualClock(NOW), templates: defaultTemplates() })).notify(notifyCtx(), [GOLDEN_ALERT]);
    expect(form(s.requests[0]!.body)['Subject']).toBe('[FIRING:1] HighLatency (critical)');
  });
});

describe('sns template errors (upstream TestNotifyWithInvalidTemplate)', () => {
  const UNKNOWN = '{{ template "unknown_template" . }}';
  it.each([
    { field: 'attributes', raw: { attributes: { attribName1: UNKNOWN } } },
    { field: 'topic_arn', raw: { topic_arn: UNKNOWN } },
    { field: 'phone_number', raw: { phone_number: UNKNOWN } },
    { field: 'message', raw: { message: UNKNOWN } },
    { field: 'subject', raw: { subject: UNKNOWN } },
    { field: 'api_url', raw: { api_url: UNKNOWN } },
    { field: 'target_arn', raw: { target_arn: UNKNOWN } },
  ])('$field', async ({ field, raw }) => {
    const c = { type: 'sns', index: 0, sendResolved: true, settings: { topic_arn: 'TestTopic', sigv4: { region: 'us-west-2', role_arn: 'my:role/arn', external_id: 'external_id' }, subject: '', message: '', ...raw } };
    const r = await createSnsNotifier(c, testDeps({ templates: defaultTemplates(), http: new FakeHttp() })).notify(notifyCtx(), []);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toContain(`execute '${field}' template`);
    expect(r.ok ? '' : r.error).toContain('template "unknown_template" not defined');
  });
});
