import type * as z from 'zod';
import type { Config } from '../config.js';
import type { JobsDeps } from '../jobs/deps.js';
import type { Clusters } from '../kube/clusters.js';
import type { Log } from '../log.js';
import type { TokenMinter } from '../safety/token.js';

export interface Annotations {
  title: string;
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export type { ElicitResult, Host } from '../safety/confirm.js';
import type { Host } from '../safety/confirm.js';

export interface ToolDeps extends JobsDeps {
  tokens: TokenMinter;
  clusters: Clusters;
}

/** What the registries get: the server-wide parts, and the deps of one call bound to a context. */
export interface Scope {
  config: Config;
  log: Log;
  /** More than one context is allowed: tools and prompts take a `context` argument. */
  multi: boolean;
  depsFor(context?: string): Promise<ToolDeps>;
  contextNames(prefix?: string): Promise<string[]>;
}

export interface ToolResult<O> {
  structured: O;
  text: string;
  /** Values the server minted (a confirmation token) that the registry's last redaction pass must leave intact. */
  own?: string[];
}

// Output schemas are loose objects: they declare the fields an agent relies on, and allow the rest,
// so tools/list stays small (every client pays for it in tokens) while structuredContent stays complete.
export interface ToolDefinition<I extends z.ZodRawShape = z.ZodRawShape, O extends z.ZodType<Record<string, unknown>> = z.ZodType<Record<string, unknown>>> {
  name: string;
  title: string;
  description: string;
  inputSchema: I;
  outputSchema: O;
  annotations: Omit<Annotations, 'title'>;
  handler: (args: z.output<z.ZodObject<I>>, deps: ToolDeps, host: Host) => Promise<ToolResult<z.input<O>>>;
}

/** Keeps each tool file's types precise while the registry holds them as one list. */
export function defineTool<I extends z.ZodRawShape, O extends z.ZodType<Record<string, unknown>>>(def: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return def;
}
