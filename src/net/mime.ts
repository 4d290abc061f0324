/**
 * The MIME text Alertmanager's email notifier writes (notify/email/email.go), byte for byte where
 * it is deterministic: headers as `Name: <Q-encoded value>` (mime.QEncoding), then Content-Type
 * multipart/alternative (with upstream's two spaces before `boundary`) and MIME-Version, then a
 * text part and an HTML part, each quoted-printable as Go's mime/quotedprintable writes it.
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import type { MailMessage } from '../alertmanager/notify/types.js';

const HEX = '0123456789ABCDEF';

/** Go's mime.QEncoding.Encode("utf-8", s): unchanged when printable ASCII, else encoded words of <= 75 chars. */
export function qEncode(s: string): string {
  if (!/[^\t -~]/.test(s)) return s;
  const open = '=?utf-8?q?';
  const max = 75 - open.length - 2;
  const words: string[] = [];
  let cur = '';
  for (const ch of s) {
    let enc = '';
    for (const b of Buffer.from(ch, 'utf8')) {
      if (b === 0x20) enc += '_';
      else if (b > 0x20 && b < 0x7f && b !== 0x3d && b !== 0x3f && b !== 0x5f) enc += String.fromCharCode(b);
      else enc += '=' + HEX[b >> 4] + HEX[b & 15];
    }
    if (cur.length + enc.length > max) {
      words.push(cur);
      cur = '';
    }
    cur += enc;
  }
  words.push(cur);
  return words.map((w) => open + w + '?=').join(' ');
}

/** Go's quotedprintable.Writer (text mode): CRLF line ends, soft breaks at 76, trailing blanks encoded. */
export function quotedPrintable(text: string): string {
  const MAX = 76;
  const bytes = Buffer.from(text, 'utf8');
  let out = '';
  let line: string[] = [];
  let cr = false;
  const flush = (): void => {
    out += line.join('');
    line = [];
  };
  const crlf = (): void => {
    line.push('\r\n');
    flush();
  };
  const soft = (): void => {
    line.push('=');
    crlf();
  };
  const encode = (b: number): void => {
    if (MAX - 1 - line.length < 3) soft();
    line.push('=', HEX[b >> 4] as string, HEX[b & 15] as string);
  };
  const checkLast = (): void => {
    const last = line[line.length - 1];
    if (last === ' ' || last === '\t') {
      line.pop();
      encode((last as string).charCodeAt(0));
    }
  };
  for (const b of bytes) {
    if (b === 0x0a || b === 0x0d) {
      if (cr && b === 0x0a) {
        cr = false;
        continue;
      }
      if (b === 0x0d) cr = true;
      checkLast();
      crlf();
      continue;
    }
    if ((b >= 0x21 && b <= 0x7e && b !== 0x3d) || b === 0x20 || b === 0x09) {
      if (line.length === MAX - 1) soft();
      line.push(String.fromCharCode(b));
      cr = false;
    } else {
      encode(b);
    }
  }
  checkLast();
  flush();
  return out;
}

/** multipart.Writer's random boundary: 30 random bytes in hex. */
export function randomBoundary(): string {
  return randomBytes(30).toString('hex');
}

/** The full message text (headers + multipart/alternative body) for DATA. */
export function composeMail(message: MailMessage, boundary: string = randomBoundary()): string {
  let head = '';
  for (const [name, value] of Object.entries(message.headers)) head += `${name}: ${qEncode(value)}\r\n`;
  head += `Content-Type: multipart/alternative;  boundary=${boundary}\r\n`;
  head += 'MIME-Version: 1.0\r\n\r\n';
  let body = '';
  const part = (type: string, text: string): void => {
    body += body === '' ? `--${boundary}\r\n` : `\r\n--${boundary}\r\n`;
    body += `Content-Transfer-Encoding: quoted-printable\r\nContent-Type: ${type}; charset=UTF-8\r\n\r\n`;
    body += quotedPrintable(text);
  };
  if (message.text !== undefined) part('text/plain', message.text);
  if (message.html !== undefined) part('text/html', message.html);
  body += `\r\n--${boundary}--\r\n`;
  return head + body;
}
