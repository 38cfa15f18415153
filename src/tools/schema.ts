// Schema pieces every tool shares: one definition each keeps tools/list small and consistent.
import * as z from 'zod';

export const jobInput = z.string().min(1).max(300).describe('"namespace/name"');
export const cronJobInput = z.string().min(1).max(300).describe('CronJob "namespace/name"');
export const confirmationToken = z.string().min(1).max(4096).optional().describe('from the confirmed first call');

/** Every write answers with its target, what happened, and on the first call the preview and token. */
export const writeOutput = z.looseObject({
  target: z.string(),
  outcome: z.string(),
  preview: z.string().optional(),
  confirmationToken: z.string().optional(),
});
