import type { Log } from '../log.js';
import type * as z from 'zod';
import type { Config } from '../config.js';
import type { JobsApi } from '../kube/types.js';
import type { NamespacePolicy } from '../safety/policy.js';
import type { TokenMinter } from '../safety/token.js';

export interface Annotations {
  title: string;
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** What the host (an MCP client) can do for a tool, without the tool importing the SDK. */
export interface ElicitResult {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, unknown>;
}
export interface Host {
  canElicit(): boolean;
  elicit(message: string, schema: { properties: Record<string, unknown>; required?: string[] }): Promise<ElicitResult>;
}

export interface ToolDeps {
  api: JobsApi;
  config: Config;
  log: Log;
  policy: NamespacePolicy;
  tokens: TokenMinter;
  now: () => number;
}

export interface ToolResult<O> {
  structured: O;
  text: string;
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
