import type { ResolvedProfile } from '../model/types';

/**
 * Endpoints (profile, URL, model) seen to reject function calling: later requests to them are
 * not offered tools. The composition root keeps one for the window (VS Code) or the process
 * (the CLI) and hands it to each request; a request given none remembers only for itself.
 */
export class ToolRefusals {
  private readonly endpoints = new Set<string>();

  has(p: ResolvedProfile): boolean {
    return this.endpoints.has(keyOf(p));
  }

  add(p: ResolvedProfile): void {
    this.endpoints.add(keyOf(p));
  }
}

const keyOf = (p: ResolvedProfile) => `${p.id}|${p.baseUrl}|${p.model ?? ''}`;
