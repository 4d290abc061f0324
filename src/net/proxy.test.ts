import { describe, expect, it } from 'vitest';
import { environmentProxy, noProxyMatcher, proxyAuthorization, selectProxy } from './proxy.js';

const NO_ENV = { httpProxy: '', httpsProxy: '', noProxy: '' };

describe('noProxyMatcher (httpproxy NO_PROXY rules)', () => {
  it.each([
    ['example.com', 'example.com', '80', true],
    ['example.com', 'a.example.com', '80', true],
    ['example.com', 'notexample.com', '80', false],
    ['.example.com', 'example.com', '80', false],
    ['.example.com', 'a.example.com', '80', true],
    ['*.example.com', 'a.example.com', '80', true],
    ['*.example.com', 'example.com', '80', false],
    ['example.com:8080', 'example.com', '8080', true],
    ['example.com:8080', 'example.com', '80', false],
    ['10.0.0.0/8', '10.1.2.3', '80', true],
    ['10.0.0.0/8', '11.1.2.3', '80', false],
    ['10.0.0.0/8', 'ten.example', '80', false],
    ['192.168.1.1', '192.168.1.1', '443', true],
    ['192.168.1.1:443', '192.168.1.1', '80', false],
    ['[2001:db8::1]:443', '2001:db8::1', '443', true],
    ['2001:db8::/32', '[2001:db8:0:0::5]', '443', true],
    ['  Example.COM , other ', 'EXAMPLE.com', '80', true],
    ['*', 'anything', '1', true],
    ['', 'anything', '1', false],
    [':80', 'anything', '80', false],
  ])('%j matches %s:%s -> %s', (list, host, port, want) => expect(noProxyMatcher(list)(host, port)).toBe(want));
});

describe('selectProxy', () => {
  const u = (s: string): URL => new URL(s);
  it.each([
    { name: 'no settings', s: undefined, url: 'http://a.com/', want: undefined },
    { name: 'proxy_url alone proxies even loopback (http.ProxyURL)', s: { url: 'http://p:3128' }, url: 'http://127.0.0.1/', want: 'http://p:3128/' },
    { name: 'with no_proxy, loopback bypasses', s: { url: 'http://p:3128', noProxy: 'x.com' }, url: 'http://localhost:9/', want: undefined },
    { name: 'with no_proxy, others use the proxy', s: { url: 'http://p:3128', noProxy: 'x.com' }, url: 'https://a.com/', want: 'http://p:3128/' },
    { name: 'no_proxy with the default port', s: { url: 'http://p:3128', noProxy: 'a.com:443' }, url: 'https://a.com/', want: undefined },
    { name: 'a scheme-less proxy is http', s: { url: 'p:3128', noProxy: 'x' }, url: 'http://a.com/', want: 'http://p:3128/' },
  ])('$name', ({ s, url, want }) => expect(selectProxy(s, u(url), NO_ENV)?.href).toBe(want));

  it('proxy_from_environment picks HTTP_PROXY or HTTPS_PROXY by scheme, honours NO_PROXY', () => {
    const env = environmentProxy({ http_proxy: 'http://h:1', HTTPS_PROXY: 's:2', NO_PROXY: 'skip.com' });
    expect(env).toEqual({ httpProxy: 'http://h:1', httpsProxy: 's:2', noProxy: 'skip.com' });
    const s = { fromEnvironment: true };
    expect(selectProxy(s, u('http://a.com/'), env)?.href).toBe('http://h:1/');
    expect(selectProxy(s, u('https://a.com/'), env)?.href).toBe('http://s:2/');
    expect(selectProxy(s, u('https://x.skip.com/'), env)).toBeUndefined();
    expect(selectProxy(s, u('http://a.com/'), NO_ENV)).toBeUndefined();
  });

  it('proxyAuthorization from userinfo', () => {
    expect(proxyAuthorization(u('http://p/'))).toBeUndefined();
    expect(proxyAuthorization(u('http://a%3Ab:c@p/'))).toBe('Basic ' + Buffer.from('a:b:c').toString('base64'));
  });
});
