// What a stdio client asks first — initialize, then tools/list (and often prompts/list and the
// resource templates) — does not depend on the cluster, only on a few settings. The build asks the
// real server those questions for every combination of those settings and keeps the answers
// (src/fast-start/generate.ts); a fresh process answers from them while the SDK loads, or never
// loads it while the client only looks (test/fast-start.test.ts proves the bytes are the SDK's own).
import type { Config } from '../config.js';
import { severalContexts } from '../kube/contexts.js';

/** Requests whose answer is in the manifest, besides initialize. */
export const MANIFEST_METHODS = ['tools/list', 'prompts/list', 'resources/templates/list', 'ping'] as const;

export interface Manifest {
  /** The server version that answered; another build's manifest is never used. */
  version: string;
  /** The protocol versions the SDK accepts; any other gets `initialize.protocolVersion` (its latest). */
  protocolVersions: string[];
  initialize: Record<string, unknown>;
  results: Record<(typeof MANIFEST_METHODS)[number], unknown>;
}

/** The settings that change those answers. */
export type ManifestSettings = Pick<Config, 'readOnly' | 'confirm'> & { multi: boolean };

export function manifestKey(s: ManifestSettings): string {
  return `${s.readOnly ? 'read-only' : 'read-write'}.${s.multi ? 'contexts' : 'one-context'}.${s.confirm}`;
}

export function settingsOf(config: Pick<Config, 'readOnly' | 'confirm' | 'contexts' | 'context'>): ManifestSettings {
  return { readOnly: config.readOnly, confirm: config.confirm, multi: severalContexts(config.contexts, config.context) };
}

/** Every combination the build records. */
export function allSettings(): ManifestSettings[] {
  const out: ManifestSettings[] = [];
  for (const readOnly of [false, true]) for (const multi of [false, true]) for (const confirm of ['elicitation', 'token'] as const) out.push({ readOnly, multi, confirm });
  return out;
}

let dir: URL | undefined;

/** Set by the executable: the manifests sit beside the bundle (dist/bin/manifest/). */
export function setManifestDir(url: URL): void {
  dir = url;
}

export function manifestDir(): URL | undefined {
  return dir;
}
