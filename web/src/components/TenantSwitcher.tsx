/**
 * The tenant every page shows. With authentication, only the tenants GET /api/herald/v1/tenants
 * lists for the user (and that whoami allows) are offered, and no name can be typed in; without,
 * every tenant Herald knows, plus any name typed in (a tenant exists from its first use).
 */
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { WhoAmI } from '../api/herald.js';
import { useSession } from '../session.js';

const OTHER = '\u0000other';

/**
 * The tenants the select offers: a restricted user (a list in whoami) gets only the listed tenants
 * they may see; otherwise the list plus the selected tenant (typed in, or not yet known).
 */
export function offeredTenants(tenant: string, tenants: readonly string[], who: WhoAmI | undefined): readonly string[] {
  if (who !== undefined && who.tenants !== '*') {
    const allowed = who.tenants;
    return tenants.filter((t) => allowed.includes(t));
  }
  return tenants.includes(tenant) ? tenants : [tenant, ...tenants];
}

export function TenantSwitcher(): ReactNode {
  const { tenant, tenants, setTenant, who } = useSession();
  const [typing, setTyping] = useState(false);
  const [name, setName] = useState('');
  const mayType = who === undefined || who.tenants === '*';
  const options = offeredTenants(tenant, tenants, who);
  const known = options.includes(tenant);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const t = name.trim();
    if (t !== '') setTenant(t);
    setTyping(false);
    setName('');
  };
  if (typing) {
    return (
      <form className="tenant-other" onSubmit={submit}>
        <label>
          <span className="sr-only">Tenant name</span>
          <input autoFocus placeholder="tenant id" value={name} onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && setTyping(false)} />
        </label>
        <button type="submit">Go</button>
      </form>
    );
  }
  return (
    <label className="tenant">
      <span>Tenant</span>
      <select
        aria-label="Tenant"
        value={known ? tenant : ''}
        onChange={(e) => {
          if (e.target.value === OTHER) setTyping(true);
          else setTenant(e.target.value);
        }}
      >
        {known ? null : (
          <option value="" disabled>
            Choose a tenant
          </option>
        )}
        {options.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
        {mayType ? <option value={OTHER}>Other tenant…</option> : null}
      </select>
    </label>
  );
}
