import { describe, expect, it } from 'vitest';
import { buildTemplateData } from '../../template-data.js';
import { alert, FAKE_TEMPLATES, notifyCtx } from '../../../../net/test-fakes.js';
import { tmpl } from '../shared/templating.js';
import { deepCopyWithTemplate, encodeIssueFields, toGoJson } from './payload.js';
import { goJsonEncode } from '../../../../core/go-json.js';

const t = () => tmpl(FAKE_TEMPLATES, buildTemplateData(notifyCtx(), [alert({ alertname: 'A' })]));

describe('DeepCopyWithTemplate', () => {
  it.each([
    { name: 'plain string', v: 'abc', want: 'abc' },
    { name: 'rendered number becomes a number', v: '{{ len .Alerts }}', want: 1 },
    { name: 'YAML 1.1 boolean', v: 'yes', want: true },
    { name: 'flow list', v: '[a, b]', want: ['a', 'b'] },
    { name: 'flow map', v: '{value: "{{ .Status }}"}', want: { value: 'firing' } },
    { name: 'empty string becomes null', v: '', want: null },
    { name: 'a string that only looks like YAML stays', v: 'a: b: c', want: 'a: b: c' },
    { name: 'non-strings are kept', v: 5, want: 5 },
    { name: 'lists and maps are walked, keys templated', v: { '{{ .Status }}': ['{{ .Status }}', 2] }, want: { firing: ['firing', 2] } },
  ])('$name', ({ v, want }) => expect(deepCopyWithTemplate(v, t())).toEqual(want));

  it('keeps the first template error', () => {
    const tt = t();
    deepCopyWithTemplate({ a: '{{ nope }}', b: 'x' }, tt);
    expect(tt.error).toContain('"nope" not defined');
  });
});

describe('issue fields encoding', () => {
  it('sorts every key like a Go map and lets custom fields win', () => {
    const body = goJsonEncode({ fields: encodeIssueFields({ summary: 's', project: 'P', issuetype: 'Bug', labels: ['b', 'a'], custom: { summary: 'override', customfield_10: { z: 1, a: [true] } } }) });
    expect(body).toBe('{"fields":{"customfield_10":{"a":[true],"z":1},"issuetype":{"name":"Bug"},"labels":["b","a"],"project":{"key":"P"},"summary":"override"}}\n');
  });

  it('toGoJson maps undefined to null', () => expect(toGoJson([undefined, 'x<'])).toEqual([null, 'x<']));
});
