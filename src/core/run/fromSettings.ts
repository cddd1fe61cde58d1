import type { Settings } from '../config/settings';
import { budgetFromSettings } from '../cost/preflight';
import type { DiscoverOptions } from '../instructions/discover';
import { createExcludeRule } from '../tools/walk';
import type { BudgetConfig, RunRequestInput, ToolsConfig, WorkspaceContext } from './types';

/** The settings a request reads. */
export type RequestSettingKey =
  | 'ponder.context.budget' | 'ponder.context.exclude' | 'ponder.context.maxFileSizeKB' | 'ponder.context.repoMap' | 'ponder.context.timeLimitMs'
  | 'ponder.tools.enabled' | 'ponder.tools.autoApprove' | 'ponder.tools.maxRounds' | 'ponder.tools.maxOutputTokens'
  | 'ponder.chat.historyTokens'
  | 'ponder.instructions.agentsMd' | 'ponder.instructions.copilotInstructions' | 'ponder.instructions.githubInstructions' | 'ponder.instructions.ponderInstructions'
  | 'ponder.budget.perRequest' | 'ponder.budget.daily' | 'ponder.budget.monthly' | 'ponder.budget.hardLimit';

/** A request's options as the settings give them; the front end adds its port, host, approvals and ledger. */
export interface RequestOptions {
  historyTokens: RunRequestInput['historyTokens'];
  /** Undefined: the window decides (`ponder.context.budget` 0). */
  contextBudget: RunRequestInput['contextBudget'];
  workspace: Required<Pick<WorkspaceContext, 'exclude' | 'maxFileSizeKB' | 'repoMap' | 'timeLimitMs' | 'packOptions'>>;
  tools: Required<Pick<ToolsConfig, 'enabled' | 'autoApprove' | 'maxRounds' | 'maxOutputTokens'>>;
  budget: BudgetConfig['budget'];
  /** For discoverInstructions: the sources turned on, and the paths never read. */
  instructions: Required<Pick<DiscoverOptions, 'enabled' | 'isExcluded'>>;
}

/**
 * The one mapping from resolved `ponder.*` settings to a request's options, used by `ponder ask`
 * and by the Chat view and palette commands. An untrusted workspace (Restricted Mode) gets no
 * tools, no auto-approval and no git (a repository's git config can make git run programs).
 */
export function requestOptionsFromSettings(s: Pick<Settings, RequestSettingKey>, opts: { trusted: boolean }): RequestOptions {
  const { trusted } = opts;
  return {
    historyTokens: s['ponder.chat.historyTokens'],
    contextBudget: s['ponder.context.budget'] || undefined,
    workspace: {
      exclude: s['ponder.context.exclude'], maxFileSizeKB: s['ponder.context.maxFileSizeKB'],
      repoMap: s['ponder.context.repoMap'], timeLimitMs: s['ponder.context.timeLimitMs'],
      packOptions: { git: trusted },
    },
    tools: {
      enabled: trusted ? s['ponder.tools.enabled'] : 'none',
      autoApprove: trusted ? s['ponder.tools.autoApprove'] : [],
      maxRounds: s['ponder.tools.maxRounds'], maxOutputTokens: s['ponder.tools.maxOutputTokens'],
    },
    budget: budgetFromSettings(s),
    instructions: {
      enabled: {
        agents: s['ponder.instructions.agentsMd'], copilot: s['ponder.instructions.copilotInstructions'],
        githubInstructions: s['ponder.instructions.githubInstructions'], ponder: s['ponder.instructions.ponderInstructions'],
      },
      isExcluded: createExcludeRule(s['ponder.context.exclude']),
    },
  };
}
