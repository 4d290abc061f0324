/**
 * Builds Herald's HTTP server: one fastify instance, one plugin per API family. Listening is the
 * caller's job (src/app.ts); tests use `inject`.
 */
import type { RequestListener, Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import { alertmanagerV2Routes } from './alertmanager-v2/routes.js';
import { admissionRoutes } from './admission/index.js';
import { auditApiRoutes, installAudit } from './audit-api/index.js';
import { AUTH_OFF, HERALD_ROUTE_POLICIES, installAuth } from './auth/index.js';
import { configApiRoutes } from './config-api.js';
import { heraldApiRoutes } from './herald-api/index.js';
import { kubeApiRoutes } from './kube-api.js';
import { prometheusApiRoutes } from './prometheus-api/routes.js';
import { remoteWriteRoutes } from './remote-write.js';
import { rulerApiRoutes } from './ruler-api/index.js';
import { thresholdsApiRoutes, thresholdsExpositionRoute } from './thresholds-api/index.js';
import { uiApiRoutes } from './ui-api/index.js';
import { DEFAULT_UI_DIRECTORY, uiStaticRoutes } from './ui-static/index.js';
import type { ServerContext } from './context.js';
import { sendTextError, sendV2Error } from './errors.js';
import { opsRoutes, placeholderPage } from './ops.js';
import { v1DeprecatedRoutes } from './v1-deprecated.js';

export interface ServerOptions {
  /** Largest request body in bytes (Mimir's -alertmanager.max-recv-msg-size is 100 MiB). */
  readonly bodyLimit?: number;
  /** Directory of the built UI (index.html, assets/); default the repository's web/dist. */
  readonly uiDirectory?: string;
  /** Serve HTTPS with this key and certificate (PEM); the server is then a node:https one. */
  readonly https?: { readonly key: Buffer; readonly cert: Buffer };
}

export const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024;

const V2_PATH = /^\/(alertmanager\/)?api\/v2\//;

/** The server with every route registered, not yet listening. */
export async function buildServer(ctx: ServerContext, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const tls = opts.https;
  const app = Fastify({
    // An https.Server serves the same request/response objects; Fastify's types only know http.Server.
    ...(tls ? { serverFactory: (handler: RequestListener) => createHttpsServer({ key: tls.key, cert: tls.cert }, handler) as unknown as HttpServer } : {}),
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Request logs are off; failures are logged through ctx.logger by the handlers.
    logger: false,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.decorateRequest('tenant', '');
  // Before any route is registered: the hook sees every route, and runs before each family's own.
  const auth = ctx.auth ?? AUTH_OFF;
  installAuth(app, { authenticator: auth.authenticator, config: () => auth.config(), policies: HERALD_ROUTE_POLICIES, requireTenant: () => ctx.requireTenant(), logger: ctx.logger });
  // JSON bodies: plain JSON.parse, which is much cheaper than the default parser's two full-text
  // regex scans. A body that could spell "__proto__" or "constructor" (directly or through \u
  // escapes) goes to the default parser, so prototype poisoning is refused exactly as before.
  const safeParse = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    if (text.length > 0 && !text.includes('proto') && !text.includes('constructor') && !text.includes('\\u')) {
      try {
        done(null, JSON.parse(text));
        return;
      } catch {
        // fall through: the default parser produces the error fastify users know
      }
    }
    void safeParse(req, text, done);
  });
  // Framework errors (bad JSON, body too large, wrong content type) in each family's error shape.
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) ctx.logger.error({ err: err.message, url: req.url }, 'request failed');
    const msg = status === 400 && err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? `invalid JSON body: ${err.message}` : err.message;
    return V2_PATH.test(req.url) ? sendV2Error(reply, status, msg) : sendTextError(reply, status, msg);
  });
  app.setNotFoundHandler((_req, reply) => sendTextError(reply, 404, `404 page not found`));
  // Before any route plugin: the audit hooks must be inherited by every family's routes.
  if (ctx.audit) installAudit(app, { log: ctx.audit.log, logger: ctx.logger, clock: ctx.clock, actionOf: (req) => ctx.audit?.actionOf(req), snapshot: ctx.audit.snapshot });
  await app.register(opsRoutes(ctx));
  await app.register(uiStaticRoutes({ directory: opts.uiDirectory ?? DEFAULT_UI_DIRECTORY, fallbackPage: () => placeholderPage(ctx.versionInfo) }));
  await app.register(admissionRoutes());
  await app.register(v1DeprecatedRoutes);
  await app.register(configApiRoutes(ctx));
  if (ctx.notificationTools) await app.register(heraldApiRoutes(ctx, ctx.notificationTools), { prefix: '/api/herald/v1' });
  if (ctx.uiApi) {
    const ui = ctx.uiApi;
    await app.register(
      uiApiRoutes({
        engine: (t) => ctx.registry.get(t),
        configSource: (t) => ui.configSource(t),
        marshalConfig: (c) => ctx.marshalConfig(c),
        limits: (t) => ({ ...ctx.registry.currentLimits().forTenant(t) }),
        versionInfo: ctx.versionInfo,
        startedAt: ctx.startedAt,
        clock: ctx.clock,
        logger: ctx.logger,
        requireTenant: () => ctx.requireTenant(),
        authMode: () => auth.config().mode,
        tenantSources: [() => ctx.registry.tenants(), ...ui.tenantSources],
        usage: ui.usage,
      }),
      { prefix: '/api/herald/v1' },
    );
  }
  if (ctx.audit) await app.register(auditApiRoutes({ log: ctx.audit.log, logger: ctx.logger, requireTenant: () => ctx.requireTenant() }), { prefix: '/api/herald/v1' });
  // Always served (source "none" without the kube sync), so the route table is the same everywhere.
  await app.register(kubeApiRoutes({ ...(ctx.kube ? { view: ctx.kube.view } : {}), requireTenant: () => ctx.requireTenant() }), { prefix: '/api/herald/v1' });
  if (ctx.remoteWrite) await app.register(remoteWriteRoutes(ctx.remoteWrite));
  if (ctx.prometheusApi) await app.register(prometheusApiRoutes(ctx.prometheusApi), { prefix: '/prometheus/api/v1' });
  // Full paths: /prometheus/config/v1/rules, legacy /api/v1/rules, /prometheus/api/v1/{rules,alerts}.
  if (ctx.rulerApi) await app.register(rulerApiRoutes(ctx.rulerApi));
  if (ctx.thresholdsApi) {
    await app.register(thresholdsApiRoutes(ctx.thresholdsApi), { prefix: '/api/herald/v1' });
    await app.register(thresholdsExpositionRoute(ctx.thresholdsApi.exposition));
  }
  await app.register(alertmanagerV2Routes(ctx), { prefix: '/api/v2' });
  await app.register(alertmanagerV2Routes(ctx), { prefix: '/alertmanager/api/v2' });
  return app;
}
