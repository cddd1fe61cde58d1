import { ApprovalPolicy } from '../../tools/approval';
import { selectTools } from '../../tools/registry';
import { ToolRunner } from '../../tools/runner';
import { createExcludeRule } from '../../tools/walk';
import type { RequestContext } from './context';

/**
 * Stage: the tools offered to the model, as a runner (undefined: no tools). Decided first
 * because their schemas take room in the prompt (`toolTokens`).
 */
export function offerTools(ctx: RequestContext): { runner?: ToolRunner; toolTokens: number } {
  const { input, deps, emitter, signal } = ctx;
  const cfg = input.tools;
  if (!cfg) return { toolTokens: 0 };
  const offered = [
    ...selectTools(cfg.enabled, cfg.host, cfg.tools),
    ...(cfg.enabled !== 'none' && cfg.host.trusted ? cfg.external ?? [] : []),
  ];
  if (!offered.length) return { toolTokens: 0 };
  const toolDeps = { ...deps.toolDeps, isExcluded: createExcludeRule(cfg.exclude ?? input.workspace?.exclude ?? []) };
  const runner = new ToolRunner({
    tools: offered, host: cfg.host, deps: toolDeps, emitter, signal,
    maxOutputTokens: cfg.maxOutputTokens ?? 24000,
    approval: new ApprovalPolicy({ trusted: cfg.host.trusted, autoApprove: cfg.autoApprove, autoApproveSetting: cfg.autoApproveSetting, session: cfg.session, port: cfg.approval }),
  });
  return { runner, toolTokens: ctx.count(JSON.stringify(runner.specs())) };
}
