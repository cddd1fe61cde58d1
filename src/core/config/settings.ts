import { z } from 'zod';
import { EndpointProfileSchema, KEY_LIKE_FIELDS } from './profile';

/**
 * The typed settings registry: one zod schema and default per setting. Values are validated on
 * read; an invalid value is reported once by name and replaced by its default. A unit test keeps
 * this list and package.json's `contributes.configuration` in step.
 */
const nullableUsd = z.number().nonnegative().nullable();

export const RoutingRuleSchema = z.union([
  z.object({
    name: z.string().optional(),
    when: z.object({
      command: z.union([z.string(), z.array(z.string())]).optional(),
      promptTokensOver: z.number().int().positive().optional(),
    }).strict(),
    endpoint: z.string(),
  }).strict(),
  z.object({ name: z.string().optional(), fallback: z.array(z.string()).min(1) }).strict(),
]);
export type RoutingRule = z.infer<typeof RoutingRuleSchema>;

const ToolName = z.enum(['propose_edit', 'run_command']);

export const SETTINGS = {
  'ponder.endpoints': { schema: z.array(z.unknown()), default: [] as unknown[] },
  'ponder.defaultEndpoint': { schema: z.string(), default: '' },
  'ponder.context.budget': { schema: z.number().int().min(0), default: 0 },
  'ponder.context.exclude': { schema: z.array(z.string()), default: [] as string[] },
  'ponder.context.maxFileSizeKB': { schema: z.number().int().min(1), default: 512 },
  'ponder.context.repoMap': { schema: z.boolean(), default: true },
  'ponder.context.timeLimitMs': { schema: z.number().int().min(100), default: 3000 },
  'ponder.tools.enabled': { schema: z.enum(['none', 'read', 'all']), default: 'all' as 'none' | 'read' | 'all' },
  'ponder.tools.autoApprove': { schema: z.array(ToolName), default: [] as Array<z.infer<typeof ToolName>> },
  'ponder.agent.approve': { schema: z.enum(['none', 'edits', 'commands', 'all']), default: 'commands' as 'none' | 'edits' | 'commands' | 'all' },
  'ponder.agent.checks': { schema: z.array(z.object({ name: z.string().min(1), command: z.string().min(1) })), default: [] as Array<{ name: string; command: string }> },
  'ponder.agent.allowedCommands': { schema: z.array(z.string()), default: [] as string[] },
  'ponder.agent.maxCost': { schema: nullableUsd, default: 2 as number | null },
  'ponder.agent.maxRounds': { schema: z.number().int().min(1).max(500), default: 40 },
  'ponder.agent.maxTokens': { schema: z.number().int().min(1000), default: 2_000_000 },
  'ponder.agent.maxMinutes': { schema: z.number().min(1), default: 30 },
  'ponder.tools.maxRounds': { schema: z.number().int().min(1).max(50), default: 8 },
  'ponder.tools.maxOutputTokens': { schema: z.number().int().min(1000), default: 24000 },
  'ponder.commands.target': { schema: z.enum(['chat', 'sidebar']), default: 'chat' as 'chat' | 'sidebar' },
  'ponder.chat.historyTokens': { schema: z.number().int().min(0), default: 8000 },
  'ponder.instructions.agentsMd': { schema: z.boolean(), default: true },
  'ponder.instructions.copilotInstructions': { schema: z.boolean(), default: true },
  'ponder.instructions.githubInstructions': { schema: z.boolean(), default: true },
  'ponder.instructions.ponderInstructions': { schema: z.boolean(), default: true },
  'ponder.tools.vscodeTools': { schema: z.array(z.string()), default: ['mcp_*'] as string[] },
  'ponder.mcp.autoApprove': { schema: z.array(z.string()), default: [] as string[] },
  'ponder.budget.perRequest': { schema: nullableUsd, default: null as number | null },
  'ponder.budget.daily': { schema: nullableUsd, default: null as number | null },
  'ponder.budget.monthly': { schema: nullableUsd, default: null as number | null },
  'ponder.budget.hardLimit': { schema: z.boolean(), default: false },
  // Kept raw here: the rules are validated in one place, validateRoutingRules (core/routing/rules.ts,
  // reached through routingConfigFromSettings), which checks each rule and the profile ids it names.
  'ponder.routing': { schema: z.unknown(), default: [] as unknown },
  'ponder.health.pollSeconds': { schema: z.number().int().min(0), default: 15 },
  'ponder.trace.maxRequests': { schema: z.number().int().min(1).max(5000), default: 200 },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K]['default'];
export type Settings = { [K in SettingKey]: SettingValue<K> };

export interface SettingProblem { key: string; message: string }

/** Formats a zod error as "path: message; path: message". */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}`).join('; ');
}

/** Validates one raw value; returns the default and a problem when it is invalid. */
export function validateSetting<K extends SettingKey>(key: K, raw: unknown): { value: SettingValue<K>; problem?: SettingProblem } {
  const spec = SETTINGS[key];
  if (raw === undefined) return { value: spec.default };
  const parsed = spec.schema.safeParse(raw);
  if (parsed.success) return { value: parsed.data as SettingValue<K> };
  return {
    value: spec.default,
    problem: { key, message: `Setting "${key}" is invalid (${describeZodError(parsed.error)}); using the default ${JSON.stringify(spec.default)}.` },
  };
}

/** Reads every setting through `get`; invalid values fall back to defaults and are listed. */
export function readSettings(get: (key: SettingKey) => unknown): { settings: Settings; problems: SettingProblem[] } {
  const settings = {} as Record<string, unknown>;
  const problems: SettingProblem[] = [];
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    const { value, problem } = validateSetting(key, get(key));
    settings[key] = value;
    if (problem) problems.push(problem);
  }
  return { settings: settings as Settings, problems };
}

/**
 * Endpoint profiles are validated one by one so a bad profile does not take the good ones down;
 * a key pasted into settings is refused with a message saying where it belongs.
 */
export function parseEndpointProfiles(raw: unknown[]): { profiles: z.infer<typeof EndpointProfileSchema>[]; problems: SettingProblem[] } {
  const profiles: z.infer<typeof EndpointProfileSchema>[] = [];
  const problems: SettingProblem[] = [];
  const seen = new Set<string>();
  raw.forEach((entry, i) => {
    const where = `ponder.endpoints[${i}]`;
    const id = typeof entry === 'object' && entry && 'id' in entry ? String((entry as { id: unknown }).id) : `#${i}`;
    const keyField = typeof entry === 'object' && entry ? KEY_LIKE_FIELDS.find((f) => f in entry) : undefined;
    if (keyField) {
      problems.push({ key: where, message: `Profile "${id}" has "${keyField}" in settings; keys are never read from settings. Remove it and run "Ponder: Set API Key" to store it in SecretStorage.` });
      return;
    }
    const parsed = EndpointProfileSchema.safeParse(entry);
    if (!parsed.success) {
      problems.push({ key: where, message: `Profile "${id}" in "ponder.endpoints" is invalid (${describeZodError(parsed.error)}); it is ignored.` });
      return;
    }
    if (seen.has(parsed.data.id)) {
      problems.push({ key: where, message: `Profile id "${parsed.data.id}" appears twice in "ponder.endpoints"; the later one is ignored.` });
      return;
    }
    seen.add(parsed.data.id);
    profiles.push(parsed.data);
  });
  return { profiles, problems };
}
