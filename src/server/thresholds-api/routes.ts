/**
 * The thresholds API for the request's tenant (register with `{ prefix: '/api/herald/v1' }`):
 *   GET    /thresholds           the tenant's document, resolved thresholds, state filters, problems
 *   PUT    /thresholds           a whole YAML document -> 204, 400 `{error, issues}`, 409 (directory)
 *   PATCH  /thresholds           JSON `{"key": value | null}` -> 204, 400, 409
 *   DELETE /thresholds           drops the API document -> 204 (the tenant falls back to defaults)
 *   GET    /thresholds/defaults  the platform's defaults, state filters and allowed keys
 * and, apart, the operator's exposition endpoint `GET /thresholds/metrics` (no tenant: every
 * tenant's `user_threshold` / `user_state_filter` series for an external Prometheus, as the
 * upstream threshold-exporter's /metrics served them).
 * A tenant only ever reads or changes its own document: the tenant comes from X-Scope-OrgID alone.
 * A tenant whose file lives in conf.d is owned by the directory (Git): the API refuses to change it.
 */
import type { FastifyError, FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Issue, Result } from '../../core/result.js';
import type { Logger } from '../../core/runtime.js';
import type { ThresholdService } from '../../thresholds/api.js';
import { applyPatch, ThresholdsDirectoryOwnedError } from '../../thresholds/index.js';
import type { ThresholdPatch } from '../../thresholds/index.js';
import { errorMessage, sendTextError } from '../errors.js';
import { useTenant } from '../tenant.js';
import type { IssueDto } from './dto.js';
import { defaultsDto, issueDto, parsePatchBody, tenantThresholdsDto } from './dto.js';

/** What a document change answers: a refused document comes back with every issue. */
type Change = Result<unknown> | boolean | undefined;

/**
 * The mutations of API documents (ThresholdEngine has them). Invalid documents are refused with
 * `{ ok: false, issues }` and never stored; a change to a tenant whose file lives in conf.d throws
 * ThresholdsDirectoryOwnedError.
 */
export interface ThresholdDocuments {
  putDocument(tenant: string, text: string): Promise<Change>;
  /** Key changes (null = back to the default), keeping the document's comments. */
  patchDocument(tenant: string, changes: ThresholdPatch): Promise<Change>;
  /** Drops the tenant's API document (a no-op when it has none). */
  deleteDocument(tenant: string): Promise<Change>;
}

export interface ThresholdsApiOptions {
  /** The threshold engine, read on every request: a reload may replace it. */
  thresholds(): ThresholdService & ThresholdDocuments;
  readonly logger: Logger;
  /** Read on every request: /-/reload may change it. */
  requireTenant(): boolean;
  /** Largest PUT/PATCH body and largest patched document, in bytes (default 64 KiB); larger: 413. */
  readonly maxDocumentBytes?: number;
}

export const DEFAULT_MAX_DOCUMENT_BYTES = 64 * 1024;

function sendError(reply: FastifyReply, status: number, message: string, issues?: readonly IssueDto[]): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json')
    .send(JSON.stringify(issues ? { error: message, issues } : { error: message }));
}

/** The error text of a refused document: the first problems, positions included. */
function summary(issues: readonly Issue[], what = 'invalid thresholds document'): string {
  const first = issues.slice(0, 3).map((it) => (it.range ? `line ${it.range.start.line}, column ${it.range.start.column}: ${it.message}` : it.message));
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return `${what}: ${first.join('; ')}${more}`;
}

