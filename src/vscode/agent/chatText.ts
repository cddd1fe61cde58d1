import type { EventOf, PlanItem } from '../../core/events';
import { formatDuration } from '../../core/format/duration';
import { formatUsd } from '../../core/format/money';
import type { AgentView } from '../../core/protocol/agentView';
import { changedFiles } from '../../core/protocol/agentView';

/**
 * The markdown an agent task writes into the Chat view: the plan, each file change with its diff,
 * each check with its result, and the summary at the end. Text from the model, files and
 * commands is data: it is escaped or fenced, never interpreted. No `vscode` import: unit-tested.
 */

/** Escapes markdown so model text reads as plain text (no links, emphasis, headings or HTML). */
export function plainMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** A fenced block that the content cannot close early (the fence is longer than any backtick run in it). */
export function fenced(content: string, lang = ''): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${content.replace(/\n$/, '')}\n${fence}\n`;
}

const MARK: Record<PlanItem['status'], string> = { done: '✅', in_progress: '▶️', pending: '⬜' };

export function planMarkdown(items: readonly PlanItem[]): string {
  if (!items.length) return '';
  const done = items.filter((i) => i.status === 'done').length;
  return `**Plan** (${done} of ${items.length} done)\n\n${items.map((i) => `- ${MARK[i.status]} ${i.status === 'done' ? `~~${plainMd(i.text)}~~` : i.status === 'in_progress' ? `**${plainMd(i.text)}**` : plainMd(i.text)}`).join('\n')}\n\n`;
}

function changeVerb(e: { action: string; from?: string }): string {
  return e.action === 'renamed' && e.from ? `renamed from \`${plainMd(e.from)}\`` : e.action;
}

/** One file change and its diff (folded under a heading line). */
export function fileMarkdown(e: EventOf<'agent.file'>, maxDiffLines = 80): string {
  const head = `**${plainMd(e.path)}** ${changeVerb(e)} (+${e.added} −${e.removed})\n\n`;
  if (!e.diff.trim()) return head;
  const lines = e.diff.split('\n');
  const shown = lines.length > maxDiffLines ? [...lines.slice(0, maxDiffLines), `… ${lines.length - maxDiffLines} more lines (Review Agent Changes shows the whole diff)`] : lines;
  return head + fenced(shown.join('\n'), 'diff') + '\n';
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : ` in ${formatDuration(ms)}`;
}

/** A finished check: passed, or failed with its (already trimmed) output. */
export function checkMarkdown(e: EventOf<'agent.check'>, maxOutputLines = 40): string {
  if (e.state === 'running') return '';
  if (e.state === 'passed') return `✅ Check \`${plainMd(e.command)}\` passed${seconds(e.ms)}\n\n`;
  const exit = typeof e.exitCode === 'number' ? ` (exit code ${e.exitCode})` : '';
  const out = (e.output ?? '').split('\n');
  const shown = out.length > maxOutputLines ? [...out.slice(0, maxOutputLines), `… ${out.length - maxOutputLines} more lines (the sidebar has all of it)`] : out;
  return `❌ Check \`${plainMd(e.command)}\` failed${exit}${seconds(e.ms)}\n\n${e.output?.trim() ? fenced(shown.join('\n'), 'text') + '\n' : ''}`;
}

export function usd(amount: number | null | undefined): string {
  return amount === null || amount === undefined ? 'cost unknown' : formatUsd(amount);
}

/** "Step 3: 1,234 tokens · $0.0012 · 2.1 s". */
export function stepLine(e: EventOf<'agent.step'>): string {
  const tokens = e.usage.prompt + e.usage.completion;
  return `Step ${e.step}: ${tokens.toLocaleString('en-US')} tokens · ${usd(e.cost)} · ${formatDuration(e.ms)}`;
}

/** The end of a task: how it ended, the plan, the checks, the files, the cost per step and in total. */
export function summaryMarkdown(agent: AgentView): string {
  const end = agent.end;
  const out: string[] = [];
  if (end) out.push(`${end.ok ? '✅' : end.reason === 'cancelled' ? '⏹️' : '⚠️'} **${endTitle(end.reason)}:** ${plainMd(end.message)}\n\n`);
  const plan = planMarkdown(agent.plan);
  if (plan) out.push(plan);
  const lastByName = new Map<string, AgentView['checkRuns'][number]>();
  for (const r of agent.checkRuns) if (r.state !== 'running') lastByName.set(r.name, r);
  if (lastByName.size) out.push(`**Checks:** ${[...lastByName.values()].map((r) => `${r.state === 'passed' ? '✅' : '❌'} \`${plainMd(r.command)}\``).join(' · ')}\n\n`);
  else if (!agent.checks.length) out.push('**Checks:** none configured (ponder.agent.checks)\n\n');
  const files = changedFiles(agent);
  if (files.length) out.push(`**Files changed (${files.length}):**\n\n${files.map((f) => `- \`${plainMd(f.path)}\` ${changeVerb(f)} (+${f.added} −${f.removed})`).join('\n')}\n\n`);
  if (agent.steps.length) {
    const rows = agent.steps.map((s) => `| ${s.step} | ${(s.usage.prompt + s.usage.completion).toLocaleString('en-US')} | ${usd(s.cost)} | ${formatDuration(s.ms)} |`);
    out.push(`| Step | Tokens | Cost | Time |\n|---:|---:|---:|---:|\n${rows.join('\n')}\n\n`);
  }
  const total = end ? end.cost : agent.totalCost;
  out.push(`**Task cost:** ${usd(total)} over ${agent.steps.length} step${agent.steps.length === 1 ? '' : 's'}${end ? ` · ${formatDuration(end.ms)}` : ''}\n\n`);
  return out.join('');
}

function endTitle(reason: NonNullable<AgentView['end']>['reason']): string {
  switch (reason) {
    case 'checks-passed': return 'Done';
    case 'done': return 'Done';
    case 'checks-failed': return 'The checks still fail';
    case 'limit': return 'Stopped at a limit';
    case 'cancelled': return 'Stopped';
    case 'refused': return 'Not started';
    default: return 'The task failed';
  }
}
