/**
 * Refusals (400, 401, 403, 429) in the error shape of the API family a path belongs to, as each
 * family already answers its own errors: Alertmanager v2 a bare JSON string, Prometheus' query API
 * its `{status:"error", errorType, error}` envelope, Herald's API `{error}`, everything else (Mimir's
 * config APIs, remote_write, operations) plain text.
 */
import type { FastifyReply } from 'fastify';
import { sendTextError, sendV2Error } from '../errors.js';

export type RefusalStatus = 400 | 401 | 403 | 429;

const V2_PATH = /^\/(alertmanager\/)?api\/v2(\/|$)/;
const PROMETHEUS_PATH = /^\/prometheus\/api\/v1(\/|$)/;
const HERALD_PATH = /^\/api\/herald\/v1(\/|$)/;

/** Prometheus has no errorType for these; the names say what happened. */
const PROMETHEUS_ERROR_TYPE: Readonly<Record<RefusalStatus, string>> = {
  400: 'bad_data',
  401: 'unauthorized',
  403: 'forbidden',
  429: 'too_many_requests',
};

/** The API family of a request path (query string ignored). */
export function errorFamily(url: string): 'alertmanager' | 'prometheus' | 'herald' | 'text' {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (V2_PATH.test(path)) return 'alertmanager';
  if (PROMETHEUS_PATH.test(path)) return 'prometheus';
  if (HERALD_PATH.test(path)) return 'herald';
  return 'text';
}

/** Sends a refusal for the request at `url`. */
export function sendRefusal(reply: FastifyReply, url: string, status: RefusalStatus, message: string): FastifyReply {
  switch (errorFamily(url)) {
    case 'alertmanager':
      return sendV2Error(reply, status, message);
    case 'prometheus':
      return reply.code(status).header('content-type', 'application/json').send(JSON.stringify({ status: 'error', errorType: PROMETHEUS_ERROR_TYPE[status], error: message }));
    case 'herald':
      return reply.code(status).header('content-type', 'application/json').send(JSON.stringify({ error: message }));
    case 'text':
      return sendTextError(reply, status, message);
  }
}
