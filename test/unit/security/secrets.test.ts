import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contextCommand } from '../../../src/cli/context';
import { packContext } from '../../../src/core/context/engine';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';
import { isSecretPath, redactSecrets } from '../../../src/core/context/secrets';
import { configureTokenCache } from '../../../src/core/tokens';
import { rm, tempRepo } from '../context/helpers';
import { makeRunner } from '../tools/helpers';

const CANARY = 'Zq7-canary-hunter2';

describe('security: secrets never reach the model', () => {
  describe('a symlink with an ordinary name to a secret file', () => {
    let root: string;
    beforeEach(() => {
      root = tempRepo({ '.env': `DB_PASSWORD=${CANARY}\n`, 'src/app.ts': 'export const notes = "see notes"\n', 'kube/real-config': 'x' });
      fs.symlinkSync('.env', path.join(root, 'notes.txt'));
      fs.mkdirSync(path.join(root, 'docs'));
      fs.symlinkSync('../.env', path.join(root, 'docs', 'readme-env.md'));
    });
    afterEach(() => rm(root));

    it('is neither packed by ponder context nor named in its output', async () => {
      let out = '';
      const code = await contextCommand(['--root', root, '--query', 'notes password DB_PASSWORD', '--budget', '4000', '--no-map'], { out: (t) => { out += t; }, err: () => {}, env: {}, cwd: root });
      assert.equal(code, 0);
      assert.ok(!out.includes(CANARY), out);
      assert.doesNotMatch(out, /notes\.txt|readme-env/);
    });

    it('is packed neither as the active file nor from the index', async () => {
      const packed = await packContext({ query: 'notes password', activeFile: path.join(root, 'notes.txt'), budget: 4000 }, new NodeWorkspace([root]), { git: false, cacheDir: null });
      assert.ok(!JSON.stringify(packed.items).includes(CANARY));
      assert.ok(packed.withheld.some((w) => w.path === 'notes.txt' && /secret/.test(w.reason)), JSON.stringify(packed.withheld));
    });

    it('search_text, list_files and read_file do not return it', async () => {
      const { call } = makeRunner({ root, enabled: 'read' });
      const search = await call('search_text', { pattern: 'PASSWORD' });
      assert.ok(!search.content.includes(CANARY), search.content);
      const list = await call('list_files', {});
      assert.doesNotMatch(list.content, /notes\.txt|readme-env/);
      const read = await call('read_file', { path: 'notes.txt' });
      assert.equal(read.ok, false);
    });
  });

  it('redacts a credential on a line of any length', () => {
    const long = `const config = {${'a: 1, '.repeat(800)} apiKey: "${CANARY}" }`;
    assert.ok(long.length > 2000);
    assert.ok(!redactSecrets(long).text.includes(CANARY));
  });

  const cases: Array<[string, string]> = [
    ['.env KEY=value', `DB_PASSWORD=${CANARY}`],
    ['export KEY=value', `export API_TOKEN=${CANARY}`],
    ['YAML unquoted', `  password: ${CANARY}`],
    ['YAML list item', `- client_secret: ${CANARY}`],
    ['low entropy, named', 'password: "hunter2"'],
    ['PHP define', `define('DB_PASSWORD', '${CANARY}');`],
    ['URL with a password and no user', `REDIS=redis://:${CANARY}@cache.internal:6379`],
    ['Authorization: Basic', `Authorization: Basic ${Buffer.from(`admin:${CANARY}`).toString('base64')}`],
    ['Azure connection string', `DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${Buffer.from(CANARY.repeat(4)).toString('base64')};EndpointSuffix=core.windows.net`],
    ['Azure storage key alone', `key ${Buffer.alloc(64, 7).toString('base64')}`],
  ];
  for (const [what, line] of cases) {
    it(`redacts ${what}`, () => {
      const secret = what === 'Authorization: Basic' ? Buffer.from(`admin:${CANARY}`).toString('base64') : what.startsWith('Azure storage') ? Buffer.alloc(64, 7).toString('base64') : what.startsWith('Azure conn') ? Buffer.from(CANARY.repeat(4)).toString('base64') : what === 'low entropy, named' ? 'hunter2' : CANARY;
      const r = redactSecrets(`line one\n${line}\nline three`);
      assert.ok(!r.text.includes(secret), r.text);
      assert.equal(r.text.split('\n').length, 3);
      assert.equal(r.redactions[0]?.line, 2);
    });
  }

  it('redacts a PGP private key block whole', () => {
    const text = `a\n-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF${CANARY}\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----\nb`;
    const r = redactSecrets(text);
    assert.ok(!r.text.includes(CANARY));
    assert.equal(r.text.split('\n').length, text.split('\n').length);
  });

  it('keeps code and prose that only mention secrets', () => {
    const text = ['password: ${DB_PASSWORD}', 'token = os.environ["TOKEN"]', 'api_key: null', 'Basic usage: call it', 'auth = self.auth', 'secret_prompt = "Enter your secret here"', 'password=', 'TOKEN_URL: https://example.com/token'].join('\n');
    const r = redactSecrets(text);
    assert.deepEqual(r.text.split('\n').slice(0, 7), text.split('\n').slice(0, 7));
  });

  it('recognises secret files by name', () => {
    for (const p of ['.envrc', 'prod.env', 'deploy/app.env', 'infra/prod.tfvars', 'x.tfvars.json', 'kubeconfig', 'ops/kubeconfig.yaml', '.kube/config', 'AuthKey_ABC.p8', '.netrc', '_netrc'])
      assert.ok(isSecretPath(p), p);
    for (const p of ['src/env.ts', 'environment.ts', 'docs/kube.md', 'netrc.md']) assert.ok(!isSecretPath(p), p);
  });

  it('the analysis and token caches on disk never hold a piece of a credential', async () => {
    const cache = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-secret-cache-')));
    fs.chmodSync(cache, 0o700);
    const root = tempRepo({
      'config/app.yml': `db:\n  host: localhost\n  password: ${CANARY}\n`,
      'src/settings.php': `<?php\ndefine('DB_PASSWORD', '${CANARY}');\n`,
      'src/big.ts': `export const c = {${'a: 1, '.repeat(800)} apiKey: "${CANARY}" }\n`,
      'src/main.ts': 'import "./big"\nexport const password = 1\n',
    });
    try {
      configureTokenCache(cache);
      const packed = await packContext({ query: 'db password settings apiKey', activeFile: path.join(root, 'src/main.ts'), budget: 8000 }, new NodeWorkspace([root]), { git: false, cacheDir: cache });
      assert.ok(packed.items.length > 1);
      assert.ok(!JSON.stringify(packed.items).includes(CANARY.slice(4)));
      const files = fs.readdirSync(cache, { recursive: true }) as string[];
      for (const f of files) {
        const abs = path.join(cache, f);
        if (fs.statSync(abs).isFile()) assert.ok(!fs.readFileSync(abs, 'latin1').includes('canary'), `${f} holds a piece of the credential`);
      }
    } finally {
      configureTokenCache(null);
      rm(root);
      rm(cache);
    }
  });
});
