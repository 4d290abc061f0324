/**
 * RFC 5322 address lists as Go's net/mail.ParseAddressList reads them, reduced to what the email
 * integration needs: the bare addresses (`Name <a@b>`, `a@b`, quoted display names, comments,
 * groups), with Go's error texts for the common mistakes.
 */

const ATEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\uffff]+$/;

/** Splits on commas outside quotes, angle brackets and comments; strips comments. */
function splitTopLevel(s: string): string[] | { error: string } {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let angle = 0;
  let comment = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (quoted) {
      cur += c;
      if (c === '\\' && i + 1 < s.length) cur += s[++i] as string;
      else if (c === '"') quoted = false;
      continue;
    }
    if (comment > 0) {
      if (c === '(') comment++;
      else if (c === ')') comment--;
      continue;
    }
    if (c === '(') comment++;
    else if (c === '"') {
      quoted = true;
      cur += c;
    } else if (c === '<') {
      angle++;
      cur += c;
    } else if (c === '>') {
      angle--;
      cur += c;
    } else if ((c === ',' || c === ';') && angle === 0) {
      out.push(cur);
      cur = '';
    } else if (c === ':' && angle === 0 && !cur.includes('@')) {
      cur = ''; // group display name
    } else cur += c;
  }
  if (quoted) return { error: 'mail: unclosed quoted-string' };
  if (comment > 0) return { error: 'mail: misformatted parenthetical comment' };
  if (angle !== 0) return { error: 'mail: unclosed angle-addr' };
  out.push(cur);
  return out;
}

function checkAddrSpec(spec: string): string | { error: string } {
  const at = spec.lastIndexOf('@');
  if (at < 0) return { error: 'mail: missing @ in addr-spec' };
  let local = spec.slice(0, at);
  const domain = spec.slice(at + 1);
  if (local.startsWith('"') && local.endsWith('"') && local.length >= 2) local = local.slice(1, -1).replace(/\\(.)/g, '$1');
  else if (local === '' || !local.split('.').every((p) => ATEXT.test(p))) return { error: 'mail: invalid string' };
  if (domain === '') return { error: 'mail: no domain in addr-spec' };
  if (!(domain.startsWith('[') && domain.endsWith(']')) && !domain.split('.').every((p) => ATEXT.test(p))) return { error: 'mail: invalid domain' };
  return `${local}@${domain}`;
}

/** The addresses of an address list, or Go's error text. */
export function parseAddressList(list: string): { addresses: string[] } | { error: string } {
  const parts = splitTopLevel(list);
  if (!Array.isArray(parts)) return parts;
  const addresses: string[] = [];
  for (const raw of parts) {
    const p = raw.trim();
    if (p === '') {
      if (parts.length === 1 || addresses.length === 0) return { error: 'mail: no address' };
      continue;
    }
    const lt = p.lastIndexOf('<');
    let spec = p;
    if (lt >= 0) {
      const gt = p.indexOf('>', lt);
      if (gt < 0) return { error: 'mail: unclosed angle-addr' };
      if (p.slice(gt + 1).trim() !== '') return { error: 'mail: expected single address' };
      spec = p.slice(lt + 1, gt).trim();
    } else if (/\s/.test(p) && !p.startsWith('"')) {
      return { error: 'mail: no angle-addr' };
    }
    const r = checkAddrSpec(spec);
    if (typeof r !== 'string') return r;
    addresses.push(r);
  }
  return { addresses };
}
