import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Harness } from '../helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await connect();
});
afterAll(() => h.close());

describe('the tool surface', () => {
  it('matches the reviewed snapshot (names, schemas, annotations)', async () => {
    const { tools } = await h.client.listTools();
    await expect(JSON.stringify(tools, null, 2)).toMatchFileSnapshot('../__snapshots__/tools.json');
  });

  it('matches the reviewed snapshot of prompts and resource templates', async () => {
    const { prompts } = await h.client.listPrompts();
    const { resourceTemplates } = await h.client.listResourceTemplates();
    await expect(JSON.stringify({ prompts, resourceTemplates }, null, 2)).toMatchFileSnapshot('../__snapshots__/prompts-resources.json');
  });

  it('keeps tools/list for all 16 tools within 4,000 tokens (bytes/4)', async () => {
    const { tools } = await h.client.listTools();
    expect(tools).toHaveLength(16);
    expect(JSON.stringify(tools).length / 4).toBeLessThanOrEqual(4000);
    // Defaults the SDK adds are trimmed: they cost every session tokens and say nothing.
    for (const t of tools) {
      expect(t.inputSchema, t.name).not.toHaveProperty('$schema');
      expect(t, t.name).not.toHaveProperty('execution');
    }
  });

  it('gives every tool a title, an output schema and honest annotations', async () => {
    const { tools } = await h.client.listTools();
    for (const t of tools) {
      expect(t.title, t.name).toBeTruthy();
      expect(t.outputSchema, t.name).toBeDefined();
      const a = t.annotations ?? {};
      expect(typeof a.readOnlyHint, t.name).toBe('boolean');
      expect(typeof a.destructiveHint, t.name).toBe('boolean');
      expect(a.openWorldHint, t.name).toBe(true);
      if (a.readOnlyHint) expect(a.destructiveHint, t.name).toBe(false);
    }
  });
});
