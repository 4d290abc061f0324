/**
 * The function names a Prometheus alert template may call (template/template.go's funcMap plus
 * text/template's builtins). The parser needs only the names: Go checks them at parse time.
 */
import { builtinFuncs } from '../../alertmanager/template/builtins.js';

/** Prometheus' template functions (template/template.go NewTemplateExpander, docs template_reference.md). */
export const PROMETHEUS_FUNC_NAMES: readonly string[] = [
  'query', 'first', 'label', 'value', 'strvalue', 'sortByLabel', 'args', 'reReplaceAll', 'match',
  'title', 'toUpper', 'toLower', 'graphLink', 'tableLink', 'stripPort', 'stripDomain', 'humanize',
  'humanize1024', 'humanizeDuration', 'humanizePercentage', 'humanizeTimestamp', 'toTime',
  'toDuration', 'now', 'pathPrefix', 'externalURL', 'parseDuration', 'urlQueryEscape', 'safeHtml',
];

/** Every name callable from an alert template. */
export const ALERT_FUNC_NAMES: ReadonlySet<string> = new Set([...builtinFuncs(false).keys(), ...PROMETHEUS_FUNC_NAMES]);
