/**
 * The Prometheus HTTP API of the request's tenant under /prometheus/api/v1 (Mimir's prefix):
 * query, query_range, series, labels, label values, metadata, status/buildinfo. Thin handlers
 * over the PromQL engine and the tenant's store; envelope, status codes and value formatting as
 * Prometheus' web/api/v1/api.go.
 */
import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Matcher } from '../../core/matcher.js';
import { isValidLabelName } from '../../core/labels.js';
import { checkRangeResolution, formatParseError, instantQuery, parseExpr, parseMetricSelector, PromQLQueryError, rangeQuery } from '../../promql/index.js';
import type { Engine, QueryLimits, QueryResult } from '../../promql/index.js';
import type { TenantTsdb } from '../../tsdb/api.js';
import type { Clock, Logger } from '../../core/runtime.js';
import type { VersionInfo } from '../../version.js';
import { useTenant } from '../tenant.js';
import { encodeLabels, encodeQueryData } from './json.js';
import { BadParamError, many, parseDurationParam, parseTimeParam, single } from './params.js';

/** What a tenant's queries read. */
export type QueryableStore = Pick<TenantTsdb, 'select' | 'labelNames' | 'labelValues' | 'series'>;

export interface PrometheusApiOptions {
  /** The tenant's store (created on first use). */
  store(tenant: string): Promise<QueryableStore>;
  readonly engine?: Engine;
  readonly limits?: QueryLimits;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly versionInfo: VersionInfo;
  /**
   * Whether the Mimir ruler config API (/prometheus/config/v1/rules) is served. When true,
   * buildinfo reports itself as Mimir does, with `features`, so Grafana offers rule editing
   * (grafana public/app/features/alerting/unified/api/buildInfo.ts requires application
   * "Grafana Mimir" and features.ruler_config_api "true").
   */
  readonly rulerConfigApi?: boolean;
  requireTenant(): boolean;
}

type Params = Record<string, string | string[] | undefined>;

// Prometheus' errorType -> HTTP status (api.go respondError).
const STATUS: Readonly<Record<string, number>> = { bad_data: 400, execution: 422, canceled: 499, timeout: 503, internal: 500 };

const MIN_TIME = -9223372036854776;
const MAX_TIME = 9223372036854776;

/** Prometheus' error envelope `{status:"error", errorType, error}` with the errorType's status. */
export function sendError(reply: FastifyReply, errorType: string, message: string): FastifyReply {
  return reply
    .code(STATUS[errorType] ?? 500)
    .header('content-type', 'application/json')
    .send(JSON.stringify({ status: 'error', errorType, error: message }));
}

/** Prometheus' success envelope around `dataJson`, with the query's warnings and infos. */
export function sendData(reply: FastifyReply, dataJson: string, result?: QueryResult): FastifyReply {
  let body = `{"status":"success","data":${dataJson}`;
  const warnings = result?.annotations.filter((a) => a.level === 'warning').map((a) => a.message) ?? [];
  const infos = result?.annotations.filter((a) => a.level === 'info').map((a) => a.message) ?? [];
  if (warnings.length > 0) body += `,"warnings":${JSON.stringify(warnings)}`;
  if (infos.length > 0) body += `,"infos":${JSON.stringify(infos)}`;
  return reply.code(200).header('content-type', 'application/json').send(body + '}');
}

/** GET query string and POST form body together, as Go's r.FormValue sees them. */
function params(req: FastifyRequest): Params {
  const out: Params = { ...(req.query as Params) };
  if (req.body && typeof req.body === 'object') {
    for (const [k, v] of Object.entries(req.body as Params)) {
      const prev = out[k];
      out[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), ...(Array.isArray(v) ? v : v === undefined ? [] : [v])];
    }
  }
  return out;
}

function parseQuery(text: string | undefined): ReturnType<typeof parseExpr> & { ok: true } {
  const r = parseExpr(text ?? '');
  if (!r.ok) {
    const first = r.errors[0];
    throw new BadParamError(`invalid parameter "query": ${first ? formatParseError(first) : 'parse error'}`);
  }
  return r;
}

function matcherSets(p: Params): Matcher[][] {
  return many(p, 'match[]').map((m) => {
    const r = parseMetricSelector(m);
    if (!r.ok) {
      const first = r.errors[0];
      throw new BadParamError(`invalid parameter "match[]": ${first ? formatParseError(first) : 'parse error'}`);
    }
    return [...r.matchers];
  });
}

/**
 * buildinfo: Prometheus' fields; with the ruler config API on, Mimir's shape (pkg/util/version
 * BuildInfoHandler: application, version, revision, branch, goVersion, features with "true"/"false"
 * strings), which is what Grafana checks to treat a data source as an editable ruler.
 */
function buildInfo(o: PrometheusApiOptions): object {
  if (!o.rulerConfigApi) return o.versionInfo;
  const v = o.versionInfo;
  return {
    application: 'Grafana Mimir',
    version: v.version,
    revision: v.revision,
    branch: v.branch,
    goVersion: v.goVersion,
    features: { ruler_config_api: 'true', alertmanager_config_api: 'true', query_sharding: 'false', federated_rules: 'false' },
  };
}