/** Fastify plugin with the tenant's thresholds routes; register with `{ prefix: '/api/herald/v1' }`. */
export function thresholdsApiRoutes(o: ThresholdsApiOptions) {
  const log = o.logger.child({ component: 'thresholds-api' });
  const maxBytes = o.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;

  /** 409 when the tenant's thresholds come from conf.d: the directory is their source of truth. */
  const directoryOwned = (reply: FastifyReply, tenant: string): FastifyReply | undefined => {
    if (o.thresholds().document(tenant)?.source !== 'directory') return undefined;
    return sendError(reply, 409, `the thresholds of tenant "${tenant}" come from the thresholds directory and cannot be changed through the API`);
  };

  const answer = async (reply: FastifyReply, tenant: string, what: string, run: () => Promise<Change>): Promise<FastifyReply> => {
    let r: Change;
    try {
      r = await run();
    } catch (e) {
      // The directory took the tenant between the check above and the change.
      if (e instanceof ThresholdsDirectoryOwnedError) return sendError(reply, 409, e.message);
      log.error({ err: errorMessage(e), tenant }, `${what} failed`);
      return sendError(reply, 500, errorMessage(e));
    }
    if (typeof r === 'object' && !r.ok) return sendError(reply, 400, summary(r.issues), r.issues.map(issueDto));
    return reply.code(204).send();
  };

  const bodyText = (req: FastifyRequest): string => (typeof req.body === 'string' ? req.body : '');

  const plugin: FastifyPluginCallback = (app: FastifyInstance, _opts, done) => {
    useTenant(app, () => o.requireTenant());
    // Bodies arrive as text whatever the content type: YAML for PUT (curl --data-binary sends form
    // encoding by default), JSON for PATCH, parsed here so errors carry this API's shape.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, next) => next(null, body));
    app.addHook('onSend', async (_req, reply, payload) => {
      reply.header('cache-control', 'no-store');
      return payload;
    });
    app.setErrorHandler((err: FastifyError, req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
      if (status >= 500) log.error({ err: err.message, url: req.url }, 'thresholds API request failed');
      const msg = status === 413 ? `request body larger than ${maxBytes} bytes` : err.message;
      return sendError(reply, status, msg);
    });

    app.get('/thresholds', async (req, reply) => {
      try {
        return reply.code(200).header('content-type', 'application/json').send(JSON.stringify(tenantThresholdsDto(o.thresholds(), req.tenant)));
      } catch (e) {
        log.error({ err: errorMessage(e), tenant: req.tenant }, 'reading thresholds failed');
        return sendError(reply, 500, errorMessage(e));
      }
    });

    app.get('/thresholds/defaults', async (_req, reply) =>
      reply.code(200).header('content-type', 'application/json').send(JSON.stringify(defaultsDto(o.thresholds().defaults))),
    );

    app.put('/thresholds', { bodyLimit: maxBytes }, async (req, reply) => {
      const tenant = req.tenant;
      const text = bodyText(req);
      return directoryOwned(reply, tenant) ?? answer(reply, tenant, 'storing a thresholds document', () => o.thresholds().putDocument(tenant, text));
    });

    app.patch('/thresholds', { bodyLimit: maxBytes }, async (req, reply) => {
      const tenant = req.tenant;
      const parsed = parsePatchBody(bodyText(req));
      if (!parsed.ok) return sendError(reply, 400, summary(parsed.issues, 'invalid PATCH body'), parsed.issues.map(issueDto));
      const owned = directoryOwned(reply, tenant);
      if (owned) return owned;
      const changes = parsed.value;
      // Dimensional keys are open-ended: bound the document a series of PATCHes can build.
      const preview = applyPatch(o.thresholds().document(tenant)?.text ?? '', changes);
      if (preview.ok && Buffer.byteLength(preview.value) > maxBytes) return sendError(reply, 413, `the patched document would be larger than ${maxBytes} bytes`);
      return answer(reply, tenant, 'patching a thresholds document', () => o.thresholds().patchDocument(tenant, changes));
    });

    app.delete('/thresholds', async (req, reply) => {
      const tenant = req.tenant;
      return directoryOwned(reply, tenant) ?? answer(reply, tenant, 'deleting a thresholds document', () => o.thresholds().deleteDocument(tenant));
    });
    done();
  };
  return plugin;
}

export interface ThresholdsExpositionOptions {
  /** Every tenant's threshold series in the Prometheus text format. */
  render(): string;
  readonly logger: Logger;
}

/** The text format's content type, as Prometheus client libraries send it. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * `GET /thresholds/metrics` (register without a prefix): all tenants' thresholds, for a platform
 * whose pack rules run in an external Prometheus. It names every tenant, so it belongs on the
 * operators' network as /metrics does, never behind a tenant's credentials.
 */
export function thresholdsExpositionRoute(o: ThresholdsExpositionOptions) {
  const plugin: FastifyPluginCallback = (app: FastifyInstance, _opts, done) => {
    app.get('/thresholds/metrics', async (_req, reply) => {
      let text: string;
      try {
        text = o.render();
      } catch (e) {
        o.logger.error({ err: errorMessage(e), component: 'thresholds-api' }, 'rendering threshold series failed');
        return sendTextError(reply, 500, `rendering threshold series failed: ${errorMessage(e)}`);
      }
      return reply.code(200).header('content-type', EXPOSITION_CONTENT_TYPE).send(text);
    });
    done();
  };
  return plugin;
}

