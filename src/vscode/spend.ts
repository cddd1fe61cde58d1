import * as vscode from 'vscode';
import type { BudgetDecision, BudgetRefusal, Ledger, Totals } from '../core/cost';
import { formatUsd } from '../core/cost';

/** The window's view of spend: kept current by the cost module, read by the status bar and the runner. */
export interface SpendSnapshot {
  session: number;
  today: number;
  month: number;
  budgetDaily: number | null;
  budgetMonthly: number | null;
  totals: Totals;
}

export class SpendState implements vscode.Disposable {
  private value: SpendSnapshot | undefined;
  private shared: Ledger | undefined;
  private readonly emitter = new vscode.EventEmitter<SpendSnapshot>();
  readonly onDidChange = this.emitter.event;

  /** The extension's ledger (global storage, shared by every window); set at activation. */
  get ledger(): Ledger | undefined { return this.shared; }
  setLedger(ledger: Ledger): void { this.shared = ledger; }

  get current(): SpendSnapshot | undefined { return this.value; }
  set(value: SpendSnapshot): void {
    this.value = value;
    this.emitter.fire(value);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/**
 * The editor's answer to a budget refusal (core's `AskBudget` port): a modal with
 * Send Anyway / Send with a Smaller Context / Cancel. "Smaller" is offered only when some
 * context fits. The runner passes this to `preflightBudget`.
 */
export async function askBudgetDecision(refusal: BudgetRefusal, smallerPromptTokens: number | null): Promise<BudgetDecision> {
  const anyway = 'Send Anyway';
  const smaller = 'Send with a Smaller Context';
  const buttons = smallerPromptTokens !== null ? [anyway, smaller] : [anyway];
  const detail = smallerPromptTokens !== null
    ? `A prompt of up to ${smallerPromptTokens.toLocaleString('en-US')} tokens fits the ${formatUsd(refusal.allowedUsd)} left.`
    : `Only ${formatUsd(refusal.allowedUsd)} is left: no smaller context fits.`;
  const choice = await vscode.window.showWarningMessage(`Ponder: ${refusal.message}`, { modal: true, detail }, ...buttons);
  return choice === anyway ? 'send' : choice === smaller ? 'send-smaller' : 'cancel';
}
