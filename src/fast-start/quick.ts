// Whether a stdio start may answer from the manifest before the config is validated (zod alone is
// ~35 ms of a ~95 ms start). Only the settings a stdio client usually passes are read here, each
// checked at least as strictly as src/config.ts does; anything else — another flag, an odd value —
// means "no": the server then validates first, as it always did. The full validation still runs
// before the first tool call, and test/unit/quick-settings.test.ts checks that whatever passes here
// passes there with the same values.
import { BOOL_WORDS, CONFIRM_MODES, DNS_LABEL, LOG_LEVELS } from '../options.js';
import type { ManifestSettings } from './manifest.js';
import { severalContexts } from '../kube/contexts.js';

export interface QuickSettings {
  settings: ManifestSettings;
  logLevel: (typeof LOG_LEVELS)[number];
  logFile?: string;
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const flagOrWord = (v: unknown): boolean | undefined =>
  typeof v === 'boolean' ? v : (BOOL_WORDS as readonly unknown[]).includes(v) ? ['true', '1', 'yes'].includes(v as string) : undefined;

/** The manifest settings and log settings, when `raw` (src/options.ts rawSettings) is surely valid; else undefined. */
export function quickSettings(raw: Record<string, unknown>): QuickSettings | undefined {
  const known = new Set(['kubeconfig', 'context', 'contexts', 'namespace', 'readOnly', 'redact', 'fastStart', 'confirm', 'logLevel', 'logFile', 'transport']);
  if (!Object.keys(raw).every((k) => known.has(k))) return undefined;
  const { kubeconfig, context, contexts, namespace, confirm = 'elicitation', logLevel = 'info', logFile, transport = 'stdio' } = raw;
  if (transport !== 'stdio') return undefined;
  if (kubeconfig !== undefined && !nonEmpty(kubeconfig)) return undefined;
  if (context !== undefined && !nonEmpty(context)) return undefined;
  if (logFile !== undefined && !nonEmpty(logFile)) return undefined;
  if (namespace !== undefined && !(typeof namespace === 'string' && namespace.length <= 63 && DNS_LABEL.test(namespace))) return undefined;
  if (!(CONFIRM_MODES as readonly unknown[]).includes(confirm) || !(LOG_LEVELS as readonly unknown[]).includes(logLevel)) return undefined;
  for (const k of ['readOnly', 'redact', 'fastStart'] as const) if (raw[k] !== undefined && flagOrWord(raw[k]) === undefined) return undefined;
  if (flagOrWord(raw.fastStart) === false) return undefined;
  let list: string[] = [];
  if (contexts !== undefined) {
    if (typeof contexts !== 'string') return undefined;
    list = contexts
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    if (!list.every((c) => c.length <= 253)) return undefined;
  }
  return {
    settings: { readOnly: flagOrWord(raw.readOnly) ?? false, confirm: confirm as ManifestSettings['confirm'], multi: severalContexts(list, context as string | undefined) },
    logLevel: logLevel as QuickSettings['logLevel'],
    ...(logFile !== undefined ? { logFile: logFile as string } : {}),
  };
}
