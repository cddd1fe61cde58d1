/* eslint-disable no-control-regex -- this file exists to find control characters */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import { answerTurn, toolTurn } from '../run/helpers';
import { quotedLine, terminalSafe, visibleControls } from '../../../src/core/terminalText';

const ESC = '\x1b';
/**
 * A command that repaints the approval prompt: it erases its own line, moves up, prints a
 * harmless "$ npm test", retitles the window, writes the clipboard (OSC 52), hides a link
 * (OSC 8), and uses the one-byte C1 CSI (U+009B) and a bidi override.
 */
const HOSTILE = `touch pwned.txt #${ESC}[2K\r${ESC}[1A${ESC}[2K  $ npm test${ESC}]0;ok${'\x07'}${ESC}]52;c;cHduZWQ=${'\x07'}${ESC}]8;;http://127.0.0.1/x${'\x07'}docs${ESC}]8;;${'\x07'}\u009b2J\u202e`;

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Runs the built CLI in a real pseudo-terminal (util-linux `script`), answering `answer` at the approval prompt. */
function inPty(cli: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, answer: string): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve) => {
    const cmd = [process.execPath, cli, ...args].map(shellQuote).join(' ');
    const child = spawn('script', ['-q', '-e', '-c', cmd, '/dev/null'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let answered = false;
    child.stdout.on('data', (d: Buffer) => {
      screen += d.toString('utf8');
      if (!answered && /\[a\]lways this session: $/.test(screen)) { answered = true; child.stdin.write(answer + '\n'); }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, screen }); });
  });
}

describe('security: nothing printed to a terminal can repaint it', function () {
  this.timeout(60_000);
  let wire: WireServer;
  let tmp: string;
  let cli: string;
  let root: string;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-pty-'));
    cli = path.join(tmp, 'cli.js');
    await esbuild.build({ entryPoints: ['src/cli/main.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: cli, logLevel: 'silent' });
    wire = await startWireServer();
  });
  after(async () => { await wire.close(); fs.rmSync(tmp, { recursive: true, force: true }); });
  beforeEach(() => { root = fs.mkdtempSync(path.join(tmp, 'ws-')); });

  const env = () => ({ ...process.env, NO_COLOR: '', TERM: 'xterm-256color', PONDER_LEDGER: path.join(root, 'ledger.jsonl') });
  const args = () => ['ask', '--root', root, '--base-url', wire.url, '--model', `m${ESC}]0;x${'\x07'}`, '--tools', 'all', 'Run the tests'];

  it('a disguised run_command: the real PTY shows the exact command on one quoted line, no control sequence acts, and "n" runs nothing', async () => {
    wire.enqueue(toolTurn('run_command', { command: HOSTILE }, { reasoning: `thinking${ESC}[2J` }), answerTurn(`Done.${ESC}[31m red \u009b1;1H${ESC}]52;c;eA==\x07`));
    const r = await inPty(cli, args(), root, env(), 'n');
    assert.equal(r.code, 0, r.screen);
    // Ponder's own dim/bold are the only escape sequences on the screen; no BEL, no C1.
    const foreign = r.screen.replace(/\x1b\[(?:1|2|22)m/g, '');
    assert.doesNotMatch(foreign, /[\x1b\x07\u0080-\u009f\u202e]/, JSON.stringify(foreign));
    const prompt = r.screen.split('\n').find((l) => l.includes('$ "touch pwned.txt'));
    assert.ok(prompt, r.screen);
    assert.ok(prompt.includes(quotedLine(HOSTILE)), `the whole command, escaped, on one line: ${prompt}`);
    assert.match(r.screen, /contains line breaks, control or invisible characters: shown escaped/);
    assert.match(r.screen, /Done\.\\x1b\[31m red \\x9b1;1H\\x1b\]52;c;eA==\\x07/);
    assert.match(r.screen, /denied by user/);
    assert.equal(fs.existsSync(path.join(root, 'pwned.txt')), false);
  });

  it('"y" runs exactly the command that was shown', async () => {
    const cmd = `printf 'a\\tb' > shown.txt`;
    wire.enqueue(toolTurn('run_command', { command: cmd }), answerTurn('Ran.'));
    const r = await inPty(cli, args(), root, env(), 'y');
    assert.equal(r.code, 0, r.screen);
    assert.match(r.screen, /\$ "printf 'a\\\\tb' > shown\.txt"/);
    assert.equal(fs.readFileSync(path.join(root, 'shown.txt'), 'utf8'), 'a\tb');
  });

  it('--jsonl escapes DEL, C1 and line separators that JSON.stringify leaves raw', async () => {
    wire.enqueue(answerTurn(`x\u009b2J\u007f\u2028y${ESC}[2J`));
    const r = await inPty(cli, ['ask', '--root', root, '--base-url', wire.url, '--model', 'm', '--jsonl', 'q'], root, env(), '');
    assert.equal(r.code, 0, r.screen);
    assert.doesNotMatch(r.screen, /[\x1b\u0080-\u009f\u007f\u2028]/);
    assert.match(r.screen, /x\\u009b2J\\u007f\\u2028y\\u001b\[2J/);
  });
});

describe('terminal text: control characters made visible', () => {
  it('keeps newlines, tabs and CRLF; escapes every other C0, ESC, DEL and C1', () => {
    assert.equal(visibleControls('a\tb\nc\r\nd\re\x00\x1b[2J\x7f\u0085\u009b'), 'a\tb\nc\r\nd\\x0de\\x00\\x1b[2J\\x7f\\x85\\x9b');
  });
  it('lets only Ponder\'s own bold and dim through at the terminal boundary', () => {
    assert.equal(terminalSafe('\x1b[2mdim\x1b[22m \x1b[1mb\x1b[22m \x1b[8mhidden\x1b[0m'), '\x1b[2mdim\x1b[22m \x1b[1mb\x1b[22m \\x1b[8mhidden\\x1b[0m');
  });
  it('quotes a command as one line that shows every character', () => {
    assert.equal(quotedLine('rm -rf "/"\nnpm test\u202e\\'), '"rm -rf \\"/\\"\\nnpm test\\u202e\\\\"');
  });
});
