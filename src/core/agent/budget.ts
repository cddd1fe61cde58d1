import type { AgentLimitKind } from '../events';
import { preflightBudget, type AskBudget } from '../cost/preflight';
import { formatUsd, roundUsd } from '../cost/pricing';
import type { ResolvedProfile } from '../model/types';
import type { BudgetConfig } from '../run/types';

export interface BudgetStop { message: string; limit: { kind: AgentLimitKind; max: number; used: number } }

/**
 * `ponder.budget.daily` and `.monthly` before every model turn of a task, through ask's own
 * preflight check: the ledger's day and month plus what the task spent so far (the ledger gets
 * the task when it ends) plus the worst case of the next turn. The task's own cap is
 * `ponder.agent.maxCost`, so `ponder.budget.perRequest` (one question's cost) is not applied to
 * each turn. Over a budget: the user is asked once per task where someone can answer and
 * `ponder.budget.hardLimit` is off ("go on" holds for the rest of the task); otherwise the task
 * stops, naming the budget and the amounts. Each 80% warning is said once per task.
 */
export class TaskBudget {
  private goOn = false;
  private readonly warned = new Set<string>();

  constructor(private readonly cfg: BudgetConfig | undefined, private readonly warn: (message: string) => void) {}

  async check(next: { promptTokens: number; profile: ResolvedProfile; spentUsd: number }): Promise<BudgetStop | undefined> {
    const cfg = this.cfg;
    if (!cfg) return undefined;
    const budget = { ...cfg.budget, perRequest: null };
    if (budget.daily === null && budget.monthly === null) return undefined;
    const confirm = cfg.confirm;
    let asked = false;
    const ask: AskBudget | undefined = this.goOn ? async () => 'send' : confirm ? async (refusal) => { asked = true; return confirm(refusal, null); } : undefined;
    const pre = await preflightBudget({
      promptTokens: next.promptTokens, maxOutputTokens: next.profile.maxOutputTokens, pricing: next.profile.pricing, endpoint: next.profile.id,
      ledger: cfg.ledger, budget, pending: next.spentUsd, ...(ask ? { ask } : {}),
    });
    if (pre.action !== 'cancel') {
      if (asked) this.goOn = true;
      for (const w of pre.action === 'send' ? pre.warnings : []) {
        if (this.warned.has(w.key)) continue;
        this.warned.add(w.key);
        this.warn(w.message);
      }
      return undefined;
    }
    const max = (pre.limit === 'monthly' ? budget.monthly : budget.daily) ?? 0;
    const used = roundUsd(pre.limit === 'monthly' ? pre.spent.month.amount : pre.spent.today.amount);
    const why = pre.by === 'user' ? ' You chose not to go on.' : '';
    return {
      limit: { kind: 'budget', max, used },
      message: `Stopped before the next model turn: ${pre.message}${why} This task has spent ${formatUsd(next.spentUsd)} so far.`,
    };
  }
}
