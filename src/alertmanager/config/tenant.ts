/**
 * Extra rules for tenant-uploaded configurations. Mirrors Mimir's validateAlertmanagerConfig
 * (pkg/alertmanager/api.go): no file-based secrets or local files, no proxies, no TLS material,
 * since a tenant must not make the server read its files or reach networks through it.
 */
import { issue } from '../../core/result.js';
import type { Issue } from '../../core/result.js';
import { TENANT_FORBIDDEN_KEYS, TENANT_FORBIDDEN_TLS_KEYS } from './http-config.js';
import { isPlainObject } from './schema.js';

/** Every forbidden key found in the raw document, with its path. */
export function tenantIssues(root: Record<string, unknown>): Issue[] {
  const out: Issue[] = [];
  const walk = (v: unknown, path: Array<string | number>, parentKey: string): void => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, [...path, i], parentKey));
      return;
    }
    if (!isPlainObject(v)) return;
    const inTls = parentKey === 'tls_config' || parentKey === 'smtp_tls_config';
    for (const [k, child] of Object.entries(v)) {
      const p = [...path, k];
      // Templates and payloads are data, not settings.
      if (k === 'payload' || k === 'fields' || k === 'details' || k === 'custom_fields' || k === 'attributes' || k === 'headers' || k === 'labels') continue;
      if (child !== null && child !== undefined && child !== '' && child !== false) {
        if (k.endsWith('_file') || (k === 'files' && path.includes('http_headers'))) out.push(issue('tenant_forbidden', `setting ${k} is not allowed in tenant configurations: file-based secrets and local files cannot be used`, { path: p }));
        else if (TENANT_FORBIDDEN_KEYS.has(k)) out.push(issue('tenant_forbidden', `setting ${k} is not allowed in tenant configurations`, { path: p }));
        else if (inTls && TENANT_FORBIDDEN_TLS_KEYS.has(k)) out.push(issue('tenant_forbidden', `setting TLS ${k} is not allowed in tenant configurations`, { path: p }));
      }
      walk(child, p, k);
    }
  };
  walk(root, [], '');
  return out;
}
