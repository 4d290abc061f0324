/**
 * Herald's own `email.default.html`: a plain, inline-styled HTML email (one header with the
 * subject and a link to the alert list, then a table per alert with its labels, annotations and
 * source link). Unlike upstream's Mailgun-derived template it is not byte-for-byte the same; it
 * renders the same information and is escaped by the html/template rules like any tenant template.
 */

export const EMAIL_DEFAULT_HTML = `{{ define "__herald_email_alert" }}<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse: collapse; margin: 0 0 16px 0; border: 1px solid #e5e7eb; border-radius: 4px;">
<tr><td colspan="2" style="padding: 8px 12px; background: #f9fafb; font-weight: bold; border-bottom: 1px solid #e5e7eb;">{{ .Labels.alertname }}</td></tr>
{{ range .Labels.SortedPairs }}<tr><td style="padding: 4px 12px; color: #6b7280; white-space: nowrap; vertical-align: top;">{{ .Name }}</td><td style="padding: 4px 12px;">{{ .Value }}</td></tr>
{{ end }}{{ range .Annotations.SortedPairs }}<tr><td style="padding: 4px 12px; color: #6b7280; white-space: nowrap; vertical-align: top;">{{ .Name }}</td><td style="padding: 4px 12px; white-space: pre-wrap;">{{ .Value }}</td></tr>
{{ end }}{{ if .GeneratorURL }}<tr><td colspan="2" style="padding: 8px 12px;"><a href="{{ .GeneratorURL }}" style="color: #2563eb;">Source</a></td></tr>
{{ end }}</table>
{{ end }}
{{ define "__herald_email_section" }}{{ range . }}{{ template "__herald_email_alert" . }}{{ end }}{{ end }}
{{ define "email.default.html" }}<!DOCTYPE html>
<html>
<head>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>{{ template "__subject" . }}</title>
</head>
<body style="margin: 0; padding: 0; background: #f3f4f6; font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; font-size: 14px; color: #111827;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background: #f3f4f6;"><tr><td align="center" style="padding: 24px 12px;">
<table role="presentation" width="640" cellpadding="0" cellspacing="0" style="max-width: 640px; width: 100%; background: #ffffff; border-radius: 6px;">
<tr><td style="padding: 16px 20px; color: #ffffff; font-size: 16px; font-weight: bold; border-radius: 6px 6px 0 0; background: {{ if eq .Status "firing" }}#dc2626{{ else }}#16a34a{{ end }};">{{ .Alerts | len }} alert{{ if gt (len .Alerts) 1 }}s{{ end }} for {{ range .GroupLabels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}</td></tr>
<tr><td style="padding: 20px;">
<p style="margin: 0 0 16px 0;"><a href="{{ template "__alertmanagerURL" . }}" style="display: inline-block; padding: 8px 14px; background: #2563eb; color: #ffffff; text-decoration: none; border-radius: 4px;">View in {{ template "__alertmanager" . }}</a></p>
{{ with .Alerts.Firing }}<h2 style="margin: 16px 0 8px 0; font-size: 15px; color: #dc2626;">[{{ len . }}] Firing</h2>
{{ template "__herald_email_section" . }}{{ end }}{{ with .Alerts.Resolved }}<h2 style="margin: 16px 0 8px 0; font-size: 15px; color: #16a34a;">[{{ len . }}] Resolved</h2>
{{ template "__herald_email_section" . }}{{ end }}</td></tr>
</table>
<p style="margin: 12px 0 0 0; font-size: 12px; color: #6b7280;">Sent by {{ template "__alertmanager" . }}</p>
</td></tr></table>
</body>
</html>
{{ end }}
`;
