/**
 * Operations endpoints (Alertmanager's httpserver.go): health, readiness, reload, metrics. `/` is
 * the UI (./ui-static); placeholderPage is what it answers while the UI is not built.
 */
import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import type { VersionInfo } from '../version.js';
import type { ServerContext } from './context.js';
import { errorMessage, sendTextError } from './errors.js';

/** The plain-text `GET /` page of a Herald whose UI is not built. */
export function placeholderPage(v: VersionInfo): string {
  return `Herald ${v.version}\n\nAlertmanager v2 API: /api/v2/ (tenant in the X-Scope-OrgID header)\nConfig API: /api/v1/alerts\n`;
}

/** Fastify plugin for /-/* and /metrics. */
export function opsRoutes(ctx: ServerContext) {
  const plugin: FastifyPluginCallback = (app: FastifyInstance, _opts, done) => {
    for (const path of ['/-/healthy', '/-/ready']) {
      app.route({
        method: ['GET', 'HEAD'],
        url: path,
        handler: async (_req, reply) => {
          // Healthy while the process serves; ready once it routes as configured (e.g. the kube source synced).
          const why = path === '/-/ready' ? ctx.notReady?.() : undefined;
          if (why !== undefined) return reply.code(503).header('content-type', 'text/plain; charset=utf-8').send(`Not ready: ${why}\n`);
          return reply.code(200).header('content-type', 'text/plain; charset=utf-8').send('OK');
        },
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
    done();
  };
  return plugin;
}
