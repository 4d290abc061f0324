/**
 * A tenant's Alertmanager configuration in Mimir's upload format (pkg/alertmanager/api.go
 * UserConfig): `alertmanager_config` (plain alertmanager.yml as a string) and `template_files`
 * (file name -> template text). Parsing and validation return every problem with its position.
 */
import { parseDocument, stringify, isMap, isScalar } from 'yaml';
import type { AlertmanagerConfig } from '../alertmanager/config/types.js';
import { fail, issue, ok } from '../core/result.js';
import type { Issue, Position, Result } from '../core/result.js';
import type { TenantLimits } from './limits.js';

/** What a tenant stores: the texts exactly as uploaded. */
export interface UserConfig {
  readonly alertmanager_config: string;
  readonly template_files: Readonly<Record<string, string>>;
}

/** Parses and validates Alertmanager config text (src/alertmanager/config loadConfig). */
export type ConfigLoader = (text: string, opts?: { tenantMode?: boolean }) => Result<AlertmanagerConfig>;

function pos(lineCounter: { linePos(offset: number): { line: number; col: number } }, offset: number): Position {
  const p = lineCounter.linePos(offset);
  return { line: p.line, column: p.col };
}

/** Parses the YAML upload body; issues carry positions in the body. */
export function parseUserConfig(body: string): Result<UserConfig> {
  const doc = parseDocument(body, { keepSourceTokens: false, prettyErrors: false });
  const issues: Issue[] = [];
  const lc = { linePos: (o: number) => linePos(body, o) };
  for (const e of doc.errors) issues.push(issue('yaml', e.message.split('\n')[0] ?? e.message, { range: { start: pos(lc, e.pos[0]) } }));
  if (issues.length > 0) return fail(issues);
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
    return fail([issue('empty', 'configuration provided is empty, if you want to remove your configuration use the delete configuration endpoint')]);
  }
  if (!isMap(root)) return fail([issue('type', 'expected a mapping with alertmanager_config and template_files', { range: { start: pos(lc, root.range?.[0] ?? 0) } })]);
  let amText: string | undefined;
  const templates: Record<string, string> = {};
  for (const item of root.items) {
    const key = isScalar(item.key) ? String(item.key.value) : '';
    const at = { range: { start: pos(lc, (isScalar(item.key) ? item.key.range?.[0] : undefined) ?? 0) } };
    const v = item.value;
    if (key === 'alertmanager_config') {
      if (isScalar(v) && typeof v.value === 'string') amText = v.value;
      else if (!(isScalar(v) && v.value === null)) issues.push(issue('type', 'alertmanager_config must be a string', at));
    } else if (key === 'template_files') {
      if (isScalar(v) && v.value === null) continue;
      if (!isMap(v)) {
        issues.push(issue('type', 'template_files must be a mapping of file name to template text', at));
        continue;
      }
      for (const t of v.items) {
        const name = isScalar(t.key) ? String(t.key.value) : '';
        const tAt = { range: { start: pos(lc, (isScalar(t.key) ? t.key.range?.[0] : undefined) ?? 0) } };
        if (!isScalar(t.value) || typeof t.value.value !== 'string') issues.push(issue('type', `template file ${JSON.stringify(name)} must be a string`, tAt));
        else templates[name] = t.value.value;
      }
    } else {
      issues.push(issue('unknown_field', `field ${key} not found in type alertmanager.UserConfig`, at));
    }
  }
  if (issues.length > 0) return fail(issues);
  if (amText === undefined || amText.trim() === '') {
    return fail([issue('empty', 'configuration provided is empty, if you want to remove your configuration use the delete configuration endpoint')]);
  }
  return ok({ alertmanager_config: amText, template_files: templates });
}

function linePos(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, col: offset - start + 1 };
}

/**
 * Validates a tenant upload against the limits and the config loader in tenant mode (no file
 * secrets, no local resources). Mirrors Mimir's validateUserConfig and its size/template checks.
 */
export function validateUserConfig(uc: UserConfig, limits: TenantLimits, load: ConfigLoader, rawSize: number): Result<AlertmanagerConfig> {
  const issues: Issue[] = [];
  if (limits.max_config_size_bytes > 0 && rawSize > limits.max_config_size_bytes) {
    issues.push(issue('limit', `Alertmanager configuration is too big, limit: ${limits.max_config_size_bytes} bytes (max_config_size_bytes)`));
  }
  const names = Object.keys(uc.template_files);
  if (limits.max_template_files > 0 && names.length > limits.max_template_files) {
    issues.push(issue('limit', `too many templates in the configuration: ${names.length} (limit: ${limits.max_template_files}, max_template_files)`));
  }
  for (const n of names) {
    if (n === '' || n === '.' || n === '..' || n.includes('/') || n.includes('\\')) issues.push(issue('template_name', `invalid template name ${JSON.stringify(n)}: the template name cannot contain any path`));
    const size = Buffer.byteLength(uc.template_files[n] as string, 'utf8');
    if (limits.max_template_size_bytes > 0 && size > limits.max_template_size_bytes) {
      issues.push(issue('limit', `template ${n} is too big: ${size} bytes (limit: ${limits.max_template_size_bytes} bytes, max_template_size_bytes)`));
    }
  }
  if (issues.length > 0) return fail(issues);
  return load(uc.alertmanager_config, { tenantMode: true });
}

/** The GET /api/v1/alerts body: the texts as stored, in Mimir's YAML shape. */
export function userConfigToYaml(uc: UserConfig): string {
  return stringify({ template_files: uc.template_files, alertmanager_config: uc.alertmanager_config }, { lineWidth: 0 });
}
