/**
 * Helpers the templated integrations share. Mirrors Alertmanager's notify/util.go: TmplText and
 * TmplHTML (render many fields, keep the first error), TruncateInRunes/TruncateInBytes (cut with
 * the `…` marker) and Key.Hash (SHA-256 of the group key, used as dedup key / alias / entity id).
 */
import { createHash } from 'node:crypto';
import type { Templates } from '../../../template/api.js';
import type { TemplateData } from '../../template-data.js';
import type { SecretFileReader } from '../../types.js';

/** The marker upstream appends to cut text. */
export const TRUNCATION_MARKER = '…';

/**
 * Renders fields against one notification's data. After the first failure every further field
 * renders as "" and `error` keeps that first failure, so callers check once after building.
 */
export class Tmpl {
  private firstError: string | undefined;

  constructor(
    private readonly templates: Templates,
    private readonly data: TemplateData,
  ) {}

  /** ExecuteTextString. */
  text(s: string): string {
    return this.run(s, false);
  }

  /** ExecuteHTMLString. */
  html(s: string): string {
    return this.run(s, true);
  }

  /** The first error's message, or undefined when every field rendered. */
  get error(): string | undefined {
    return this.firstError;
  }

  private run(s: string, html: boolean): string {
    if (this.firstError !== undefined) return '';
    try {
      return html ? this.templates.executeHtml(s, this.data) : this.templates.executeText(s, this.data);
    } catch (e) {
      this.firstError = e instanceof Error ? e.message : String(e);
      return '';
    }
  }
}

/** Shorthand for a Tmpl over `templates` and `data`. */
export function tmpl(templates: Templates, data: TemplateData): Tmpl {
  return new Tmpl(templates, data);
}

/** Number of runes (code points) in `s`. */
export function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** TruncateInRunes: at most `n` code points; the last one becomes `…` when cut (n > 3). */
export function truncateInRunes(s: string, n: number): { text: string; truncated: boolean } {
  const runes = Array.from(s);
  if (runes.length <= n) return { text: s, truncated: false };
  if (n <= 3) return { text: runes.slice(0, n).join(''), truncated: true };
  return { text: runes.slice(0, n - 1).join('') + TRUNCATION_MARKER, truncated: true };
}

/** TruncateInBytes: at most `n` UTF-8 bytes, never splitting a code point, `…` (3 bytes) at the end. */
export function truncateInBytes(s: string, n: number): { text: string; truncated: boolean } {
  if (Buffer.byteLength(s, 'utf8') <= n) return { text: s, truncated: false };
  if (n <= 3) return { text: n === 3 ? TRUNCATION_MARKER : '.'.repeat(Math.max(0, n)), truncated: true };
  const target = n - 3;
  let out = '';
  let bytes = 0;
  for (const r of s) {
    const b = Buffer.byteLength(r, 'utf8');
    if (bytes + b > target) break;
    out += r;
    bytes += b;
  }
  return { text: out + TRUNCATION_MARKER, truncated: true };
}

/** Key.Hash: lowercase hex SHA-256 of the group key. */
export function groupKeyHash(groupKey: string): string {
  return createHash('sha256').update(groupKey, 'utf8').digest('hex');
}

/**
 * An inline secret or its `<key>_file` variant, read at send time as upstream (`read <key>_file: …`
 * when the file cannot be read). Without a reader (tenant configs) a `_file` setting fails the
 * notification, as it must never make the server read a tenant-named file.
 */
export function inlineSecret(settings: Readonly<Record<string, unknown>>, key: string, secrets?: SecretFileReader): { value: string } | { error: string } {
  const inline = settings[key];
  if (typeof inline === 'string' && inline !== '') return { value: inline };
  const file = settings[`${key}_file`];
  if (typeof file === 'string' && file !== '') {
    if (!secrets) return { error: `reading ${key}_file is not supported` };
    try {
      return { value: secrets.read(file) };
    } catch (e) {
      return { error: `read ${key}_file: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  return { value: typeof inline === 'number' ? String(inline) : '' };
}
