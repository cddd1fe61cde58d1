/**
 * Whether this build carries the `ponder._test.*` commands at all: esbuild.mjs defines it false
 * for the production build and true otherwise. Being a define, `if (PONDER_TEST_HOOKS && ...)`
 * is cut at parse time, so the production bundle holds neither the test commands' ids nor the
 * code only they use (esbuild.mjs checks the bundle). Guard test-only code with
 * `if (PONDER_TEST_HOOKS && services.testMode)`; `services.testMode` is the one runtime check
 * (`isTestMode` in services.ts).
 */
declare const PONDER_TEST_HOOKS: boolean;
