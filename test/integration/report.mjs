// Prints results as mocha's spec reporter would, ending with the line `N passed, N failed`.
import fs from 'node:fs';
import path from 'node:path';
import { SourceMap } from 'node:module';

const green = (s) => (process.stdout.isTTY ? `\x1b[32m${s}\x1b[0m` : s);
const red = (s) => (process.stdout.isTTY ? `\x1b[31m${s}\x1b[0m` : s);

/**
 * Maps stack frames in suite bundles back to the .ts sources through the bundles' inline source
 * maps (the extension host replaces Error.prepareStackTrace, so Node cannot do it there).
 */
export class StackMapper {
  maps = new Map();
  constructor(repoRoot) {
    this.repoRoot = repoRoot;
  }

  mapFor(file) {
    if (!this.maps.has(file)) {
      let map = null;
      try {
        const m = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(fs.readFileSync(file, 'utf8'));
        if (m) map = { sm: new SourceMap(JSON.parse(Buffer.from(m[1], 'base64').toString('utf8'))), dir: path.dirname(file) };
      } catch {
        /* not readable: leave the frame as it is */
      }
      this.maps.set(file, map);
    }
    return this.maps.get(file);
  }

  line(text) {
    return text.replace(/(\/[^\s():]+\.js):(\d+):(\d+)/g, (whole, file, line, col) => {
      const map = this.mapFor(file);
      const entry = map?.sm.findEntry(Number(line) - 1, Number(col) - 1);
      if (!entry?.originalSource) return whole;
      const src = path.relative(this.repoRoot, path.resolve(map.dir, entry.originalSource.replace(/^file:\/\//, '')));
      return `${src}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    });
  }
}

export class Report {
  tests = [];
  /** Failures outside any test: a group that never started, a timeout, a suite that would not load. */
  problems = [];

  constructor(repoRoot, suitesRoot) {
    this.mapper = new StackMapper(repoRoot);
    this.repoRoot = repoRoot;
    this.suitesRoot = suitesRoot;
  }

  /** The suite's source path for a bundle path inside the installed harness. */
  source(file) {
    const m = /[/\\]suites[/\\](.+)\.js$/.exec(file ?? '');
    return m ? path.relative(this.repoRoot, path.join(this.suitesRoot, `${m[1]}.ts`)) : file;
  }

  test(group, t) {
    this.tests.push({ group, ...t });
    const ms = t.durationMs > 75 ? ` (${t.durationMs}ms)` : '';
    if (t.state === 'passed') console.log(`    ${green('✔')} ${t.fullTitle}${ms}`);
    else if (t.state === 'failed') console.log(`    ${red(`✗ ${t.fullTitle}`)}${ms}`);
    else console.log(`    - ${t.fullTitle} (pending: counted as a failure)`);
  }

  problem(group, title, message) {
    this.problems.push({ group, title, message });
    console.log(`    ${red(`✗ [${group}] ${title}`)}`);
  }

  get passed() {
    return this.tests.filter((t) => t.state === 'passed').length;
  }

  get failed() {
    return this.tests.filter((t) => t.state !== 'passed').length + this.problems.length;
  }

  print(durationMs) {
    console.log(`\n  ${green(`${this.passed} passing`)} (${Math.round(durationMs / 1000)}s)`);
    if (this.failed) console.log(`  ${red(`${this.failed} failing`)}`);
    let n = 0;
    for (const t of this.tests.filter((x) => x.state !== 'passed')) {
      console.log(`\n  ${++n}) [${t.group}] ${t.fullTitle}${t.file ? `\n     ${this.source(t.file)}` : ''}`);
      if (t.state === 'pending') console.log('     Pending test: write it or delete it (no skipped tests).');
      if (t.error) {
        console.log(`     ${red(t.error.message.split('\n').join('\n     '))}`);
        if (t.error.expected !== undefined && !/actual/.test(t.error.message)) console.log(`     expected: ${t.error.expected}\n     actual:   ${t.error.actual}`);
        const stack = (t.error.stack ?? '')
          .split('\n')
          .filter((l) => /^\s+at /.test(l) && !/node:internal|mocha[/\\]lib/.test(l))
          .slice(0, 6)
          .map((l) => this.mapper.line(l.trim()));
        if (stack.length) console.log(stack.map((l) => `     ${l}`).join('\n'));
      }
    }
    for (const p of this.problems) console.log(`\n  ${++n}) [${p.group}] ${p.title}\n     ${red(p.message.split('\n').join('\n     '))}`);
    console.log(`\n${this.passed} passed, ${this.failed} failed`);
  }
}
