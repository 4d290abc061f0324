/**
 * The validating admission webhook for AlertmanagerConfig objects:
 *   POST /admission-alertmanagerconfigs/validate   AdmissionReview v1 in, AdmissionReview v1 out
 * the path prometheus-operator's webhook serves (pkg/admission/admission.go). The verdict comes
 * from validateAlertmanagerConfigObject, which also loads what the object renders to, so objects
 * the Alertmanager would refuse are refused before they are stored. A body that is not an
 * AdmissionReview v1 with a `request.uid` is answered 400 `{error}`; every review gets 200 with
 * `response.uid` echoed, as the API server requires
 * (k8s.io/api/admission/v1 types, "Webhook request and response" in the Kubernetes docs).
 */
import type { FastifyPluginCallback, FastifyReply } from 'fastify';
import { validateAlertmanagerConfigObject } from '../../kube/render/index.js';

export interface AdmissionOptions {
  /** Largest request body in bytes (default 3 MiB: a Kubernetes object is at most ~1.5 MiB). */
  readonly bodyLimit?: number;
}

export const ADMISSION_PATH = '/admission-alertmanagerconfigs/validate';

const DEFAULT_BODY_LIMIT = 3 * 1024 * 1024;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The verdict for one request of a well-formed review. */
export type AdmissionVerdict = { readonly allowed: true } | { readonly allowed: false; readonly message: string };

/** Reads a review; a string is the reason it is malformed. */
export function parseAdmissionReview(body: string): { uid: string; request: Obj } | string {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    return `the body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (!isObj(doc)) return 'the body must be a JSON object (an AdmissionReview)';
  if (doc['apiVersion'] !== 'admission.k8s.io/v1') return `apiVersion must be "admission.k8s.io/v1", got ${JSON.stringify(doc['apiVersion'] ?? null)}`;
  if (doc['kind'] !== 'AdmissionReview') return `kind must be "AdmissionReview", got ${JSON.stringify(doc['kind'] ?? null)}`;
  const request = doc['request'];
  if (!isObj(request)) return 'request is missing';
  const uid = request['uid'];
  if (typeof uid !== 'string' || uid === '') return 'request.uid must be a non-empty string';
  return { uid, request };
}

/** Decides one AdmissionReview request. */
export function reviewAlertmanagerConfig(request: Obj): AdmissionVerdict {
  const op = request['operation'];
  if (op === 'DELETE' || op === 'CONNECT') return { allowed: true };
  const object = request['object'];
  if (!isObj(object)) return { allowed: false, message: 'request.object is missing' };
  const res = validateAlertmanagerConfigObject(object);
  return res.ok ? { allowed: true } : { allowed: false, message: `AlertmanagerConfig is invalid: ${res.reason}` };
}

function sendReview(reply: FastifyReply, uid: string, verdict: AdmissionVerdict): FastifyReply {
  const response = verdict.allowed
    ? { uid, allowed: true }
    : { uid, allowed: false, status: { status: 'Failure', code: 422, reason: 'Invalid', message: verdict.message } };
  return reply.code(200).header('content-type', 'application/json').send(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
}

/** The webhook route; register without a prefix (the API server is configured with this path). */
export function admissionRoutes(opts: AdmissionOptions = {}): FastifyPluginCallback {
  return (app, _o, done) => {
    // Every body as text, whatever its content type, so a malformed one gets our 400 and reason.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT }, (_req, body, next) => next(null, body));
    app.post(ADMISSION_PATH, (req, reply) => {
      const body = typeof req.body === 'string' ? req.body : '';
      const parsed = parseAdmissionReview(body);
      if (typeof parsed === 'string') return reply.code(400).header('content-type', 'application/json').send(JSON.stringify({ error: parsed }));
      return sendReview(reply, parsed.uid, reviewAlertmanagerConfig(parsed.request));
    });
    done();
  };
}
