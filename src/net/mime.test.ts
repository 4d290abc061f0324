import { describe, expect, it } from 'vitest';
import { composeMail, qEncode, quotedPrintable, randomBoundary } from './mime.js';

describe('Q encoding (mime.QEncoding.Encode)', () => {
  it.each([
    ['plain ascii stays', 'Alert: [FIRING:1] x', 'Alert: [FIRING:1] x'],
    ['tabs stay', 'a\tb', 'a\tb'],
    ['utf-8 is encoded, space as _', 'Grüße an', '=?utf-8?q?Gr=C3=BC=C3=9Fe_an?='],
    ['= ? _ are encoded', 'é=?_', '=?utf-8?q?=C3=A9=3D=3F=5F?='],
    ['a newline forces encoding', 'a\nb', '=?utf-8?q?a=0Ab?='],
  ])('%s', (_n, input, want) => expect(qEncode(input)).toBe(want));

  it('splits into encoded words of at most 75 characters on rune boundaries', () => {
    const out = qEncode('é'.repeat(30));
    const words = out.split(' ');
    // 63 characters of content per word: ten 6-character escapes fit, an eleventh does not.
    expect(words).toEqual(Array.from({ length: 3 }, () => '=?utf-8?q?' + '=C3=A9'.repeat(10) + '?='));
    expect(qEncode('a'.repeat(62) + 'é').split(' ')).toEqual(['=?utf-8?q?' + 'a'.repeat(62) + '?=', '=?utf-8?q?=C3=A9?=']);
  });
});

describe('quoted-printable (mime/quotedprintable.Writer)', () => {
  it.each([
    ['ascii', 'hello world', 'hello world'],
    ['equals and utf-8', 'a=b é', 'a=3Db =C3=A9'],
    ['LF becomes CRLF', 'a\nb', 'a\r\nb'],
    ['CRLF kept', 'a\r\nb', 'a\r\nb'],
    ['trailing blanks before a line end are encoded', 'a \nb\t\n', 'a=20\r\nb=09\r\n'],
    ['trailing blank at the end is encoded', 'end ', 'end=20'],
    ['soft break after 75 characters', 'x'.repeat(100), 'x'.repeat(75) + '=\r\n' + 'x'.repeat(25)],
    ['an escape never straddles the soft break', 'x'.repeat(73) + 'é', 'x'.repeat(73) + '=\r\n=C3=A9'],
    ['control bytes encoded', 'a\u0001', 'a=01'],
  ])('%s', (_n, input, want) => expect(quotedPrintable(input)).toBe(want));
});

describe('composeMail', () => {
  it('writes headers, then the multipart/alternative body as upstream', () => {
    const raw = composeMail({ from: 'a@x', to: ['b@y'], headers: { From: 'a@x', Subject: 'Größe', Date: 'Mon, 01 Jan 2024 12:05:00 +0000' }, text: 'hi', html: '<b>hi</b>' }, 'BOUND');
    expect(raw).toBe(
      'From: a@x\r\nSubject: =?utf-8?q?Gr=C3=B6=C3=9Fe?=\r\nDate: Mon, 01 Jan 2024 12:05:00 +0000\r\n' +
        'Content-Type: multipart/alternative;  boundary=BOUND\r\nMIME-Version: 1.0\r\n\r\n' +
        '--BOUND\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nhi' +
        '\r\n--BOUND\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<b>hi</b>' +
        '\r\n--BOUND--\r\n',
    );
  });

  it('html only, and the boundary is 60 hex characters', () => {
    expect(randomBoundary()).toMatch(/^[0-9a-f]{60}$/);
    expect(composeMail({ from: 'a@x', to: ['b@y'], headers: {}, html: 'h' }, 'B')).toBe(
      'Content-Type: multipart/alternative;  boundary=B\r\nMIME-Version: 1.0\r\n\r\n--B\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset=UTF-8\r\n\r\nh\r\n--B--\r\n',
    );
  });
});
