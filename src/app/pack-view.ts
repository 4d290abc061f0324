/** How the rule packs' groups look from one tenant's side (the rules API shows a tenant only its own alerts). */
import { fileURLToPath } from 'node:url';
import type { GroupView } from '../ruler/api.js';

/** The rule packs shipped with Herald (`rule-packs/` beside `src/` and `dist/`; this file is in `src/app/`). */
export const SHIPPED_RULE_PACKS = fileURLToPath(new URL('../../rule-packs/', import.meta.url));

/** Pack groups as a tenant sees them: only its own alerts. */
export function tenantView(g: GroupView, tenant: string): GroupView {
  return {
    ...g,
    rules: g.rules.map((r) => (r.type === 'alerting' ? { ...r, alerts: r.alerts.filter((a) => a.labels['tenant'] === tenant), state: stateOf(r.alerts.filter((a) => a.labels['tenant'] === tenant && a.resolvedAt === 0)) } : r)),
  };
}

function stateOf(alerts: readonly { readonly state: 'inactive' | 'pending' | 'firing' }[]): 'inactive' | 'pending' | 'firing' {
  if (alerts.some((a) => a.state === 'firing')) return 'firing';
  return alerts.some((a) => a.state === 'pending') ? 'pending' : 'inactive';
}
