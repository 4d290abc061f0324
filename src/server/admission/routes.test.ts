import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMISSION_PATH, admissionRoutes } from './routes.js';

let app: FastifyInstance;

beforeEach(async () => {
  app = Fastify();
  await app.register(admissionRoutes({ bodyLimit: 64 * 1024 }));
  await app.ready();
});

afterEach(async () => {
  await app.close();
});

const GOOD = {
  apiVersion: 'monitoring.coreos.com/v1beta1',
  kind: 'AlertmanagerConfig',
  metadata: { namespace: 'team-a', name: 'routing' },
  spec: { route: { receiver: 'r' }, receivers: [{ name: 'r', webhookConfigs: [{ url: 'https://hooks.example.org/' }] }] },
};

/** A review as kube-apiserver sends it (k8s.io/api/admission/v1). */
function review(object: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      kind: { group: 'monitoring.coreos.com', version: 'v1beta1', kind: 'AlertmanagerConfig' },
      resource: { group: 'monitoring.coreos.com', version: 'v1beta1', resource: 'alertmanagerconfigs' },
      name: 'routing',
      namespace: 'team-a',
      operation: 'CREATE',
      userInfo: { username: 'alice', groups: ['system:authenticated'] },
      object,
      oldObject: null,
      dryRun: false,
      ...extra,
    },
  };
}

async function post(payload: unknown, contentType = 'application/json'): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await app.inject({ method: 'POST', url: ADMISSION_PATH, headers: { 'content-type': contentType }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
  return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, unknown> };
}

describe('POST /admission-alertmanagerconfigs/validate', () => {
  it('allows a valid object and echoes the uid', async () => {
    const res = await post(review(GOOD));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true } });
  });

  it('denies an invalid object with the reason', async () => {
    const bad = { ...GOOD, spec: { route: { receiver: 'missing' }, receivers: [{ name: 'r' }] } };
    const res = await post(review(bad, { operation: 'UPDATE', oldObject: GOOD }));
    expect(res.status).toBe(200);
    const response = res.body['response'] as Record<string, unknown>;
    expect(response['uid']).toBe('705ab4f5-6393-11e8-b7cc-42010a800002');
    expect(response['allowed']).toBe(false);
    expect(response['status']).toEqual({
      status: 'Failure',
      code: 422,
      reason: 'Invalid',
      message: 'AlertmanagerConfig is invalid: spec.route.receiver: receiver "missing" is not defined in this object',
    });
  });

  it('allows deletes without looking at the object', async () => {
    const res = await post(review(null, { operation: 'DELETE', oldObject: GOOD }));
    expect((res.body['response'] as Record<string, unknown>)['allowed']).toBe(true);
  });

  it('denies a review without an object for CREATE', async () => {
    const res = await post(review(undefined));
    expect(res.body['response']).toMatchObject({ allowed: false, status: { message: 'request.object is missing' } });
  });

  it.each([
    ['not JSON', '{"apiVersion": ', /not valid JSON/],
    ['an array', '[]', /must be a JSON object/],
    ['the v1beta1 review', JSON.stringify({ ...review(GOOD), apiVersion: 'admission.k8s.io/v1beta1' }), /apiVersion must be "admission.k8s.io\/v1"/],
    ['another kind', JSON.stringify({ ...review(GOOD), kind: 'TokenReview' }), /kind must be "AdmissionReview"/],
    ['no request', JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }), /request is missing/],
    ['no uid', JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { object: GOOD } }), /request\.uid/],
    ['an empty body', '', /not valid JSON/],
  ])('answers 400 with a reason for %s', async (_name, payload, reason) => {
    const res = await post(payload);
    expect(res.status).toBe(400);
    expect(String(res.body['error'])).toMatch(reason);
  });

  it('reads the body whatever the content type says', async () => {
    const res = await post(review(GOOD), 'text/plain');
    expect(res.status).toBe(200);
  });

  it('refuses bodies over the limit', async () => {
    const big = review({ ...GOOD, metadata: { ...GOOD.metadata, annotations: { a: 'x'.repeat(70 * 1024) } } });
    const res = await app.inject({ method: 'POST', url: ADMISSION_PATH, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(big) });
    expect(res.statusCode).toBe(413);
  });
});
