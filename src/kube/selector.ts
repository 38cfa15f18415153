// Kubernetes label and field selector grammar (k8s.io/apimachinery labels.Parse,
// fields.ParseSelector), used to validate input before any API call and by the
// demo cluster to filter like the API server does.
import type { LabelSelectorSpec } from './types.js';

export class SelectorError extends Error {}

export type LabelOp = 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';
export interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
}

const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkKey(key: string): void {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    throw new SelectorError(`invalid label key "${key}": the prefix must be a DNS subdomain`);
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    throw new SelectorError(
      `invalid label key "${key}": a name is at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric`,
    );
  }
}

function checkValue(v: string): void {
  if (v.length > 63 || (v !== '' && !NAME.test(v))) {
    throw new SelectorError(`invalid label value "${v}": at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric`);
  }
}

/** Splits on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) throw new SelectorError('unbalanced parenthesis');
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (depth !== 0) throw new SelectorError('unbalanced parenthesis');
  parts.push(cur);
  return parts;
}

export function parseLabelSelector(selector: string): LabelRequirement[] {
  const s = selector.trim();
  if (s === '') return [];
  if (s.length > 4096) throw new SelectorError('selector longer than 4096 characters');
  return splitTop(s).map((raw) => {
    const part = raw.trim();
    if (part === '') throw new SelectorError(`empty requirement in "${selector}"`);
    let m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(part);
    if (m) {
      const [, key, op, list] = m as unknown as [string, string, LabelOp, string];
      checkKey(key);
      const values = list.split(',').map((v) => v.trim());
      if (values.length === 1 && values[0] === '' && op === 'in') throw new SelectorError(`"${key} in ()" needs at least one value`);
      values.forEach(checkValue);
      return { key, op, values };
    }
    m = /^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(\S*)$/.exec(part);
    if (m) {
      const [, key, rawOp, value] = m as unknown as [string, string, string, string];
      checkKey(key);
      if (rawOp === '<' || rawOp === '>') {
        if (!/^-?\d+$/.test(value)) throw new SelectorError(`"${part}": ${rawOp} needs an integer`);
        return { key, op: rawOp === '<' ? 'lt' : 'gt', values: [value] };
      }
      checkValue(value);
      return { key, op: rawOp === '!=' ? '!=' : '=', values: [value] };
    }
    m = /^(!?)\s*([^=!<>()\s]+)$/.exec(part);
    if (m) {
      const [, bang, key] = m as unknown as [string, string, string];
      checkKey(key);
      return { key, op: bang ? '!' : 'exists', values: [] };
    }
    throw new SelectorError(`cannot parse "${part}"; use key=value, key!=value, key in (a,b), key notin (a,b), key or !key`);
  });
}

export function matchesLabels(reqs: LabelRequirement[], labels: Record<string, string> = {}): boolean {
  return reqs.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    const v = labels[r.key];
    switch (r.op) {
      case 'exists':
        return has;
      case '!':
        return !has;
      case '=':
        return has && v === r.values[0];
      case '!=':
        return !has || v !== r.values[0];
      case 'in':
        return has && r.values.includes(v as string);
      case 'notin':
        return !has || !r.values.includes(v as string);
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(v as string)) return false;
        const n = Number(v);
        const bound = Number(r.values[0]);
        return r.op === 'gt' ? n > bound : n < bound;
      }
      default:
        return false;
    }
  });
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export function parseFieldSelector(selector: string): FieldRequirement[] {
  const s = selector.trim();
  if (s === '') return [];
  if (s.length > 4096) throw new SelectorError('selector longer than 4096 characters');
  return s.split(',').map((raw) => {
    const m = /^\s*([A-Za-z0-9_.{}[\]-]+)\s*(==|=|!=)\s*([^,]*?)\s*$/.exec(raw);
    if (!m) throw new SelectorError(`invalid field selector "${raw.trim()}": use field=value or field!=value`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    return { field, op: op === '!=' ? '!=' : '=', value };
  });
}

/** Renders a LabelSelector object in the string form the API accepts. */
export function selectorToString(sel: LabelSelectorSpec | undefined): string {
  if (!sel) return '';
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
    }
  }
  return parts.join(',');
}
