import assert from 'node:assert/strict';
import { isSecretPath, redactSecrets } from '../../../src/core/context/secrets';

describe('secret rules', () => {
  it('recognizes secret files by name and keeps examples', () => {
    for (const p of ['.env', '.env.local', 'config/.env.production', 'certs/server.pem', 'tls.key', 'id_rsa', 'home/.ssh/id_ed25519', 'keystore.p12', 'a/cert.pfx', 'credentials.json', '.npmrc', 'secrets.yaml', 'infra/terraform.tfstate'])
      assert.equal(isSecretPath(p), true, p);
    for (const p of ['.env.example', 'src/env.ts', 'src/keys.ts', 'docs/secret-handling.md', 'src/token.ts', 'README.md', '.env.sample'])
      assert.equal(isSecretPath(p), false, p);
  });

  it('redacts credential-looking lines and keeps the line count', () => {
    const text = [
      'const a = 1',
      'const awsKey = "AKIAIOSFODNN7EXAMPLE"',
      'const openai = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"',
      'headers.Authorization = "Bearer eyJhbGciOiJIUzI1NiJ9abcdefghijklmnop"',
      'password = "hunter2-Very$ecret"',
      '-----BEGIN RSA PRIVATE KEY-----',
      'MIIEowIBAAKCAQEAxyz',
      '-----END RSA PRIVATE KEY-----',
      'const db = "postgres://admin:s3cretPass@db.example.com/app"',
      'const ok = 2',
    ].join('\n');
    const r = redactSecrets(text);
    const lines = r.text.split('\n');
    assert.equal(lines.length, 10, 'line count kept so ranges stay true');
    assert.equal(lines[0], 'const a = 1');
    assert.equal(lines[9], 'const ok = 2');
    for (const secret of ['AKIAIOSFODNN7EXAMPLE', 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789', 'eyJhbGciOiJIUzI1NiJ9abcdefghijklmnop', 'hunter2-Very$ecret', 'MIIEowIBAAKCAQEAxyz', 's3cretPass'])
      assert.ok(!r.text.includes(secret), `${secret} removed`);
    assert.ok(r.redactions.length >= 6);
    assert.ok(r.redactions.some((x) => x.kind === 'private key block' && x.line === 6));
  });

  it('leaves ordinary code that merely mentions secrets alone', () => {
    const text = [
      'const password = getPassword()',
      'function setToken(token: string) { this.token = token }',
      'const label = "Enter your password"',
      'const apiKey = process.env.OPENAI_API_KEY',
      'const secret = "${SECRET}"',
      'const key = "changeme"',
    ].join('\n');
    const r = redactSecrets(text);
    assert.equal(r.text, text);
    assert.equal(r.redactions.length, 0);
  });
});
