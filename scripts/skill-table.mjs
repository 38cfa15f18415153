// npm run skill: rewrite the generated tool table in SKILL.md from the built registry.
import { readFileSync, writeFileSync } from 'node:fs';
import { allTools } from '../dist/tools/index.js';
import { withSkillTable } from '../dist/tools/skill-table.js';

const path = new URL('../SKILL.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withSkillTable(before, allTools);
if (after !== before) writeFileSync(path, after);
process.stderr.write(after === before ? 'SKILL.md tool table is up to date\n' : 'SKILL.md tool table rewritten\n');
