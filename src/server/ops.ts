/** Operations endpoints (Alertmanager's httpserver.go): health, readiness, reload, metrics, UI placeholder. */
import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import type { ServerContext } from './context.js';
import { errorMessage, sendTextError } from './errors.js';

/** Fastify plugin for /-/*, /metrics and /. */
export function opsRoutes(ctx: ServerContext) {
  const plugin: FastifyPluginCallback = (app: FastifyInstance, _opts, done) => {
    for (const path of ['/-/healthy', '/-/ready']) {
      app.route({
        method: ['GET', 'HEAD'],
        url: path,
        handler: async (_req, reply) => reply.code(200).header('content-type', 'text/plain; charset=utf-8').send('OK'),
      });
    }
    app.post('/-/reload', async (_req, reply) => {
      try {
        await ctx.reload();
      } catch (e) {
        ctx.logger.error({ err: errorMessage(e) }, 'reload failed');
        return sendTextError(reply, 500, `failed to reload config: ${errorMessage(e)}`);
      }
      return reply.code(200).send();
    });
    app.get('/metrics', async (_req, reply) => {
      const body = await ctx.promRegistry.metrics();
      return reply.code(200).header('content-type', ctx.promRegistry.contentType).send(body);
    });
    app.get('/', async (_req, reply) =>
      reply
        .code(200)
        .header('content-type', 'text/plain; charset=utf-8')
        .send(`Herald ${ctx.versionInfo.version}\n\nAlertmanager v2 API: /api/v2/ (tenant in the X-Scope-OrgID header)\nConfig API: /api/v1/alerts\n`),
    );
    done();
  };
  return plugin;
}
