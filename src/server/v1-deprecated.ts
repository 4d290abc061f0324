/**
 * Alertmanager's removed v1 API (api/v1_deprecation_router.go): every former route answers 410.
 * `/api/v1/alerts` itself is Mimir's config API in Herald, so only the other v1 paths are here,
 * and under /alertmanager/api/v1 all of them.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';

export const V1_GONE_BODY = {
  status: 'deprecated',
  error: 'The Alertmanager v1 API was deprecated in version 0.16.0 and is removed as of version 0.27.0 - please use the equivalent route in the v2 API',
};

function gone(_req: unknown, reply: FastifyReply): FastifyReply {
  return reply.code(410).send(V1_GONE_BODY);
}

/** Registers the 410 routes. */
export function v1DeprecatedRoutes(app: FastifyInstance, _opts: unknown, done: () => void): void {
  for (const prefix of ['/api/v1', '/alertmanager/api/v1']) {
    app.get(`${prefix}/status`, gone);
    app.get(`${prefix}/receivers`, gone);
    app.get(`${prefix}/silences`, gone);
    app.post(`${prefix}/silences`, gone);
    app.get(`${prefix}/silence/:sid`, gone);
    app.delete(`${prefix}/silence/:sid`, gone);
  }
  app.get('/alertmanager/api/v1/alerts', gone);
  app.post('/alertmanager/api/v1/alerts', gone);
  done();
}
