import type * as vscode from 'vscode';
import { requestLogLine } from '../core/run/logLine';
import type { TraceStore } from '../core/run/traceStore';

/** Writes one line per finished request into the Ponder output channel; failures at error level. */
export function logRequests(traces: TraceStore, log: vscode.LogOutputChannel): { dispose(): void } {
  return traces.onChange(({ requestId, event }) => {
    if (event?.type !== 'request.end') return;
    const record = traces.get(requestId);
    const entry = record && requestLogLine(record.events);
    if (!entry) return;
    if (entry.level === 'error') log.error(entry.line);
    else if (entry.level === 'warning') log.warn(entry.line);
    else log.info(entry.line);
  });
}
