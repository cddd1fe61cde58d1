import { packContext } from '../context/engine';
import { streamTurn } from '../model/client';
import { defaultToolDeps } from '../tools/deps';
import type { RunDeps } from './types';

/** The real parts runRequest uses; tests and adapters may replace any of them. */
export const defaultRunDeps: RunDeps = {
  streamTurn,
  packContext,
  toolDeps: defaultToolDeps,
  now: Date.now,
};
