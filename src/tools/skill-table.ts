import type { ToolDefinition } from './types.js';

export const BEGIN = '<!-- tools:begin (generated from src/tools by `npm run skill`; do not edit) -->';
export const END = '<!-- tools:end -->';

/** The SKILL.md tool table, generated from the registry so it cannot go stale unnoticed. */
export function skillTable(tools: readonly ToolDefinition[]): string {
  const rows = tools.map((t) => {
    const args = Object.entries(t.inputSchema)
      .map(([k, v]) => ((v as { isOptional?: () => boolean }).isOptional?.() ? `${k}?` : k))
      .join(', ');
    const kind = t.annotations.readOnlyHint ? 'read' : t.annotations.destructiveHint ? '**destructive**' : 'write';
    const firstSentence = t.description.split(/(?<=\.)\s/)[0] ?? t.description;
    return `| \`${t.name}\` | ${args} | ${kind} | ${firstSentence.replaceAll('|', '\\|')} |`;
  });
  return [BEGIN, '| tool | arguments | kind | what it does |', '|---|---|---|---|', ...rows, END].join('\n');
}

/** Replaces the block between a begin marker (matched by its prefix) and an end marker. */
export function replaceBlock(doc: string, beginPrefix: string, end: string, block: string): string {
  const start = doc.indexOf(beginPrefix);
  const stop = doc.indexOf(end, start);
  if (start < 0 || stop < start) throw new Error(`no ${beginPrefix} … ${end} markers`);
  return doc.slice(0, start) + block + doc.slice(stop + end.length);
}

/** SKILL.md with its generated table replaced. */
export function withSkillTable(skill: string, tools: readonly ToolDefinition[]): string {
  return replaceBlock(skill, BEGIN, END, skillTable(tools));
}

export const OPTIONS_BEGIN = '<!-- options:begin (generated from src/config.ts by `npm run skill`; do not edit) -->';
export const OPTIONS_END = '<!-- options:end -->';

/** README.md with its generated configuration table replaced. */
export function withOptionsTable(readme: string, table: string): string {
  return replaceBlock(readme, OPTIONS_BEGIN, OPTIONS_END, `${OPTIONS_BEGIN}\n${table}\n${OPTIONS_END}`);
}
