// npm run skill: rewrite the generated tables (SKILL.md tools, README.md options) from the built code.
import { readFileSync, writeFileSync } from 'node:fs';
import { optionsTable } from '../dist/config.js';
import { allTools } from '../dist/tools/index.js';
import { withOptionsTable, withSkillTable } from '../dist/tools/skill-table.js';

for (const [file, update] of [
  ['SKILL.md', (s) => withSkillTable(s, allTools)],
  ['README.md', (s) => withOptionsTable(s, optionsTable())],
]) {
  const path = new URL(`../${file}`, import.meta.url);
  const before = readFileSync(path, 'utf8');
  const after = update(before);
  if (after !== before) writeFileSync(path, after);
  process.stderr.write(`${file}: ${after === before ? 'up to date' : 'table rewritten'}\n`);
}
