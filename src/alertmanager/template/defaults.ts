/**
 * Herald's built-in notification templates. They define the names Alertmanager's default.tmpl
 * defines and render the same text for the same data (proven by the golden test against the
 * upstream file in ../shared/conformance), but are written independently: shared sections live
 * in `__herald_*` helpers. `email.default.html` is Herald's own simpler HTML (see email-default.ts).
 */
import { EMAIL_DEFAULT_HTML } from './email-default.js';

/** Core helpers: product name, the alert list URL, subject line and the plain-text alert lists. */
const CORE = `{{ define "__alertmanager" }}Alertmanager{{ end }}
{{ define "__alertmanagerURL" }}{{ .ExternalURL }}/#/alerts?receiver={{ urlquery .Receiver }}{{ end }}
{{ define "__subject" }}[{{ toUpper .Status }}{{ if eq .Status "firing" }}:{{ len .Alerts.Firing }}{{ end }}] {{ join " " .GroupLabels.Values }} {{ if gt (len .CommonLabels) (len .GroupLabels) }}({{ join " " (.CommonLabels.Remove .GroupLabels.Names).Values }}){{ end }}{{ end }}
{{ define "__description" }}{{ end }}
{{ define "__text_alert_list" }}{{ range $a := . }}Labels:
{{ range $a.Labels.SortedPairs }}{{ printf " - %s = %s\\n" .Name .Value }}{{ end }}Annotations:
{{ range $a.Annotations.SortedPairs }}{{ printf " - %s = %s\\n" .Name .Value }}{{ end }}Source: {{ $a.GeneratorURL }}
{{ end }}{{ end }}
{{ define "__text_alert_list_markdown" }}{{ range $a := . }}
Labels:
{{ range $a.Labels.SortedPairs }}{{ printf "  - %s = %s\\n" .Name .Value }}{{ end }}
Annotations:
{{ range $a.Annotations.SortedPairs }}{{ printf "  - %s = %s\\n" .Name .Value }}{{ end }}
Source: {{ $a.GeneratorURL }}
{{ end }}
{{ end }}
{{ define "__herald_annotations" }}{{ join " " .CommonAnnotations.Values }}{{ end }}
{{ define "__herald_firing_tight" }}{{ with .Alerts.Firing }}Alerts Firing:
{{ template "__text_alert_list" . }}{{ end }}{{ end }}
{{ define "__herald_resolved_tight" }}{{ with .Alerts.Resolved }}Alerts Resolved:
{{ template "__text_alert_list" . }}{{ end }}{{ end }}
{{ define "__herald_sections_tight" }}{{ template "__herald_annotations" . }}
{{ template "__herald_firing_tight" . }}
{{ template "__herald_resolved_tight" . }}{{ end }}
{{ define "__herald_sections_loose" }}{{ with .Alerts.Firing }}
Alerts Firing:
{{ template "__text_alert_list" . }}
{{ end }}
{{ with .Alerts.Resolved }}
Alerts Resolved:
{{ template "__text_alert_list" . }}
{{ end }}
{{ end }}
{{ define "__herald_sections_markdown" }}
{{ with .Alerts.Firing }}
# Alerts Firing:
{{ template "__text_alert_list_markdown" . }}
{{ end }}
{{ with .Alerts.Resolved }}
# Alerts Resolved:
{{ template "__text_alert_list_markdown" . }}
{{ end }}
{{ end }}
{{ define "__herald_status_color" }}{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}{{ end }}
`;

