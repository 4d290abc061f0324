/**
 * POST /api/v1/push: Prometheus remote_write 1.0 into the request tenant's TSDB, as Mimir serves
 * it. Headers are checked as Prometheus 3.x's receiver does (storage/remote/write_handler.go):
 * a missing Content-Type or Content-Encoding means protobuf and snappy, anything else is 415.
 */
import type { FastifyPluginCallback, FastifyReply } from 'fastify';
import type { Clock, Logger } from '../core/runtime.js';
import { RemoteWriteIngester } from '../ingest/remote-write/ingest.js';
import type { IngestLimits } from '../ingest/remote-write/limits.js';
import type { IngestMetrics } from '../ingest/remote-write/metrics.js';
import type { TsdbSet } from '../tsdb/api.js';
import { sendTextError } from './errors.js';
import { useTenant } from './tenant.js';

export interface RemoteWriteRouteOptions {
  readonly tsdb: TsdbSet;
  readonly limits: (tenant: string) => IngestLimits;
  readonly metrics: IngestMetrics;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Read on every request, as the other tenant-scoped routes do. */
  requireTenant(): boolean;
  /** Largest compressed body (default 16 MiB) and decompressed body (default 64 MiB). */
  readonly maxBodyBytes?: number;
  readonly maxDecodedBytes?: number;
}

const PROTOBUF = 'application/x-protobuf';
const V1_MESSAGE = 'prometheus.WriteRequest';
const V2_MESSAGE = 'io.prometheus.write.v2.Request';

/** Prometheus' parseProtoMsg: the problem with a Content-Type, or undefined for a 1.0 message. */
export function contentTypeProblem(header: string | undefined): string | undefined {
  const contentType = (header ?? PROTOBUF).trim();
  const parts = contentType.split(';');
  if (parts[0]?.trim() !== PROTOBUF) return `expected ${PROTOBUF} as the first (media) part, got ${contentType} content-type`;
  for (const p of parts.slice(1)) {
    const pair = p.split('=');
    if (pair.length !== 2) {
      return `as per https://www.rfc-editor.org/rfc/rfc9110#parameter expected parameters to be key-values, got ${p} in ${contentType} content-type`;
    }
    if (pair[0]?.trim() !== 'proto') continue;
    const msg = (pair[1] ?? '').trim();
    if (msg === V1_MESSAGE) return undefined;
    if (msg === V2_MESSAGE) return `${V2_MESSAGE} protobuf message is not accepted by this server; accepted [${V1_MESSAGE}]`;
    return `got ${contentType} content type; unknown remote write protobuf message ${msg}, supported: ${V1_MESSAGE}, ${V2_MESSAGE}`;
  }
  return undefined;
}

/** The problem with a Content-Encoding, or undefined for snappy (also assumed when absent). */
export function contentEncodingProblem(header: string | undefined): string | undefined {
  if (header === undefined || header === '' || header === 'snappy') return undefined;
  return `${header} encoding (compression) is not accepted by this server; only snappy is acceptable`;
}

function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  // Go's http.Error adds a newline.
  return sendTextError(reply, status, `${message}\n`);
}

/** Fastify plugin: registers POST /api/v1/push (register it without a prefix). */
export function remoteWriteRoutes(opts: RemoteWriteRouteOptions): FastifyPluginCallback {
  const ingester = new RemoteWriteIngester({
    tsdb: opts.tsdb,
    limits: opts.limits,
    metrics: opts.metrics,
    clock: opts.clock,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.maxDecodedBytes !== undefined ? { maxDecodedBytes: opts.maxDecodedBytes } : {}),
  });
  return (app, _opts, done) => {
    useTenant(app, () => opts.requireTenant());
    // Every body arrives raw; the handler judges the Content-Type with Prometheus' wording.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.maxBodyBytes ?? 16 * 1024 * 1024 }, (_req, body, next) => next(null, body));

    app.post('/api/v1/push', async (req, reply) => {
      const ct = req.headers['content-type'];
      const typeProblem = contentTypeProblem(ct === '' ? undefined : ct);
      if (typeProblem !== undefined) return sendError(reply, 415, typeProblem);
      const enc = req.headers['content-encoding'];
      const encProblem = contentEncodingProblem(enc);
      if (encProblem !== undefined) return sendError(reply, 415, encProblem);
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const out = await ingester.push(req.tenant, body);
      reply.header('x-herald-samples-accepted', String(out.accepted)).header('x-herald-samples-rejected', String(out.rejected));
      if (out.status === 204) return reply.code(204).send();
      return sendError(reply, out.status, out.message ?? '');
    });
    done();
  };
}
