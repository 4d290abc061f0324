/**
 * Adapts Herald's TemplateData to the Go values Alertmanager templates see: *template.Data with
 * its fields, template.KV maps (SortedPairs with alertname first, Names, Values, Remove, String),
 * template.Pairs, template.Alerts (Firing, Resolved) and time.Time fields.
 */
import { compareStrings } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import type { TemplateAlert, TemplateData } from '../notify/template-data.js';
import { GoTime } from './go-time.js';
import { GoMap, GoSlice, GoStruct, asStringArray, stringSlice } from './values.js';
import type { GoMethod, GoValue } from './values.js';

interface Pair { readonly name: string; readonly value: string }

/** KV.SortedPairs order: "alertname" first, then the rest by name (byte order). */
export function sortedPairs(kv: Labels): Pair[] {
  const keys = Object.keys(kv).filter((k) => k !== 'alertname').sort(compareStrings);
  if ('alertname' in kv) keys.unshift('alertname');
  return keys.map((k) => ({ name: k, value: kv[k] as string }));
}

function pairsString(ps: readonly Pair[]): string {
  return ps.map((p) => `${p.name}=${p.value}`).join(', ');
}

function pairValue(p: Pair): GoStruct {
  return new GoStruct('template.Pair', new Map<string, GoValue>([['Name', p.name], ['Value', p.value]]));
}

function pairsValue(ps: readonly Pair[]): GoSlice {
  const methods: Record<string, GoMethod> = {
    Names: { params: [], call: () => stringSlice(ps.map((p) => p.name)) },
    Values: { params: [], call: () => stringSlice(ps.map((p) => p.value)) },
    String: { params: [], call: () => pairsString(ps) },
  };
  return new GoSlice('template.Pairs', ps.map(pairValue), methods, () => pairsString(ps));
}

/** A template.KV value. */
export function kvValue(kv: Labels): GoMap {
  const methods: Record<string, GoMethod> = {
    SortedPairs: { params: [], call: () => pairsValue(sortedPairs(kv)) },
    Names: { params: [], call: () => stringSlice(sortedPairs(kv).map((p) => p.name)) },
    Values: { params: [], call: () => stringSlice(sortedPairs(kv).map((p) => p.value)) },
    String: { params: [], call: () => pairsString(sortedPairs(kv)) },
    Remove: {
      params: ['[]string'],
      call: ([keys]) => {
        const drop = new Set(asStringArray(keys) ?? []);
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(kv)) if (!drop.has(k)) out[k] = v;
        return kvValue(out);
      },
    },
  };
  return new GoMap('template.KV', new Map(Object.entries(kv)), '', methods, () => pairsString(sortedPairs(kv)));
}

function alertValue(a: TemplateAlert): GoStruct {
  return new GoStruct('template.Alert', new Map<string, GoValue>([
    ['Status', a.status],
    ['Labels', kvValue(a.labels)],
    ['Annotations', kvValue(a.annotations)],
    ['StartsAt', GoTime.fromMillis(a.startsAt)],
    ['EndsAt', GoTime.fromMillis(a.endsAt)],
    ['GeneratorURL', a.generatorURL],
    ['Fingerprint', a.fingerprint],
  ]));
}

/** A template.Alerts value (or the []template.Alert its Firing/Resolved return). */
export function alertsValue(alerts: readonly TemplateAlert[], typeName = 'template.Alerts'): GoSlice {
  const methods: Record<string, GoMethod> = typeName === 'template.Alerts' ? {
    Firing: { params: [], call: () => alertsValue(alerts.filter((a) => a.status === 'firing'), '[]template.Alert') },
    Resolved: { params: [], call: () => alertsValue(alerts.filter((a) => a.status === 'resolved'), '[]template.Alert') },
  } : {};
  return new GoSlice(typeName, alerts.map(alertValue), methods);
}

/** *template.Data for a notification. */
export function dataValue(d: TemplateData): GoStruct {
  return new GoStruct('*template.Data', new Map<string, GoValue>([
    ['Receiver', d.receiver],
    ['Status', d.status],
    ['Alerts', alertsValue(d.alerts)],
    ['GroupLabels', kvValue(d.groupLabels)],
    ['CommonLabels', kvValue(d.commonLabels)],
    ['CommonAnnotations', kvValue(d.commonAnnotations)],
    ['ExternalURL', d.externalURL],
  ]));
}
