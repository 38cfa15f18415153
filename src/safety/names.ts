import { invalidInput } from '../errors.js';

// Namespaces are DNS-1123 labels. Job and pod names are DNS-1123 subdomains;
// a Job's name also becomes the job-name label value of its pods, which holds
// it to 63 characters.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export interface ObjectRef {
  namespace: string;
  name: string;
}

export function checkNamespace(ns: string): string {
  if (ns.length > 63 || !DNS1123_LABEL.test(ns)) {
    throw invalidInput(`"${ns.slice(0, 80)}" is not a valid namespace: lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit.`);
  }
  return ns;
}

function parseRef(ref: string, defaultNamespace: string, what: 'job' | 'pod' | 'cronjob'): ObjectRef {
  const s = ref.trim();
  const parts = s.split('/');
  if (parts.length > 2 || s === '') throw invalidInput(`"${s.slice(0, 80)}" is not a ${what} reference: use "namespace/name" (or a bare name for namespace "${defaultNamespace}").`);
  const [namespace, name] = parts.length === 2 ? (parts as [string, string]) : [defaultNamespace, parts[0] as string];
  checkNamespace(namespace);
  // A CronJob's name gets an 11-character suffix for its Jobs, so the API server caps it at 52.
  const max = what === 'job' ? 63 : what === 'cronjob' ? 52 : 253;
  if (name.length > max || !DNS1123_SUBDOMAIN.test(name)) {
    throw invalidInput(`"${name.slice(0, 80)}" is not a valid ${what} name: lowercase letters, digits, '-' and '.', at most ${max} characters, starting and ending with a letter or digit.`);
  }
  return { namespace, name };
}

/** Parses "namespace/name" (or a bare name in the default namespace) and validates both parts. */
export const parseJobRef = (ref: string, defaultNamespace: string) => parseRef(ref, defaultNamespace, 'job');
export const parsePodRef = (ref: string, defaultNamespace: string) => parseRef(ref, defaultNamespace, 'pod');
export const parseCronJobRef = (ref: string, defaultNamespace: string) => parseRef(ref, defaultNamespace, 'cronjob');

/** A name for a new Job: a DNS-1123 subdomain of at most 63 characters. */
export function checkJobName(name: string): string {
  if (name.length > 63 || !DNS1123_SUBDOMAIN.test(name)) {
    throw invalidInput(`"${name.slice(0, 80)}" is not a valid Job name: lowercase letters, digits, '-' and '.', at most 63 characters, starting and ending with a letter or digit.`);
  }
  return name;
}

/** A name or namespace a real API server could return (DNS-1123 subdomain); anything else is not offered. */
export const isDnsName = (s: string | undefined): boolean => s !== undefined && s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
