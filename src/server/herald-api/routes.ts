/**
 * Herald's own API for the request's tenant, mounted under `/api/herald/v1`: notification history,
 * receiver tests and template previews. Errors answer `{ "error": "..." }` with 400, 404 or 500.
 */
import type { FastifyError, FastifyInstance, FastifyPluginCallback, FastifyReply } from 'fastify';
import { HistoryQueryError, NotificationToolError, parseHistoryParams } from '../../alertmanager/notify/history/index.js';
import type { NotificationTools } from '../../alertmanager/notify/history/index.js';
import type { Logger } from '../../core/runtime.js';
import { errorMessage } from '../errors.js';
import { useTenant } from '../tenant.js';
import { BodyError, historyEntryToDto, templatePreviewRequest, testReceiverRequest } from './dto.js';

/** The little of ServerContext these routes use. */
export interface HeraldApiContext {
  readonly logger: Logger;
  requireTenant(): boolean;
}

function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).header('content-type', 'application/json').send(JSON.stringify({ error: message }));
}

/** Fastify plugin; register with `{ prefix: '/api/herald/v1' }`. */
export function heraldApiRoutes(ctx: HeraldApiContext, tools: NotificationTools) {
  const plugin: FastifyPluginCallback = (app: FastifyInstance, _opts, done) => {
    useTenant(app, () => ctx.requireTenant());
    app.addHook('onSend', async (_req, reply, payload) => {
      reply.header('cache-control', 'no-store');
      return payload;
    });
    app.setErrorHandler((err: FastifyError, req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
      if (status >= 500) ctx.logger.error({ err: err.message, url: req.url }, 'herald API request failed');
      const msg = err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? `invalid JSON body: ${err.message}` : err.message;
      return sendError(reply, status, msg);
    });
    const fail = (reply: FastifyReply, e: unknown): FastifyReply => {
      if (e instanceof BodyError || e instanceof HistoryQueryError) return sendError(reply, 400, e.message);
      if (e instanceof NotificationToolError) return sendError(reply, e.code === 'not_found' ? 404 : 400, e.message);
      ctx.logger.error({ err: errorMessage(e) }, 'herald API request failed');
      return sendError(reply, 500, errorMessage(e));
    };

    app.get('/notifications', async (req, reply) => {
      const parsed = parseHistoryParams(req.query as Record<string, string | string[] | undefined>);
      if (!parsed.ok) return sendError(reply, 400, parsed.issues.map((i) => i.message).join('; '));
      try {
        const page = await tools.queryHistory(req.tenant, parsed.value);
        return reply.send({ items: page.items.map(historyEntryToDto), ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) });
      } catch (e) {
        return fail(reply, e);
      }
    });

    app.post('/receivers/test', async (req, reply) => {
      try {
        return reply.send(await tools.testReceiver(req.tenant, testReceiverRequest(req.body)));
      } catch (e) {
        return fail(reply, e);
      }
    });

    app.post('/templates/preview', async (req, reply) => {
      try {
        const r = await tools.previewTemplate(req.tenant, templatePreviewRequest(req.body));
        if (!r.ok) return sendError(reply, 400, r.issues.map((i) => i.message).join('\n'));
        return reply.send({ output: r.value });
      } catch (e) {
        return fail(reply, e);
      }
    });
    done();
  };
  return plugin;
}
