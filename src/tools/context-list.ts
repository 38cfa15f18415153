import * as z from 'zod';
import { defineTool } from './types.js';

/** Registered only when the server allows more than one context. */
export const contextList = defineTool({
  name: 'context_list',
  title: 'List the allowed clusters (contexts)',
  description: 'The kubeconfig contexts this server may use, each with its cluster server and default namespace. Pass one as "context" to any tool.',
  inputSchema: {},
  outputSchema: z.looseObject({ contexts: z.array(z.looseObject({ name: z.string(), server: z.string(), namespace: z.string(), default: z.boolean() })) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(_args, deps) {
    const contexts = await deps.clusters.list();
    return {
      structured: { contexts },
      text: contexts.map((c) => `${c.default ? '* ' : '  '}${c.name}   ${c.server}   namespace ${c.namespace}`).join('\n'),
    };
  },
});
