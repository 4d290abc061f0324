/**
 * Parse check of a rule's label/annotation template, as Prometheus' rulefmt testTemplateParsing
 * does (model/rulefmt/rulefmt.go): the text behind the `$labels`/`$externalLabels`/`$externalURL`/
 * `$value` definitions, parsed as template `__alert_<alertname>` with Prometheus' function map.
 */
import { TemplateParseError, parseTemplate } from '../../alertmanager/template/parser.js';
import type { Tree } from '../../alertmanager/template/ast.js';
import { ALERT_FUNC_NAMES } from './names.js';

/** The variable definitions Prometheus puts in front of every alert template (rules/alerting.go). */
export const ALERT_TEMPLATE_PREFIX =
  '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';

/** The template name an alert rule's templates run under. */
export function alertTemplateName(alertname: string): string {
  return `__alert_${alertname}`;
}

const PARSE_CACHE_SIZE = 4096;

/** Parsed texts (or their parse error) by name and text: rules expand the same texts every evaluation. */
const parseCache = new Map<string, Map<string, Tree> | string>();

/** Parses `text` (already prefixed) as template `name`: the trees, or Go's parse error text. Cached. */
export function parseAlertText(name: string, text: string): Map<string, Tree> | string {
  const key = `${name}\u0000${text}`;
  let hit = parseCache.get(key);
  if (hit === undefined) {
    hit = parseUncached(name, text);
    if (parseCache.size >= PARSE_CACHE_SIZE) parseCache.delete(parseCache.keys().next().value as string);
    parseCache.set(key, hit);
  }
  return hit;
}

function parseUncached(name: string, text: string): Map<string, Tree> | string {
  try {
    return parseTemplate(name, name, text, ALERT_FUNC_NAMES);
  } catch (e) {
    if (e instanceof TemplateParseError) return e.message;
    if (e instanceof RangeError) return `template: ${name}: template nesting too deep`;
    return `template: ${name}: internal error: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/**
 * Checks that `text` parses as a template of the alerting rule `alertname`: undefined when it does,
 * else Go's error text, e.g. `template: __alert_HighLoad:1: function "foo" not defined`.
 */
export function checkAlertTemplate(alertname: string, text: string): string | undefined {
  const r = parseAlertText(alertTemplateName(alertname), ALERT_TEMPLATE_PREFIX + text);
  return typeof r === 'string' ? r : undefined;
}
