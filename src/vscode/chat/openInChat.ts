import * as vscode from 'vscode';
import { PONDER_VENDOR } from './participant';

/** "Ponder (auto)": follows Select Endpoint and the routing rules, as the sidebar route does. */
export const PALETTE_MODEL = { vendor: PONDER_VENDOR, id: 'auto' } as const;

/**
 * Sends a palette command's query to `@ponder` in a new chat thread of the Chat view.
 *
 * The extension host turns a chat request into a language model before it reaches any
 * participant: the Chat view's chosen model, else a default one (which only a vendor such as
 * Copilot provides). In a fresh window the Chat view has chosen nothing yet when the command
 * that activated Ponder opens it: Ponder's models are only resolved on demand, so the request was
 * answered with VS Code's bare "Language model unavailable". `modelSelector` makes the Chat view
 * resolve Ponder's models and choose one before it sends. A new thread per command keeps palette
 * commands from piling into one sticky conversation.
 *
 * Resolves true when the Chat view took the request; false (with the reason logged) when it could
 * not, so the caller can run the request elsewhere and say why.
 */
export async function openInChat(query: string, log: vscode.LogOutputChannel): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await vscode.commands.executeCommand('workbench.action.chat.newChat');
    await vscode.commands.executeCommand('workbench.action.chat.open', { query, mode: 'ask', modelSelector: PALETTE_MODEL });
    return { ok: true };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    log.warn(`Ponder: the Chat view did not take "${query}": ${reason}`);
    return { ok: false, reason };
  }
}