/** Fastify plugin for /prometheus/api/v1 (register with that prefix). */
export function prometheusApiRoutes(o: PrometheusApiOptions) {
  const plugin: FastifyPluginCallback = (app: FastifyInstance, _opts, done) => {
    useTenant(app, () => o.requireTenant());
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, next) => {
      const out: Params = {};
      for (const [k, v] of new URLSearchParams(body as string)) {
        const prev = out[k];
        out[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
      }
      next(null, out);
    });
    const engine = o.engine ?? { instantQuery, rangeQuery };

    const fail = (reply: FastifyReply, e: unknown): FastifyReply => {
      if (e instanceof BadParamError) return sendError(reply, 'bad_data', e.message);
      if (e instanceof PromQLQueryError) return sendError(reply, e.type, e.message);
      o.logger.error({ err: e instanceof Error ? e.message : String(e) }, 'query API request failed');
      return sendError(reply, 'internal', e instanceof Error ? e.message : String(e));
    };
    const limitsWithTimeout = (p: Params): QueryLimits => {
      const t = single(p, 'timeout');
      if (t === undefined || t === '') return o.limits ?? {};
      const ms = parseDurationParam('timeout', t);
      const max = o.limits?.timeoutMs ?? 120_000;
      return { ...o.limits, timeoutMs: Math.min(ms, max) };
    };

    const query = async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        const p = params(req);
        const { expr } = parseQuery(single(p, 'query'));
        const t = parseTimeParam('time', single(p, 'time'), o.clock.now());
        const store = await o.store(req.tenant);
        const r = await engine.instantQuery(store, expr, t, { ...limitsWithTimeout(p), now: () => o.clock.now() });
        return sendData(reply, encodeQueryData(r.value), r);
      } catch (e) {
        return fail(reply, e);
      }
    };
    app.get('/query', query);
    app.post('/query', query);

    const queryRange = async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        const p = params(req);
        const start = parseTimeParam('start', single(p, 'start') ?? '', NaN);
        const end = parseTimeParam('end', single(p, 'end') ?? '', NaN);
        if (Number.isNaN(start)) throw new BadParamError('invalid parameter "start": cannot parse "" to a valid timestamp');
        if (Number.isNaN(end)) throw new BadParamError('invalid parameter "end": cannot parse "" to a valid timestamp');
        if (end < start) throw new BadParamError('invalid parameter "end": end timestamp must not be before start time');
        const step = parseDurationParam('step', single(p, 'step') ?? '');
        if (step <= 0) throw new BadParamError('invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer');
        const tooMany = checkRangeResolution(start, end, step, o.limits?.maxPointsPerSeries);
        if (tooMany) throw new BadParamError(tooMany.message);
        const { expr } = parseQuery(single(p, 'query'));
        const store = await o.store(req.tenant);
        const r = await engine.rangeQuery(store, expr, start, end, step, { ...limitsWithTimeout(p), now: () => o.clock.now() });
        return sendData(reply, encodeQueryData(r.value), r);
      } catch (e) {
        return fail(reply, e);
      }
    };
    app.get('/query_range', queryRange);
    app.post('/query_range', queryRange);

    const range = (p: Params): { start: number; end: number } => ({
      start: parseTimeParam('start', single(p, 'start'), MIN_TIME),
      end: parseTimeParam('end', single(p, 'end'), MAX_TIME),
    });

    const series = async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        const p = params(req);
        const sets = matcherSets(p);
        if (sets.length === 0) throw new BadParamError('no match[] parameter provided');
        const { start, end } = range(p);
        const store = await o.store(req.tenant);
        const found = await store.series(sets, start, end);
        return sendData(reply, `[${found.map(encodeLabels).join(',')}]`);
      } catch (e) {
        return fail(reply, e);
      }
    };
    app.get('/series', series);
    app.post('/series', series);

    const labels = async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        const p = params(req);
        const { start, end } = range(p);
        const store = await o.store(req.tenant);
        return sendData(reply, JSON.stringify(await store.labelNames(matcherSets(p), start, end)));
      } catch (e) {
        return fail(reply, e);
      }
    };
    app.get('/labels', labels);
    app.post('/labels', labels);

    app.get('/label/:name/values', async (req: FastifyRequest<{ Params: { name: string } }>, reply) => {
      try {
        const name = req.params.name;
        if (!isValidLabelName(name)) throw new BadParamError(`invalid label name: ${JSON.stringify(name)}`);
        const p = params(req);
        const { start, end } = range(p);
        const store = await o.store(req.tenant);
        return sendData(reply, JSON.stringify(await store.labelValues(name, matcherSets(p), start, end)));
      } catch (e) {
        return fail(reply, e);
      }
    });

    // No metric metadata is stored (remote_write 1.0 metadata is not kept): an empty object, as
    // Prometheus answers for a store without any.
    app.get('/metadata', async (_req, reply) => sendData(reply, '{}'));
    app.get('/status/buildinfo', async (_req, reply) => sendData(reply, JSON.stringify(buildInfo(o))));
    done();
  };
  return plugin;
}
