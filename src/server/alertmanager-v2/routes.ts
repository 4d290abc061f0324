/**
 * The Alertmanager v2 API of the request's tenant (api/v2/openapi.yaml), thin handlers over
 * TenantAlertmanager. Registered under /api/v2 and /alertmanager/api/v2.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyPluginCallback } from 'fastify';
import { AlertmanagerInputError } from '../../alertmanager/api.js';
import type { SilenceState } from '../../alertmanager/silence/types.js';
import { validateAlert } from '../../core/alert.js';
import type { Alert } from '../../core/alert.js';
import { formatTime } from '../../core/alert.js';
import { TenantLimitError } from '../../tenancy/limits.js';
import type { ServerContext } from '../context.js';
import { errorMessage, sendV2Error } from '../errors.js';
import { useTenant } from '../tenant.js';
import { alertToDto, groupToDto, silenceToDto } from './dto-out.js';
import { normaliseAlert, postableAlertsFromDto, postableSilenceFromDto } from './dto-in.js';
import { alertListParams, boolParam, filterParam, isUuid, ParamError } from './query.js';
import type { Query } from './query.js';

type Req = FastifyRequest<{ Querystring: Query; Params: { id: string } }>;

/** Maps an engine or parameter failure to upstream's status and bare-string body. */
function fail(ctx: ServerContext, reply: FastifyReply, e: unknown): FastifyReply {
  if (e instanceof ParamError) return sendV2Error(reply, 400, e.message);
  if (e instanceof TenantLimitError) return sendV2Error(reply, 400, e.message);
  if (e instanceof AlertmanagerInputError) return sendV2Error(reply, e.code === 'not_found' ? 404 : 400, e.message);
  ctx.logger.error({ err: errorMessage(e) }, 'v2 API request failed');
  return sendV2Error(reply, 500, errorMessage(e));
}

/** Fastify plugin: every v2 operation. */
export function alertmanagerV2Routes(ctx: ServerContext) {
  const plugin: FastifyPluginCallback = (app: FastifyInstance, _opts, done) => {
    useTenant(app, () => ctx.requireTenant());
    // A callback hook, not an async one: no promise per response.
    app.addHook('onSend', (_req, reply, payload, done) => {
      reply.header('cache-control', 'no-store');
      done(null, payload);
    });
    const engine = (req: FastifyRequest) => ctx.registry.get(req.tenant);

    app.get('/status', async (req, reply) => {
      const am = await engine(req);
      return reply.send({
        cluster: { status: 'disabled', peers: [] },
        versionInfo: ctx.versionInfo,
        config: { original: ctx.marshalConfig(am.config()) },
        uptime: formatTime(ctx.startedAt),
      });
    });

    app.get('/receivers', async (req, reply) => {
      const am = await engine(req);
      return reply.send(am.receivers().map((name) => ({ name })));
    });

    app.get('/alerts', async (req: Req, reply) => {
      try {
        const query = alertListParams(req.query, ctx.parseMatcher, ['active', 'silenced', 'inhibited', 'unprocessed'] as const);
        const am = await engine(req);
        return reply.send(am.alerts(query).map(alertToDto));
      } catch (e) {
        return fail(ctx, reply, e);
      }
    });

    app.post('/alerts', async (req, reply) => {
      const decoded = postableAlertsFromDto(req.body);
      if (!decoded.ok) return sendV2Error(reply, 400, decoded.issues.map((i) => i.message).join('\n'));
      try {
        const am = await engine(req);
        const now = ctx.clock.now();
        const resolveTimeout = am.config().global.resolveTimeoutMs;
        const tenant = req.tenant;
        const valid: Alert[] = [];
        const errors: string[] = [];
        // Counted per batch, not per alert: one label lookup per series instead of one per alert.
        let firing = 0;
        let invalid = 0;
        const posted = decoded.value;
        for (let i = 0; i < posted.length; i++) {
          const a = normaliseAlert(posted[i] as (typeof posted)[number], now, resolveTimeout);
          if (a.endsAt > now) firing++;
          const problem = validateAlert(a);
          if (problem !== undefined) {
            errors.push(problem);
            invalid++;
          } else valid.push(a);
        }
        if (firing > 0) ctx.metrics.alertsReceived.inc({ tenant, status: 'firing' }, firing);
        if (posted.length > firing) ctx.metrics.alertsReceived.inc({ tenant, status: 'resolved' }, posted.length - firing);
        if (invalid > 0) ctx.metrics.alertsInvalid.inc({ tenant }, invalid);
        // Best effort, as upstream: the valid alerts are stored even when others were refused.
        if (valid.length > 0) errors.push(...(await am.putAlerts(valid)).errors);
        if (errors.length > 0) return sendV2Error(reply, 400, errors.join('; '));
        return reply.code(200).send();
      } catch (e) {
        return fail(ctx, reply, e);
      }
    });

    app.get('/alerts/groups', async (req: Req, reply) => {
      try {
        const query = alertListParams(req.query, ctx.parseMatcher, ['active', 'silenced', 'inhibited', 'muted'] as const);
        const am = await engine(req);
        return reply.send(am.groups(query).map(groupToDto));
      } catch (e) {
        return fail(ctx, reply, e);
      }
    });

    app.get('/silences', async (req: Req, reply) => {
      try {
        const q = req.query;
        const filter = filterParam(q, ctx.parseMatcher);
        const want: Record<SilenceState, boolean> = {
          active: boolParam(q, 'active'),
          pending: boolParam(q, 'pending'),
          expired: boolParam(q, 'expired'),
        };
        const am = await engine(req);
        const out = [];
        for (const s of am.silences(filter)) if (want[s.state]) out.push(silenceToDto(s));
        return reply.send(out);
      } catch (e) {
        return fail(ctx, reply, e);
      }
    });

    app.post('/silences', async (req, reply) => {
      const decoded = postableSilenceFromDto(req.body);
      if (!decoded.ok) return sendV2Error(reply, 400, decoded.issues.map((i) => i.message).join('\n'));
      const sil = decoded.value;
      if (sil.startsAt >= sil.endsAt) return sendV2Error(reply, 400, 'Failed to create silence: start time must be before end time');
      if (sil.endsAt < ctx.clock.now()) return sendV2Error(reply, 400, "Failed to create silence: end time can't be in the past");
      try {
        const am = await engine(req);
        const silenceID = await am.setSilence(sil);
        return reply.send({ silenceID });
      } catch (e) {
        return fail(ctx, reply, e);
      }
    });

    app.get('/silence/:id', async (req: Req, reply) => {
      if (!isUuid(req.params.id)) return sendV2Error(reply, 422, `silenceID in path must be of type uuid: "${req.params.id}"`);
      const am = await engine(req);
      const s = am.getSilence(req.params.id);
      if (!s) return reply.code(404).send();
      return reply.send(silenceToDto(s));
    });

    app.delete('/silence/:id', async (req: Req, reply) => {
      if (!isUuid(req.params.id)) return sendV2Error(reply, 422, `silenceID in path must be of type uuid: "${req.params.id}"`);
      try {
        const am = await engine(req);
        await am.expireSilence(req.params.id);
        return reply.code(200).send();
      } catch (e) {
        if (e instanceof AlertmanagerInputError && e.code === 'not_found') return reply.code(404).send();
        return fail(ctx, reply, e);
      }
    });
    done();
  };
  return plugin;
}
