/**
 * Mimir's Alertmanager config API for the request's tenant (pkg/alertmanager/api.go):
 * GET/POST/DELETE /api/v1/alerts with the `alertmanager_config` + `template_files` YAML body.
 * A refused upload leaves the tenant running its previous config.
 */
import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import { formatIssue, sortIssues } from '../core/result.js';
import { PinnedConfigError } from '../tenancy/registry.js';
import { selectTemplateFiles } from '../tenancy/template-files.js';
import { parseUserConfig, userConfigToYaml, validateUserConfig } from '../tenancy/user-config.js';
import type { ServerContext } from './context.js';
import { errorMessage, sendTextError } from './errors.js';
import { useTenant } from './tenant.js';

/** Fastify plugin for /api/v1/alerts. */
export function configApiRoutes(ctx: ServerContext) {
  const plugin: FastifyPluginCallback = (app: FastifyInstance, _opts, done) => {
    useTenant(app, () => ctx.requireTenant());
    // Any content type is the YAML text: curl --data-binary sends form encoding by default.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

    app.get('/api/v1/alerts', async (req, reply) => {
      const uc = await ctx.registry.getUserConfig(req.tenant);
      if (!uc) return sendTextError(reply, 404, 'alertmanager config not found');
      return reply.code(200).header('content-type', 'application/yaml').send(userConfigToYaml(uc));
    });

    app.post('/api/v1/alerts', async (req, reply) => {
      const body = typeof req.body === 'string' ? req.body : '';
      const size = Buffer.byteLength(body, 'utf8');
      const limits = ctx.registry.currentLimits().forTenant(req.tenant);
      if (limits.max_config_size_bytes > 0 && size > limits.max_config_size_bytes) {
        return sendTextError(reply, 400, `Alertmanager configuration is too big, limit: ${limits.max_config_size_bytes} bytes (max_config_size_bytes)`);
      }
      const parsed = parseUserConfig(body);
      if (!parsed.ok) return sendTextError(reply, 400, `error marshalling YAML Alertmanager config: ${parsed.issues.map((i) => formatIssue(i)).join('\n')}`);
      const checked = validateUserConfig(parsed.value, limits, ctx.loadConfig, size);
      if (!checked.ok) return sendTextError(reply, 400, `error validating Alertmanager config: ${sortIssues(checked.issues).map((i) => formatIssue(i)).join('\n')}`);
      // Templates are checked now, with their positions, not discovered when a notification fails.
      const selected = selectTemplateFiles(checked.value.templates, parsed.value.template_files);
      if (!selected.ok) return sendTextError(reply, 400, `error validating Alertmanager config: ${selected.issues.map((i) => formatIssue(i)).join('\n')}`);
      const tmpl = ctx.loadTemplates?.(selected.value);
      if (tmpl && !tmpl.ok) return sendTextError(reply, 400, `error validating Alertmanager config: ${tmpl.issues.map((i) => i.message).join('\n')}`);
      try {
        await ctx.registry.putUserConfig(req.tenant, parsed.value, checked.value);
      } catch (e) {
        if (e instanceof PinnedConfigError) return sendTextError(reply, 409, e.message);
        ctx.logger.error({ err: errorMessage(e), tenant: req.tenant }, 'failed to store config');
        return sendTextError(reply, 500, `failed to save config: ${errorMessage(e)}`);
      }
      return reply.code(201).send();
    });

    app.delete('/api/v1/alerts', async (req, reply) => {
      try {
        await ctx.registry.deleteUserConfig(req.tenant);
      } catch (e) {
        if (e instanceof PinnedConfigError) return sendTextError(reply, 409, e.message);
        return sendTextError(reply, 500, `failed to delete config: ${errorMessage(e)}`);
      }
      return reply.code(200).send();
    });
    done();
  };
  return plugin;
}
