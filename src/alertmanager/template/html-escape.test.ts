import { describe, expect, it } from 'vitest';
import { urlFilter, urlProcess } from './html-escape.js';
import { buildTemplateSet } from './template-set.js';

const set = (() => {
  const r = buildTemplateSet([], { defaults: false });
  if (!r.ok) throw new Error('load failed');
  return r.value;
})();
const html = (t: string): string => set.executeValue(t, undefined, true);

/** html/template's output for values in each context. */
const CASES: Array<[string, string, string]> = [
  ['text', '<p>{{ "<b>a+b & \'c\'</b>" }}</p>', '<p>&lt;b&gt;a&#43;b &amp; &#39;c&#39;&lt;/b&gt;</p>'],
  ['safeHtml in text', '<p>{{ "<i>x</i>" | safeHtml }}</p>', '<p><i>x</i></p>'],
  ['html builtin is not escaped twice', '{{ html "<x>" }}', '&lt;x&gt;'],
  ['quoted attribute', '<a title="{{ "x\\"y\'z<" }}">', '<a title="x&#34;y&#39;z&lt;">'],
  ['single-quoted attribute', "<a title='{{ \"it's\" }}'>", "<a title='it&#39;s'>"],
  ['unquoted attribute', '<a title={{ "a b=c" }}>', '<a title=a&#32;b&#61;c>'],
  ['safeHtml in attribute loses tags', '<a title="{{ "<b>x</b> &amp;" | safeHtml }}">', '<a title="x &amp;">'],
  ['URL attribute filters javascript:', '<a href="{{ "javascript:alert(1)" }}">', '<a href="#ZgotmplZ">'],
  ['URL attribute filters data:', '<img src="{{ "data:image/png;base64,xx" }}">', '<img src="#ZgotmplZ">'],
  ['URL attribute allows https and mailto', '<a href="{{ "HTTPS://x/y" }}"><a href="{{ "mailto:a@b.c" }}">', '<a href="HTTPS://x/y"><a href="mailto:a@b.c">'],
  ['URL attribute normalizes', '<a href="{{ "http://x/a b?q=<1>&r=\'" }}">', '<a href="http://x/a%20b?q=%3c1%3e&amp;r=%27">'],
  ['relative URL', '<a href="{{ "/path with space" }}">', '<a href="/path%20with%20space">'],
  ['URL query part is escaped', '<a href="/search?q={{ "a&b c/d" }}">', '<a href="/search?q=a%26b%20c%2fd">'],
  ['URL after a value with a query', '<a href="{{ "http://x/?a=1" }}&b={{ "c d" }}">', '<a href="http://x/?a=1&b=c%20d">'],
  ['urlquery result in a query', '<a href="/x?r={{ "a/b c" | urlquery }}">', '<a href="/x?r=a%2Fb&#43;c">'],
  ['safeUrl skips the filter', '<a href="{{ "javascript:x" | safeUrl }}">', '<a href="javascript:x">'],
  ['onclick gets a JS value', '<a onclick="f({{ "x" }}, {{ 2 }})">', '<a onclick="f(&#34;x&#34;,  2 )">'],
  ['style attribute filter', '<p style="color: {{ "red" }}"><p style="{{ "expression(alert(1))" }}">', '<p style="color: red"><p style="ZgotmplZ">'],
  ['script element', '<script>var x = {{ "a\\"b</script>" }};</script>{{ "<" }}', '<script>var x = "a\\"b\\u003c/script\\u003e";</script>&lt;'],
  ['title element is RCDATA', '<title>{{ "<x>" }}</title>', '<title>&lt;x&gt;</title>'],
  ['template comments and HTML comments are stripped', 'a<!-- secret {{ "x" }} -->b{{/* c */}}c', 'abc'],
  ['attribute name from a value', '<input {{ "checked" }}><input {{ "onclick" }}="x">', '<input checked><input ZgotmplZ="x">'],
  ['missing values render empty', '<p>{{ .Missing }}|{{ print nil }}</p>', '<p>|&lt;nil&gt;</p>'],
  // Cases re-expressed from Go's html/template escape_test.go (TestEscape).
  ['constant in query', '<a href="/search?q={{"\'a<b\'"}}">', '<a href="/search?q=%27a%3cb%27">'],
  ['multiple attrs', '<a b=1 c={{ "<Hello>" }}>', '<a b=1 c=&lt;Hello&gt;>'],
  ['url start rel', `<a href='{{"/foo/bar?a=b&c=d"}}'>`, `<a href='/foo/bar?a=b&amp;c=d'>`],
  ['protocol relative', `<a href='{{"//example.com:8000/foo/bar?a=b&c=d"}}'>`, `<a href='//example.com:8000/foo/bar?a=b&amp;c=d'>`],
  ['path relative', '<a href="{{"/javascript:80/foo/bar"}}">', '<a href="/javascript:80/foo/bar">'],
  ['dangerous url after spaces', `<a href='  {{"javascript:alert(%22pwned%22)"}}'>`, `<a href='  #ZgotmplZ'>`],
  ['non-hierarchical url', '<a href={{"mailto:Muhammed \\"The Greatest\\" Ali <m.ali@example.com>"}}>', '<a href=mailto:Muhammed%20%22The%20Greatest%22%20Ali%20%3cm.ali@example.com%3e>'],
  ['url path', `<a href='http://{{"javascript:80"}}/foo'>`, `<a href='http://javascript:80/foo'>`],
  ['url fragment', `<a href='/faq#{{ "<Hello>" }}'>`, `<a href='/faq#%3cHello%3e'>`],
  ['js string value', `<button onclick='alert({{ "<Hello>" }})'>`, `<button onclick='alert(&#34;\\u003cHello\\u003e&#34;)'>`],
  ['js numeric and bool values', `<button onclick='alert({{ 42 }}, {{ true }}, typeof{{ .U }})'>`, `<button onclick='alert( 42 ,  true , typeof null )'>`],
  ['js object value', `<button onclick='alert({{ stringSlice "<a>" "<b>" }})'>`, `<button onclick='alert([&#34;\\u003ca\\u003e&#34;,&#34;\\u003cb\\u003e&#34;])'>`],
  ['js object in script', '<script>alert({{ stringSlice "<a>" "<b>" }})</script>', '<script>alert(["\\u003ca\\u003e","\\u003cb\\u003e"])</script>'],
  ['js url-escaped value', `<button onclick='alert({{ "<Cincinnati>" | urlquery }})'>`, `<button onclick='alert(&#34;%3CCincinnati%3E&#34;)'>`],
  ['style values', '<a style="left: {{"2em"}}; top: {{0}}"><table style=width:{{"100%"}}><p style="color: {{"#8ff"}}">', '<a style="left: 2em; top: 0"><table style=width:100%><p style="color: #8ff">'],
  ['style property pair and font names', `<a style='{{"color: red"}}'><p style='font-family: {{"Times New Roman"}}'>`, `<a style='color: red'><p style='font-family: Times New Roman'>`],
  ['style blocked', '<p style="{{"-moz-binding(alert(1337))"}}: ..."><p style="width: {{"expression(alert(1337))"}}">', '<p style="ZgotmplZ: ..."><p style="width: ZgotmplZ">'],
  ['style element selector', '<style>p{{"#my-ID"}} { font: Arial }</style>', '<style>p#my-ID { font: Arial }</style>'],
  ['html comment', '<b>Hello, <!-- name of world -->{{ "<Cincinnati>" }}</b>', '<b>Hello, &lt;Cincinnati&gt;</b>'],
  ['comment not first <', '<<!-- -->!--', '&lt;!--'],
  ['normalization', 'a < b|a << b|a<<!-- --><!-- -->b', 'a &lt; b|a &lt;&lt; b|a&lt;b'],
  ['doctype kept', '<!DOCTYPE html>Hello|<!doCtYPE htMl>x', '<!DOCTYPE html>Hello|<!doCtYPE htMl>x'],
  ['no doctype injection', '<!{{"DOCTYPE"}}', '&lt;!DOCTYPE'],
  ['substitution commented out', '<p><!-- {{ "<Hello>" }} --></p>', '<p></p>'],
  ['typed HTML in attribute', '<div title="{{ "&iexcl;<b class=\\"foo\\">Hello</b>, <textarea>O\'World</textarea>!" | safeHtml }}">', '<div title="&iexcl;Hello, O&#39;World!">'],
  ['typed HTML in RCDATA', '<textarea>{{ "&iexcl;<b>Hi</b>" | safeHtml }}</textarea>', '<textarea>&iexcl;&lt;b&gt;Hi&lt;/b&gt;</textarea>'],
  ['js string in attribute', `<button onclick='alert(&quot;{{ "<Hello>" }}&quot;)'>`, `<button onclick='alert(&quot;\\u003cHello\\u003e&quot;)'>`],
  ['js string in script', '<script>var x = "{{ "a\\"b</script>" }}", y = {{ "z" }};</script>', '<script>var x = "a\\u0022b\\u003c\\/script\\u003e", y = "z";</script>'],
  ['js single-quoted string', `<a onclick="f('{{ "it's" }}')">`, `<a onclick="f('it\\u0027s')">`],
  ['escaping follows template calls', '{{ define "u" }}http://h/?q={{ . }}{{ end }}<a href="{{ template "u" "a b" }}">{{ template "u" "<" }}', '<a href="http://h/?q=a%20b">http://h/?q=&lt;'],
];

describe('html/template contextual escaping', () => {
  it.each(CASES)('%s', (_t, text, want) => {
    expect(html(text)).toBe(want);
  });

  it('text mode never escapes', () => {
    expect(set.executeValue('<a href="{{ "javascript:x" }}">{{ "<b>" }}', undefined)).toBe('<a href="javascript:x"><b>');
  });

  it('urlFilter and urlProcess', () => {
    expect(urlFilter('vbscript:x')).toBe('#ZgotmplZ');
    expect(urlFilter('a/b:c')).toBe('a/b:c');
    expect(urlProcess('é%41', true)).toBe('%c3%a9%41');
    expect(urlProcess('é%41', false)).toBe('%c3%a9%2541');
  });
});
