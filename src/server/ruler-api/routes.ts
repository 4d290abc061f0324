/**
 * The ruler's HTTP APIs for the request's tenant:
 *  - Mimir's ruler config API (grafana/mimir pkg/ruler/api.go, pkg/api/api.go RegisterRulerAPI)
 *    under /prometheus/config/v1/rules and the legacy /api/v1/rules: YAML out, one YAML group in,
 *    202 `{"status":"success",...}` on changes, plain-text errors;
 *  - Prometheus' GET /prometheus/api/v1/rules and /prometheus/api/v1/alerts (web/api/v1/api.go),
 *    in Prometheus' JSON envelope.
 * Path segments arrive percent-decoded once (fastify decodes params), as Mimir's url.PathUnescape
 * of the raw segment does, so `a%2Fb` names namespace `a/b`.
 */
import type { FastifyError, FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { Issue, Result } from '../../core/result.js';
import { formatIssue } from '../../core/result.js';
import type { Logger } from '../../core/runtime.js';
import type { RuleGroupConfig, RulerService, TenantRules } from '../../ruler/api.js';
import { RuleStoreError } from '../../ruler/api.js';
import { errorMessage, sendTextError } from '../errors.js';
import { BadParamError } from '../prometheus-api/params.js';
import { sendData, sendError } from '../prometheus-api/routes.js';
import { useTenant } from '../tenant.js';
import { activeAlerts, encodeAlert, encodeAlertDiscovery } from './encode.js';
import type { QueryParams } from './rules-query.js';
import { parseRulesQuery, renderRules } from './rules-query.js';

export interface RulerApiOptions {
  readonly ruler: RulerService;
  /** One group in YAML, the POST body (rulefmt parseRuleGroup). */
  parseRuleGroup(text: string): Result<RuleGroupConfig>;
  /** YAML of one group, as Mimir's GET of a group returns it. */
  marshalRuleGroup(group: RuleGroupConfig): string;
  /** YAML map namespace -> groups, as Mimir's GET of all rules or a namespace returns it. */
  marshalNamespaces(rules: TenantRules): string;
  /**
   * The 400 text for a refused group (rulefmt's formatGroupIssues, Mimir's wording). Default: YAML
   * decoding problems (codes `yaml...`) as `unable to decode rule group: ...`, else every problem
   * joined with ", ".
   */
  readonly formatGroupIssues?: (issues: readonly Issue[]) => string;
  readonly logger: Logger;
  /** Read on every request: /-/reload may change it. */
  requireTenant(): boolean;
  /** Largest POSTed group in bytes (default 1 MiB); larger bodies get 413. */
  readonly maxGroupBytes?: number;
  /** Serve the config API (Mimir's -ruler.enable-api, default true); the read-only JSON API is always served. */
  readonly configApi?: boolean;
}

export const DEFAULT_MAX_GROUP_BYTES = 1024 * 1024;

/** Mimir's respondAccepted body: its response struct has no omitempty tags. */
export const ACCEPTED_BODY = '{"status":"success","data":null,"errorType":"","error":""}';

/** yaml.v3's text for an empty map: Mimir's answer when the tenant or namespace has no groups. */
const EMPTY_YAML = '{}\n';

// Mimir's rulestore errors (pkg/ruler/rulestore: ErrGroupNotFound, ErrGroupNamespaceNotFound).
const GROUP_NOT_FOUND = 'group does not exist';
const NAMESPACE_NOT_FOUND = 'group namespace does not exist';

const CONFIG_PREFIXES = ['/prometheus/config/v1/rules', '/api/v1/rules'] as const;
const PROM_PREFIX = '/prometheus/api/v1';

type NsParams = { Params: { namespace: string } };
type GroupParams = { Params: { namespace: string; groupName: string } };

/** Mimir's CreateRuleGroup text: a decoding failure, else the validation errors joined with ", ". */
function defaultGroupIssues(issues: readonly Issue[]): string {
  const decode = issues.filter((i) => i.code === 'yaml' || i.code.startsWith('yaml_'));
  if (decode.length > 0) return `unable to decode rule group: ${decode.map((i) => formatIssue(i)).join(', ')}`;
  return issues.map((i) => formatIssue(i)).join(', ');
}

/** Fastify plugin with the ruler routes at their full paths (register without a prefix). */
export function rulerApiRoutes(o: RulerApiOptions) {
  const log = o.logger.child({ component: 'ruler-api' });
  const formatGroupIssues = o.formatGroupIssues ?? defaultGroupIssues;

  const yaml = (reply: FastifyReply, text: string): FastifyReply => reply.code(200).header('content-type', 'application/yaml').send(text);
  const accepted = (reply: FastifyReply): FastifyReply => reply.code(202).header('content-type', 'application/json').send(ACCEPTED_BODY);
  const storeFailed = (reply: FastifyReply, e: unknown, tenant: string, what: string): FastifyReply => {
    if (e instanceof RuleStoreError) return sendTextError(reply, e.status, e.message);
    log.error({ err: errorMessage(e), tenant }, `${what} failed`);
    return sendTextError(reply, 500, errorMessage(e));
  };
  const promFailed = (reply: FastifyReply, e: unknown, tenant: string): FastifyReply => {
    if (e instanceof BadParamError) return sendError(reply, 'bad_data', e.message);
    log.error({ err: errorMessage(e), tenant }, 'rules API request failed');
    return sendError(reply, 'internal', errorMessage(e));
  };

  const listAll = async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      const rules = await o.ruler.store.list(req.tenant);
      return yaml(reply, rules.size === 0 ? EMPTY_YAML : o.marshalNamespaces(rules));
    } catch (e) {
      return storeFailed(reply, e, req.tenant, 'listing rule groups');
    }
  };

  const listNamespace = async (req: FastifyRequest<NsParams>, reply: FastifyReply) => {
    const ns = req.params.namespace;
    try {
      const groups = (await o.ruler.store.list(req.tenant)).get(ns);
      return yaml(reply, !groups || groups.length === 0 ? EMPTY_YAML : o.marshalNamespaces(new Map([[ns, groups]])));
    } catch (e) {
      return storeFailed(reply, e, req.tenant, 'listing rule groups');
    }
  };

  const getGroup = async (req: FastifyRequest<GroupParams>, reply: FastifyReply) => {
    const { namespace, groupName } = req.params;
    try {
      const group = (await o.ruler.store.list(req.tenant)).get(namespace)?.find((g) => g.name === groupName);
      return group ? yaml(reply, o.marshalRuleGroup(group)) : sendTextError(reply, 404, GROUP_NOT_FOUND);
    } catch (e) {
      return storeFailed(reply, e, req.tenant, 'reading a rule group');
    }
  };

  const createGroup = async (req: FastifyRequest<NsParams>, reply: FastifyReply) => {
    const body = typeof req.body === 'string' ? req.body : '';
    const parsed = o.parseRuleGroup(body);
    if (!parsed.ok) return sendTextError(reply, 400, formatGroupIssues(parsed.issues));
    try {
      await o.ruler.store.putGroup(req.tenant, req.params.namespace, parsed.value);
    } catch (e) {
      return storeFailed(reply, e, req.tenant, 'storing a rule group');
    }
    return accepted(reply);
  };

  const deleteGroup = async (req: FastifyRequest<GroupParams>, reply: FastifyReply) => {
    try {
      await o.ruler.store.deleteGroup(req.tenant, req.params.namespace, req.params.groupName);
    } catch (e) {
      return storeFailed(reply, e, req.tenant, 'deleting a rule group');
    }
    return accepted(reply);
  };

  const deleteNamespace = async (req: FastifyRequest<NsParams>, reply: FastifyReply) => {
    const ns = req.params.namespace;
    try {
      // Mimir's stores answer ErrGroupNamespaceNotFound for a namespace without groups.
      if (!((await o.ruler.store.list(req.tenant)).get(ns)?.length)) return sendTextError(reply, 404, NAMESPACE_NOT_FOUND);
      await o.ruler.store.deleteNamespace(req.tenant, ns);
    } catch (e) {
      return storeFailed(reply, e, req.tenant, 'deleting a namespace');
    }
    return accepted(reply);
  };

  const rules = async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      const q = parseRulesQuery(req.query as QueryParams);
      return sendData(reply, renderRules(o.ruler.groups(req.tenant), q));
    } catch (e) {
      return promFailed(reply, e, req.tenant);
    }
  };

  const alerts = async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      const out: string[] = [];
      for (const g of o.ruler.groups(req.tenant)) {
        for (const r of g.rules) if (r.type === 'alerting') for (const a of activeAlerts(r)) out.push(encodeAlert(a));
      }
      return sendData(reply, encodeAlertDiscovery(out));
    } catch (e) {
      return promFailed(reply, e, req.tenant);
    }
  };

  const plugin: FastifyPluginCallback = (app: FastifyInstance, _opts, done) => {
    useTenant(app, () => o.requireTenant());
    // The body is the group's YAML whatever the content type: Mimir reads it raw, curl
    // --data-binary sends form encoding by default, and Grafana's JSON is YAML too.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, next) => next(null, body));
    // Framework errors (body too large, bad URL escapes) in each family's error shape.
    app.setErrorHandler((err: FastifyError, req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
      if (status >= 500) log.error({ err: err.message, url: req.url }, 'ruler API request failed');
      if (req.url.startsWith(`${PROM_PREFIX}/`)) return sendError(reply, status >= 500 ? 'internal' : 'bad_data', err.message);
      return sendTextError(reply, status, err.message);
    });

    if (o.configApi !== false) {
      const bodyLimit = o.maxGroupBytes ?? DEFAULT_MAX_GROUP_BYTES;
      for (const prefix of CONFIG_PREFIXES) {
        app.get(prefix, listAll);
        app.get(`${prefix}/:namespace`, listNamespace);
        app.get(`${prefix}/:namespace/:groupName`, getGroup);
        app.post(`${prefix}/:namespace`, { bodyLimit }, createGroup);
        app.delete(`${prefix}/:namespace/:groupName`, deleteGroup);
        app.delete(`${prefix}/:namespace`, deleteNamespace);
      }
    }
    app.get(`${PROM_PREFIX}/rules`, rules);
    app.get(`${PROM_PREFIX}/alerts`, alerts);
    // Herald's own: rule files of the tenant's rules directory that do not load (they keep their
    // last good groups, so nothing else shows the mistake).
    app.get('/api/herald/v1/rules/problems', (req: FastifyRequest, reply: FastifyReply) =>
      reply.code(200).header('content-type', 'application/json').send(JSON.stringify({ problems: o.ruler.directoryErrors(req.tenant) })),
    );
    done();
  };
  return plugin;
}
