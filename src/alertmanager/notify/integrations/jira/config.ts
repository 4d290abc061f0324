/** `jira_configs` entry. Mirrors Alertmanager's notify/jira/config.go. */
import { defineIntegration, orGlobal } from '../../../config/integration-def.js';
import { isEmpty, scalarText } from '../../../config/schema.js';
import type { StructSchema } from '../../../config/schema.js';
import { createJiraNotifier } from './notifier.js';

/** JiraFieldConfig: a template string, or `{template, enable_update}`. */
const FIELD: StructSchema = {
  type: 'jira.plain',
  fields: { template: 'string', enable_update: 'bool' },
  fromScalar: (v) => ({ template: v }),
};

/** Validator for `jira_configs` entries. */
export const jiraConfig = defineIntegration({
  name: 'jira',
  create: createJiraNotifier,
  sendResolvedDefault: true,
  goType: 'jira.plain',
  fields: {
    api_url: 'url',
    api_type: { kind: 'string', default: 'auto' },
    project: 'string',
    summary: { kind: FIELD, default: { template: '{{ template "jira.default.summary" . }}' } },
    description: { kind: FIELD, default: { template: '{{ template "jira.default.description" . }}' } },
    labels: { list: 'string' },
    priority: { kind: 'string', default: '{{ template "jira.default.priority" . }}' },
    issue_type: 'string',
    reopen_transition: 'string',
    resolve_transition: 'string',
    wont_fix_resolution: 'string',
    reopen_duration: 'duration',
    fields: { map: 'any' },
  },
  check(o, r) {
    if (isEmpty(o['project'])) r.error('missing project in jira_config', 'missing_field');
    if (isEmpty(o['issue_type'])) r.error('missing issue_type in jira_config', 'missing_field');
    if (!['auto', 'cloud', 'datacenter'].includes(scalarText(o['api_type']))) r.error('unknown api_type on jira_config, must be auto, cloud or datacenter', 'invalid_value', ['api_type']);
  },
  fillIn(o, g, r) {
    orGlobal(o, 'api_url', g, 'jira_api_url');
    if (o['api_url'] === undefined) r.error('no global Jira Cloud URL set', 'missing_global');
  },
});
