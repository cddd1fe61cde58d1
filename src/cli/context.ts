import { EXIT, type CliCommand } from './main';

/** Placeholder until this command lands; says so instead of pretending. */
export const contextCommand: CliCommand = async (_argv, io) => {
  io.err('ponder context: not available in this build yet.\n');
  return EXIT.usage;
};
