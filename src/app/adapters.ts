/** Small adapters the composition root needs: pino as the engines' Logger, and templates bound to a config. */
import type { Logger as PinoLogger } from 'pino';
import type { AlertmanagerConfig } from '../alertmanager/config/types.js';
import { formatIssue } from '../core/result.js';
import type { Logger } from '../core/runtime.js';
import { LITERAL_TEMPLATES } from '../alertmanager/template/index.js';
import type { LoadTemplates, Templates, TemplateSource } from '../alertmanager/template/index.js';
import type { ConfigSource } from '../tenancy/registry.js';
import { selectTemplateFiles } from '../tenancy/template-files.js';
import type { UserConfig } from '../tenancy/user-config.js';

/** Adapts pino to the engines' Logger (pino's overloads are wider than the contract). */
export function toLogger(p: PinoLogger): Logger {
  return {
    debug: (o, m) => (typeof o === 'string' ? p.debug(o) : p.debug(o, m)),
    info: (o, m) => (typeof o === 'string' ? p.info(o) : p.info(o, m)),
    warn: (o, m) => (typeof o === 'string' ? p.warn(o) : p.warn(o, m)),
    error: (o, m) => (typeof o === 'string' ? p.error(o) : p.error(o, m)),
    child: (b) => toLogger(p.child(b)),
  };
}

/**
 * Resolves a config's `templates:` to a loaded template set: the operator's files for pinned and
 * fallback configs, the matching uploaded `template_files` for a tenant's own config. Uploads are
 * checked when they arrive, so a set that fails here (e.g. after an upgrade) is logged and the
 * tenant keeps Herald's defaults rather than losing its notifications.
 */
export class ConfigBinder {
  constructor(
    private readonly load: LoadTemplates,
    private readonly logger: Logger,
    private readonly operatorTemplates: () => ReadonlyMap<AlertmanagerConfig, readonly TemplateSource[]>,
  ) {}

  sources(config: AlertmanagerConfig, uc: UserConfig | undefined): readonly TemplateSource[] {
    const op = this.operatorTemplates().get(config);
    if (op) return op;
    if (!uc) return [];
    const sel = selectTemplateFiles(config.templates, uc.template_files);
    return sel.ok ? sel.value : [];
  }

  templates(tenant: string, config: AlertmanagerConfig, source: ConfigSource, uc?: UserConfig): Templates {
    // A kube rendering is built on the tenant's upload, so it uses the upload's template files.
    const loaded = this.load(this.sources(config, source === 'stored' || source === 'kube' ? uc : undefined));
    if (loaded.ok) return loaded.value;
    this.logger.error({ tenant, err: loaded.issues.map((i) => formatIssue(i)).join('; ') }, 'Templates of the config do not load, using the defaults');
    const defaults = this.load([]);
    return defaults.ok ? defaults.value : LITERAL_TEMPLATES;
  }
}
