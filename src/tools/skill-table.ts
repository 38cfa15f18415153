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

/** SKILL.md with its generated table replaced. */
export function withSkillTable(skill: string, tools: readonly ToolDefinition[]): string {
  const start = skill.indexOf(BEGIN);
  const end = skill.indexOf(END);
  if (start < 0 || end < start) throw new Error('SKILL.md has no tool table markers');
  return skill.slice(0, start) + skillTable(tools) + skill.slice(end + END.length);
}
