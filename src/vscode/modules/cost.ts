import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PonderModule, PonderServices } from '../services';
import {
  Ledger, LEDGER_FILE_NAME, WarningGate, defaultLedgerPath, startOfMonth, budgetFromSettings, budgetWarnings, ledgerEntryFromEvents, totals,
  type ReportProfile,
} from '../../core/cost';
import { CostReportSlot } from '../costReport/panel';
import { mergeOldLedger } from '../../core/cost/ledgerMerge';

/** globalState: budget warnings already shown ("daily:2026-11-22"), so each shows once per period across reloads. */
const WARNED_KEY = 'ponder.budget.warned';
/** Other windows append to the same ledger: re-read now and then (a stat, and the new tail only). */
const REFRESH_MS = 60_000;

/**
 * Spend in the editor: every finished request goes into the shared ledger (global storage), the
 * sidebar header and status bar get session/today/month totals, budget warnings show at 80% once
 * per day or month, and `Ponder: Show Cost Report` opens the report.
 */
export const costModule: PonderModule = {
  name: 'cost',
  register(services: PonderServices) {
    const { context, log, traces, settings, testMode, endpoints, spend: spendState, header: sidebarHeader } = services;
    const costReport = new CostReportSlot();
    // One ledger for every window and the CLI (`ponder costs` reads it too).
    const ledger = new Ledger(defaultLedgerPath(), log);
    const merged = mergeOldLedger(path.join(context.globalStorageUri.fsPath, LEDGER_FILE_NAME), ledger, log)
      .catch((err: unknown) => { log.error(`Ponder spend: could not merge the older ledger into ${ledger.file}: ${err instanceof Error ? err.message : String(err)}`); });
    spendState.setLedger(ledger);
    const sessionId = vscode.env.sessionId;
    const activatedAt = Date.now();
    const warnedHere = new Set<string>();
    const recorded = new Set<string>();
    let disposed = false;

    const refreshSpend = async (): Promise<void> => {
      await merged;
      const now = Date.now();
      // This month, and this session if it began earlier: older lines do not change any figure shown.
      const since = new Date(Math.min(startOfMonth(now).getTime(), activatedAt));
      const t = totals(await ledger.read({ since }), { now, sessionId });
      const budget = budgetFromSettings(settings.current);
      spendState.set({ session: t.session.amount, today: t.today.amount, month: t.month.amount, budgetDaily: budget.daily, budgetMonthly: budget.monthly, totals: t });
      sidebarHeader.set({ spend: { session: t.session.amount, today: t.today.amount, month: t.month.amount, budgetDaily: budget.daily, budgetMonthly: budget.monthly, currency: 'USD' } });
      // What any window already warned about (globalState is shared), plus this window's own.
      const gate = new WarningGate([...context.globalState.get<string[]>(WARNED_KEY, []), ...warnedHere]);
      const fresh = gate.pass(budgetWarnings(t, budget));
      if (fresh.length) {
        for (const w of fresh) warnedHere.add(w.key);
        // Keep only this month's keys: the list stays short.
        await context.globalState.update(WARNED_KEY, gate.keys().filter((k) => (k.split(':')[1] ?? '').startsWith(t.monthKey)));
        for (const w of fresh) {
          log.warn(w.message);
          void vscode.window.showWarningMessage(w.message, 'Show Cost Report', 'Budget Settings').then((choice) => {
            if (choice === 'Show Cost Report') void vscode.commands.executeCommand('ponder.showCostReport');
            if (choice === 'Budget Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'ponder.budget');
          });
        }
      }
      await costReport.open?.refresh();
    };
    const refresh = () => {
      if (disposed) return;
      refreshSpend().catch((err: unknown) => log.error(`Ponder spend: could not read the ledger ${ledger.file}: ${err instanceof Error ? err.message : String(err)}`));
    };

    const record = async (requestId: string): Promise<void> => {
      const rec = traces.get(requestId);
      if (!rec || recorded.has(requestId)) return;
      const entry = ledgerEntryFromEvents(rec.events, { sessionId, workspace: vscode.workspace.name });
      if (!entry) return;
      recorded.add(requestId);
      await ledger.append(entry);
      refresh();
    };

    const profiles = (): ReportProfile[] => endpoints.config.profiles.map((p) => ({ id: p.id, label: p.label, provider: p.provider, pricing: p.pricing }));
    const deps = () => ({ context, log, ledger, sessionId, testMode, profiles, budget: () => budgetFromSettings(settings.current) });
    const timer = setInterval(refresh, REFRESH_MS);

    context.subscriptions.push(
      traces.onChange(({ requestId, event }) => {
        if (event?.type !== 'request.end') return;
        record(requestId).catch((err: unknown) => {
          recorded.delete(requestId);
          log.error(`Ponder spend: could not record request ${requestId} in ${ledger.file}: ${err instanceof Error ? err.message : String(err)}`);
        });
      }),
      settings.onDidChange(refresh),
      vscode.window.onDidChangeWindowState((s) => { if (s.focused) refresh(); }),
      { dispose: () => { disposed = true; clearInterval(timer); } },
      costReport,
      vscode.commands.registerCommand('ponder.showCostReport', () => { costReport.show(deps()); }),
    );
    if (PONDER_TEST_HOOKS && testMode) {
      context.subscriptions.push(
        // Integration suites seed this file (as another window would) and read the report back.
        vscode.commands.registerCommand('ponder._test.ledgerPath', () => ledger.file),
        vscode.commands.registerCommand('ponder._test.refreshSpend', () => refreshSpend().then(() => spendState.current && { session: spendState.current.session, today: spendState.current.today, month: spendState.current.month })),
        vscode.commands.registerCommand('ponder._test.costReportProbe', async () => {
          const panel = costReport.open;
          if (!panel) throw new Error('ponder._test.costReportProbe: the cost report is not open');
          for (let i = 0; i < 100 && !panel.isReady; i++) await new Promise((r) => setTimeout(r, 100));
          await panel.refresh();
          return panel.probe();
        }),
        vscode.commands.registerCommand('ponder._test.exportCostCsv', async (target: unknown) => {
          if (typeof target !== 'string') throw new Error('ponder._test.exportCostCsv: pass the target file path');
          const panel = costReport.open ?? costReport.show(deps());
          return (await panel.exportCsv(vscode.Uri.file(target)))?.fsPath;
        }),
      );
    }
    refresh();
  },
};
