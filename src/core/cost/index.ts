/**
 * Spend: usage -> cost, the shared ledger, totals, budgets, CSV and self-hosted break-even.
 * Pure core: the extension gives the ledger a path in its global storage, the CLI its own.
 */
export * from './types';
export { costOfRequest, estimateRequest, largestPromptWithin, formatUsd, roundUsd, tablePrice, hasTokenPrices, hasHourPrice } from './pricing';
export { Ledger, MAX_LINE_BYTES } from './ledger';
export { totals, startOfMonth, bucketOf, emptyBucket, dayKeyOf, monthKeyOf, type Totals, type Bucket, type DayPoint } from './totals';
export {
  checkBudget, budgetWarnings, smallerPromptBudget, WarningGate, WARN_AT,
  type Budget, type BudgetCheck, type BudgetDecision, type BudgetLimit, type BudgetWarning, type SpentSoFar,
} from './budget';
export { preflightBudget, budgetFromSettings, type PreflightResult, type AskBudget, type BudgetRefusal } from './preflight';
export { ledgerEntryFromEvents, type EntryMeta } from './fromEvents';
export { toCsv, CSV_COLUMNS } from './csv';
export { breakEven, fmtTokens, HOURS_PER_MONTH, type BreakEven } from './breakEven';
export { defaultLedgerPath, LEDGER_FILE_NAME } from './paths';
export { buildReport, type ReportProfile } from './report';
export * from './reportProtocol';
