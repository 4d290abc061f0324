/**
 * html/template's contextual escaping, done dynamically: the output tracks the HTML context of the
 * literal template text it has emitted (text, tag, attribute name/value, URL part, script/style,
 * RCDATA, comment) and escapes each action's value for that context, as Go's escaper would have
 * chosen statically. Covered: HTML text (htmlEscaper, `safeHtml` passes through, stray `<` in
 * template text normalized to `&lt;`), quoted and unquoted attribute values, URL attributes (scheme
 * filter to `#ZgotmplZ`, normalization before the query, query escaping after `?`/`#`, `safeUrl`
 * skips the filter), `on*` attributes and <script> (JSON values; JS string literals with
 * jsStrEscaper), style attributes and <style> (cssValueFilter), RCDATA (<title>, <textarea>),
 * attribute names, `html`/`urlquery` not escaped twice, and stripping of HTML comments from
 * template text. Not covered: Go's static checks (branches ending in different contexts,
 * ErrAmbigContext and other `html/template:` errors), JS comments, regexp and template literals,
 * CSS strings/url() sub-contexts, srcset, and entity decoding beyond &quot;/&#39; in on* values.
 */
import { goJsonEncode } from '../../core/go-json.js';
import { toJsonValue } from './funcs.js';
import { formatV } from './go-format.js';
import type { Output } from './exec.js';
import { SafeContent } from './values.js';
import type { GoValue } from './values.js';

type State = 'text' | 'tagName' | 'tag' | 'attrName' | 'afterName' | 'beforeValue' | 'value' | 'comment' | 'raw';
type AttrKind = 'normal' | 'url' | 'js' | 'css';

const URL_ATTRS = new Set(['action', 'archive', 'background', 'cite', 'classid', 'codebase', 'data', 'formaction', 'href', 'icon', 'longdesc', 'manifest', 'poster', 'profile', 'src', 'usemap', 'xmlns']);
const RAW_ELEMENTS = new Set(['script', 'style', 'textarea', 'title']);

const HTML_TABLE: Record<string, string> = { '\0': '\uFFFD', '"': '&#34;', '&': '&amp;', "'": '&#39;', '+': '&#43;', '<': '&lt;', '>': '&gt;' };
const NOSPACE_EXTRA: Record<string, string> = { '\t': '&#9;', '\n': '&#10;', '\v': '&#11;', '\f': '&#12;', '\r': '&#13;', ' ': '&#32;', '=': '&#61;', '`': '&#96;' };

/** html/template's htmlEscaper (for plain strings). */
export function htmlEscape(s: string, unquoted = false, keepAmp = false): string {
  let out = '';
  for (const ch of s) {
    if (keepAmp && ch === '&') out += ch;
    else out += HTML_TABLE[ch] ?? (unquoted ? NOSPACE_EXTRA[ch] : undefined) ?? ch;
  }
  return out;
}

/** Removes tags from HTML content placed in an attribute (Go's stripTags, simplified). */
function stripTags(s: string): string {
  return s.replace(/<[^>]*>?/g, '');
}

/** Go's urlProcessor: percent-encode bytes; `norm` keeps reserved characters and existing escapes. */
export function urlProcess(s: string, norm: boolean): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-._~]/.test(c) || (norm && /[!#$&*+,/:;=?@[\]%]/.test(c))) out += c;
    else out += '%' + b.toString(16).padStart(2, '0');
  }
  return out;
}

/** Go's urlFilter: only http, https and mailto schemes (or none) pass. */
export function urlFilter(s: string): string {
  const colon = s.indexOf(':');
  if (colon >= 0 && !s.slice(0, colon).includes('/')) {
    const scheme = s.slice(0, colon).toLowerCase();
    if (scheme !== 'http' && scheme !== 'https' && scheme !== 'mailto') return '#ZgotmplZ';
  }
  return s;
}

/** html/template's jsValEscaper: JSON for the value, padded with spaces where it could merge with code. */
function jsValue(v: GoValue): string {
  if (v instanceof SafeContent && v.kind === 'JS') return v.value;
  if (v === null || v === undefined) return ' null ';
  let json: string;
  try {
    json = goJsonEncode(toJsonValue(v instanceof SafeContent ? v.value : v)).replace(/\n$/, '');
  } catch (e) {
    return ` /* ${e instanceof Error ? e.message.replace(/\*\//g, '* /') : 'error'} */null `;
  }
  json = json.replace(/[\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16));
  const identPart = /[\p{L}\p{N}_$]/u;
  return identPart.test(json[0] ?? '') || identPart.test(json[json.length - 1] ?? '') ? ` ${json} ` : json;
}

const JS_STR: Record<string, string> = {
  '\0': '\\u0000', '\t': '\\t', '\n': '\\n', '\v': '\\u000b', '\f': '\\f', '\r': '\\r', '"': '\\u0022', '&': '\\u0026', "'": '\\u0027',
  '+': '\\u002b', '/': '\\/', '<': '\\u003c', '>': '\\u003e', '\\': '\\\\', '`': '\\u0060', '\u2028': '\\u2028', '\u2029': '\\u2029',
};

