import { describe, expect, it } from 'vitest';
import { goJsonEncode, goJsonString, goTimeJson, GoMap } from './go-json.js';

describe('goJsonString (encoding/json with HTML escaping)', () => {
  it.each([
    { in: 'plain', out: '"plain"' },
    { in: 'a<b>&c', out: '"a\\u003cb\\u003e\\u0026c"' },
    { in: 'tab\tnl\nbs\bff\f\u0001', out: '"tab\\tnl\\nbs\\u0008ff\\u000c\\u0001"' },
    { in: 'line1\nline2\t"q"\\', out: '"line1\\nline2\\t\\"q\\"\\\\"' },
    { in: '\u2028\u2029', out: '"\\u2028\\u2029"' },
    { in: '\u0001\u001f', out: '"\\u0001\\u001f"' },
    { in: 'é😀', out: '"é😀"' },
    { in: 'x\ud800y', out: '"x\\ufffdy"' },
    { in: '\udc00<', out: '"\\ufffd\\u003c"' },
    { in: '\\ud800 literal', out: '"\\\\ud800 literal"' },
    { in: '😀<', out: '"😀\\u003c"' },
  ])('$in', ({ in: s, out }) => {
    expect(goJsonString(s)).toBe(out);
  });
});

describe('goJsonEncode', () => {
  it('sorts map keys by code point, keeps struct order, ends with a newline', () => {
    expect(goJsonEncode({ b: 1, a: [true, null, 'x'], m: new GoMap({ b: '2', Z: '1', a: '3', é: '4' }) })).toBe(
      '{"b":1,"a":[true,null,"x"],"m":{"Z":"1","a":"3","b":"2","é":"4"}}\n',
    );
  });

  it('keeps integer-like map keys in string order', () => {
    expect(goJsonEncode(new GoMap({ '10': 'a', '9': 'b', x: 'c' }))).toBe('{"10":"a","9":"b","x":"c"}\n');
  });
});

describe('goTimeJson (time.Time.MarshalJSON, UTC)', () => {
  it.each([
    { t: 0, out: '0001-01-01T00:00:00Z' },
    { t: Date.UTC(2024, 0, 1, 12, 0, 0), out: '2024-01-01T12:00:00Z' },
    { t: Date.UTC(2024, 0, 1, 12, 0, 0, 500), out: '2024-01-01T12:00:00.5Z' },
    { t: Date.UTC(2024, 0, 1, 12, 0, 0, 120), out: '2024-01-01T12:00:00.12Z' },
    { t: Date.UTC(2024, 0, 1, 12, 0, 0, 123), out: '2024-01-01T12:00:00.123Z' },
    { t: Date.UTC(2024, 0, 1, 12, 0, 0, 1), out: '2024-01-01T12:00:00.001Z' },
  ])('$out', ({ t, out }) => {
    expect(goTimeJson(t)).toBe(out);
  });
});

describe('goJsonString agrees with the generic path on every code unit', () => {
  it('single characters and pairs around them', () => {
    // The reference: JSON.stringify with Go's differences applied by hand.
    const go = (s: string): string => {
      let out = '';
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        const ch = s[i] as string;
        if (ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029 || c === 0x08 || c === 0x0c) out += `\\u${c.toString(16).padStart(4, '0')}`;
        else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) out += s.slice(i, ++i + 1);
        else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
        else out += JSON.stringify(ch).slice(1, -1);
      }
      return `"${out}"`;
    };
    for (let c = 0; c < 0x10000; c++) {
      const s = `a${String.fromCharCode(c)}b`;
      expect(goJsonString(s), `U+${c.toString(16)}`).toBe(go(s));
    }
    expect(goJsonString('😀x')).toBe(go('😀x'));
  });
});
