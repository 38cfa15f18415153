import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allTools } from '../../src/tools/index.js';
import { withSkillTable } from '../../src/tools/skill-table.js';

const skill = readFileSync(new URL('../../SKILL.md', import.meta.url), 'utf8');

describe('SKILL.md', () => {
  it('has a tool table that matches the registry (run `npm run skill` after changing a tool)', () => {
    expect(withSkillTable(skill, allTools)).toBe(skill);
  });

  it('mentions every tool and stays within 250 lines', () => {
    for (const t of allTools) expect(skill).toContain(t.name);
    expect(skill.split('\n').length).toBeLessThanOrEqual(250);
  });

  it('starts with Agent Skills frontmatter', () => {
    expect(skill).toMatch(/^---\nname: k8s-jobs\ndescription: .+\n---\n/);
  });
});

describe('README.md', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  it('has a configuration table that matches src/config.ts (run `npm run skill`)', async () => {
    const { optionsTable } = await import('../../src/config.js');
    const { withOptionsTable } = await import('../../src/tools/skill-table.js');
    expect(withOptionsTable(readme, optionsTable())).toBe(readme);
  });

  it('documents every flag and every tool', async () => {
    const { OPTIONS } = await import('../../src/config.js');
    for (const o of Object.values(OPTIONS) as { flag?: string; env?: string }[]) expect(readme).toContain(o.flag ? `\`--${o.flag}` : `\`${o.env}\``);
    for (const t of allTools) expect(readme).toContain(`\`${t.name}\``);
  });
});