/** html/template's jsStrEscaper: a value inside a JS string literal. */
export function jsStrEscape(s: string): string {
  return s.replace(/[\0\t\n\v\f\r"&'+/<>\\`\u2028\u2029]/g, (c) => JS_STR[c] as string);
}

/** html/template's cssValueFilter: plain CSS values pass, anything that can break out fails safe. */
export function cssValue(v: GoValue, s: string): string {
  if (v instanceof SafeContent && v.kind === 'CSS') return s;
  let id = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if ('\0"\'()/;@[\\]`{}<>'.includes(c)) return 'ZgotmplZ';
    if (c === '-' && i > 0 && s[i - 1] === '-') return 'ZgotmplZ';
    if (/[A-Za-z0-9_-]/.test(c)) id += c;
  }
  id = id.toLowerCase();
  return id.includes('expression') || id.includes('mozbinding') ? 'ZgotmplZ' : s;
}

/** An Output that escapes values by the context of the text emitted so far. */
export class HtmlOutput implements Output {
  private parts: string[] = [];
  length = 0;
  private state: State = 'text';
  private tagName = '';
  private closing = false;
  private attrName = '';
  private quote = '';
  private attrKind: AttrKind = 'normal';
  private urlPart: 'none' | 'pre' | 'query' = 'none';
  private rawElem = '';
  private pending = '';
  /** Inside <script> or an on* attribute: the quote of the JS string literal we are in, if any. */
  private jsStr = '';
  private jsEsc = false;

  private push(s: string): void {
    this.parts.push(s);
    this.length += s.length;
  }

  /** Emits template text, tracking context; HTML comments in text are dropped (as Go does). */
  text(s: string): void {
    const out: string[] = [];
    let i = 0;
    while (i < s.length) {
      const st = this.state;
      if (st === 'comment') {
        const hay = this.pending + s.slice(i);
        const k = hay.indexOf('-->');
        if (k < 0) {
          this.pending = hay.slice(-2);
          break;
        }
        i += k + 3 - this.pending.length;
        this.pending = '';
        this.state = 'text';
        continue;
      }
      const jsScan = (st === 'raw' && this.rawElem === 'script') || (st === 'value' && this.attrKind === 'js');
      if (!jsScan && (st === 'text' || st === 'raw' || (st === 'value' && this.quote !== '' && this.attrKind !== 'url'))) {
        // Fast path: copy up to the next character that can change the context.
        const k = st === 'value' ? s.indexOf(this.quote, i) : s.indexOf('<', i);
        if (k < 0) {
          out.push(s.slice(i));
          break;
        }
        out.push(s.slice(i, k));
        if (st === 'text') {
          if (s.startsWith('<!--', k)) {
            this.state = 'comment';
            this.pending = '';
            i = k + 4;
            continue;
          }
          // A '<' that starts no tag is normalized to &lt; (a doctype is left alone), as Go does.
          const n1 = s[k + 1] ?? '';
          const tag = /[A-Za-z]/.test(n1) || (n1 === '/' && /[A-Za-z]/.test(s[k + 2] ?? ''));
          if (!tag) {
            out.push(/^<!doctype/i.test(s.slice(k, k + 9)) ? '<' : '&lt;');
            i = k + 1;
            continue;
          }
        }
        i = k;
      }
      const c = s[i] as string;
      out.push(c);
      this.advance(c, s, i);
      i++;
    }
    if (out.length > 0) this.push(out.join(''));
  }

  private advance(c: string, s: string, i: number): void {
    switch (this.state) {
      case 'text':
        if (c === '<' && /[A-Za-z/]/.test(s[i + 1] ?? '')) {
          this.state = 'tagName';
          this.tagName = '';
          this.closing = false;
        }
        return;
      case 'raw':
        if (this.rawElem === 'script') this.jsChar(c);
        if (c === '<' && s.slice(i + 1, i + 2 + this.rawElem.length).toLowerCase() === '/' + this.rawElem) {
          this.state = 'tagName';
          this.tagName = '';
          this.closing = false;
        }
        return;
      case 'tagName':
        if (c === '/' && this.tagName === '') this.closing = true;
        else if (/[\s]/.test(c)) this.state = 'tag';
        else if (c === '>') this.endTag();
        else this.tagName += c.toLowerCase();
        return;
      case 'tag':
        if (c === '>') this.endTag();
        else if (/[^\s/]/.test(c)) {
          this.state = 'attrName';
          this.attrName = c.toLowerCase();
        }
        return;
      case 'attrName':
        if (c === '=') this.startValue();
        else if (/\s/.test(c)) this.state = 'afterName';
        else if (c === '>') this.endTag();
        else this.attrName += c.toLowerCase();
        return;
      case 'afterName':
        if (c === '=') this.startValue();
        else if (c === '>') this.endTag();
        else if (/\S/.test(c)) {
          this.state = 'attrName';
          this.attrName = c.toLowerCase();
        }
        return;
      case 'beforeValue':
        if (c === '"' || c === "'") {
          this.quote = c;
          this.state = 'value';
        } else if (c === '>') this.endTag();
        else if (/\S/.test(c)) {
          this.quote = '';
          this.state = 'value';
          this.valueChar(c);
        }
        return;
      case 'value':
        if (this.quote ? c === this.quote : /[\s>]/.test(c)) {
          this.state = 'tag';
          if (c === '>') this.endTag();
        } else this.valueChar(c, s, i);
        return;
      case 'comment':
        return;
    }
  }

  /** Tracks JS string literals (quotes and backslash escapes; JS comments and regexps are not tracked). */
  private jsChar(c: string): void {
    if (this.jsEsc) {
      this.jsEsc = false;
      return;
    }
    if (this.jsStr !== '') {
      if (c === '\\') this.jsEsc = true;
      else if (c === this.jsStr) this.jsStr = '';
    } else if (c === '"' || c === "'" || c === '`') this.jsStr = c;
  }

  private valueChar(c: string, s = '', i = 0): void {
    if (this.attrKind === 'js') {
      // In an attribute the JS is HTML-encoded: &quot; and &#39; are quotes too.
      const ent = /^&(?:quot|#34|#x22);/.test(s.slice(i, i + 6)) ? '"' : /^&(?:#39|apos|#x27);/.test(s.slice(i, i + 6)) ? "'" : undefined;
      this.jsChar(ent ?? c);
      return;
    }
    if (this.attrKind !== 'url') return;
    if (c === '?' || c === '#') this.urlPart = 'query';
    else if (this.urlPart === 'none' && !/\s/.test(c)) this.urlPart = 'pre';
  }

  private startValue(): void {
    this.state = 'beforeValue';
    this.jsStr = '';
    this.jsEsc = false;
    const n = this.attrName.replace(/^[^:]*:/, '');
    this.attrKind = n.startsWith('on') ? 'js' : n === 'style' ? 'css' : URL_ATTRS.has(n) || /url|uri|src/.test(n) ? 'url' : 'normal';
    this.urlPart = 'none';
  }

  private endTag(): void {
    this.jsStr = '';
    this.jsEsc = false;
    if (!this.closing && RAW_ELEMENTS.has(this.tagName)) {
      this.state = 'raw';
      this.rawElem = this.tagName;
    } else this.state = 'text';
  }

  value(v: GoValue): void {
    // html/template's escapers skip untyped nil arguments: a missing value renders as "".
    const jsContext = (this.state === 'raw' && this.rawElem === 'script') || ((this.state === 'value' || this.state === 'beforeValue') && this.attrKind === 'js');
    if ((v === undefined || v === null) && !jsContext) {
      if (this.state === 'beforeValue') {
        this.quote = '';
        this.state = 'value';
      }
      return;
    }
    const safe = v instanceof SafeContent ? v : undefined;
    const str = safe ? safe.value : formatV(v);
    switch (this.state) {
      case 'text':
        this.push(safe?.kind === 'HTML' ? str : htmlEscape(str));
        return;
      case 'comment':
        return;
      case 'raw':
        if (this.rawElem === 'script') this.push(this.jsStr ? jsStrEscape(str) : jsValue(v));
        else if (this.rawElem === 'style') this.push(cssValue(v, str));
        else this.push(htmlEscape(str, false, safe?.kind === 'HTML'));
        return;
      case 'tagName': case 'tag': case 'attrName': case 'afterName': {
        const name = /^[A-Za-z0-9\-_:]+$/.test(str) && !/^on/i.test(str) ? str.toLowerCase() : 'ZgotmplZ';
        this.push(name);
        if (this.state === 'tag' || this.state === 'afterName') {
          this.state = 'attrName';
          this.attrName = name;
        } else if (this.state === 'attrName') this.attrName += name;
        else this.tagName += name;
        return;
      }
      case 'beforeValue':
        this.quote = '';
        this.state = 'value';
        this.attrValue(v, safe, str);
        return;
      case 'value':
        this.attrValue(v, safe, str);
    }
  }

  private attrValue(v: GoValue, safe: SafeContent | undefined, str: string): void {
    const unquoted = this.quote === '';
    let out: string;
    switch (this.attrKind) {
      case 'url': {
        if (this.urlPart === 'query') out = urlProcess(str, safe?.kind === 'URL');
        else {
          const filtered = this.urlPart === 'none' && safe?.kind !== 'URL' ? urlFilter(str) : str;
          out = urlProcess(filtered, true);
        }
        if (str !== '' && this.urlPart === 'none') this.urlPart = /[?#]/.test(out) ? 'query' : 'pre';
        else if (/[?#]/.test(out) && this.urlPart === 'pre') this.urlPart = 'query';
        break;
      }
      case 'js': out = this.jsStr ? jsStrEscape(str) : jsValue(v); break;
      case 'css': out = cssValue(v, str); break;
      default:
        out = safe?.kind === 'HTML' ? stripTags(str) : str;
    }
    this.push(htmlEscape(out, unquoted, this.attrKind === 'normal' && safe?.kind === 'HTML'));
  }

  toString(): string {
    return this.parts.join('');
  }
}