/** Per-integration names: each one delegates to a helper above. */
const INTEGRATIONS = `{{ define "slack.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "slack.default.username" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "slack.default.fallback" }}{{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }}{{ end }}
{{ define "slack.default.callbackid" }}{{ end }}
{{ define "slack.default.pretext" }}{{ end }}
{{ define "slack.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "slack.default.iconemoji" }}{{ end }}
{{ define "slack.default.iconurl" }}{{ end }}
{{ define "slack.default.text" }}{{ end }}
{{ define "slack.default.footer" }}{{ end }}
{{ define "slack.default.color" }}{{ template "__herald_status_color" . }}{{ end }}
{{ define "pagerduty.default.description" }}{{ template "__subject" . }}{{ end }}
{{ define "pagerduty.default.client" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "pagerduty.default.clientURL" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "pagerduty.default.instances" }}{{ template "__text_alert_list" . }}{{ end }}
{{ define "opsgenie.default.message" }}{{ template "__subject" . }}{{ end }}
{{ define "opsgenie.default.description" }}{{ template "__herald_sections_tight" . }}{{ end }}
{{ define "opsgenie.default.source" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "wechat.default.message" }}{{ template "__subject" . }}
{{ template "__herald_sections_tight" . }}
AlertmanagerUrl:
{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "wechat.default.to_user" }}{{ end }}
{{ define "wechat.default.to_party" }}{{ end }}
{{ define "wechat.default.to_tag" }}{{ end }}
{{ define "wechat.default.agent_id" }}{{ end }}
{{ define "victorops.default.state_message" }}{{ template "__herald_sections_tight" . }}{{ end }}
{{ define "victorops.default.entity_display_name" }}{{ template "__subject" . }}{{ end }}
{{ define "victorops.default.monitoring_tool" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "pushover.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "pushover.default.message" }}{{ template "__herald_annotations" . }}
{{ template "__herald_sections_loose" . }}{{ end }}
{{ define "pushover.default.url" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "sns.default.subject" }}{{ template "__subject" . }}{{ end }}
{{ define "sns.default.message" }}{{ template "__herald_annotations" . }}
{{ template "__herald_sections_loose" . }}{{ end }}
{{ define "telegram.default.message" }}
{{ template "__herald_sections_loose" . }}{{ end }}
{{ define "discord.default.content" }}{{ end }}
{{ define "discord.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "discord.default.message" }}
{{ template "__herald_sections_loose" . }}{{ end }}
{{ define "webex.default.message" }}{{ template "__herald_annotations" . }}
{{ template "__herald_sections_loose" . }}{{ end }}
{{ define "msteams.default.summary" }}{{ template "__subject" . }}{{ end }}
{{ define "msteams.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "msteams.default.text" }}{{ template "__herald_sections_markdown" . }}{{ end }}
{{ define "msteamsv2.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "msteamsv2.default.text" }}{{ template "__herald_sections_markdown" . }}{{ end }}
{{ define "jira.default.summary" }}{{ template "__subject" . }}{{ end }}
{{ define "jira.default.description" }}{{ template "__herald_sections_markdown" . }}{{ end }}
{{ define "__herald_severity_rank" }}{{ $rank := 0 }}{{ range . }}{{ $s := index .Labels "severity" }}{{ if eq $s "critical" }}{{ $rank = 3 }}{{ else if and (eq $s "warning") (lt $rank 2) }}{{ $rank = 2 }}{{ else if and (eq $s "info") (lt $rank 1) }}{{ $rank = 1 }}{{ end }}{{ end }}{{ if eq $rank 3 }}High{{ else if eq $rank 2 }}Medium{{ else if eq $rank 1 }}Low{{ end }}{{ end }}
{{ define "jira.default.priority" }}{{ $known := false }}{{ range .Alerts.Firing }}{{ if eq (index .Labels "severity") "critical" "warning" "info" }}{{ $known = true }}{{ end }}{{ end }}{{ if $known }}{{ template "__herald_severity_rank" .Alerts.Firing }}{{ else }}{{ template "__herald_severity_rank" .Alerts.Resolved }}{{ end }}{{ end }}
{{ define "rocketchat.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "rocketchat.default.alias" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "rocketchat.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "rocketchat.default.emoji" }}{{ end }}
{{ define "rocketchat.default.iconurl" }}{{ end }}
{{ define "rocketchat.default.text" }}{{ end }}
{{ define "mattermost.default.color" }}{{ template "__herald_status_color" . }}{{ end }}
{{ define "mattermost.default.username" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "mattermost.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "mattermost.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "mattermost.default.fallback" }}{{ template "mattermost.default.title" . }} | {{ template "mattermost.default.titlelink" . }}{{ end }}
{{ define "mattermost.default.text" }}{{ template "__herald_sections_markdown" . }}{{ end }}
{{ define "email.default.subject" }}{{ template "__subject" . }}{{ end }}
`;

/** The built-in template sources, parsed before the tenant's files. */
export const DEFAULT_TEMPLATE_SOURCES: ReadonlyArray<{ readonly name: string; readonly text: string }> = [
  { name: 'herald-default.tmpl', text: CORE + INTEGRATIONS },
  { name: 'herald-email.tmpl', text: EMAIL_DEFAULT_HTML },
];
