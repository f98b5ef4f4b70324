import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { openRepository } from '../../src/store/repository.js';
import { redactDraft, redactText } from '../../src/store/redact.js';
import { capDiff } from '../../src/store/diff-cap.js';
import { finishRecord } from '../../src/store/record.js';
import { cleanupRepos, fakeOid, makeRecord, makeRepo } from './helpers.js';

afterAll(cleanupRepos);

// One fixture per kind of secret (built from parts so this file itself holds no live-looking token).
const SECRETS: Record<string, string> = {
  privateKey: ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAq7zN9xSECRETKEYMATERIAL0123456789abcdef', '-----END RSA PRIVATE KEY-----'].join('\n'),
  aws: `AKIA${'Z7Q2XWERTYUIOP3K'}`,
  github: `ghp_${'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'}`,
  githubPat: `github_pat_${'11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ'}`,
  gitlab: `glpat-${'xYz12345678901234567'}`,
  npm: `npm_${'abcdefghijklmnopqrstuvwxyz0123456789'}`,
  slack: `xoxb-${'123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'}`,
  jwt: `eyJhbGciOiJIUzI1NiJ9.${'eyJzdWIiOiIxMjM0NTY3ODkwIn0'}.${'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'}`,
  password: 'hunter2-correct-horse',
  token: 'tok-9f8e7d6c5b4a',
};

const text = [
  SECRETS.privateKey,
  `aws_key = ${SECRETS.aws}`,
  `remote: https://x:${SECRETS.github}@github.com/o/r`,
  `pat ${SECRETS.githubPat}`,
  `gl ${SECRETS.gitlab}`,
  `//registry.npmjs.org/:_authToken=${SECRETS.npm}`,
  `slack ${SECRETS.slack}`,
  `Authorization: Bearer ${SECRETS.jwt}`,
  `password=${SECRETS.password}`,
  `export DEPLOY_TOKEN="${SECRETS.token}"`,
  'internal id CORP-7731-XYZ',
].join('\n');

describe('redaction', () => {
  it('masks every built-in kind and config patterns, keeping ordinary code', () => {
    const out = redactText(text, [/CORP-\d+-[A-Z]+/]);
    for (const [kind, secret] of Object.entries(SECRETS)) expect(out, kind).not.toContain(kind === 'privateKey' ? 'SECRETKEYMATERIAL' : secret);
    expect(out).not.toContain('CORP-7731');
    expect(out).toContain('[REDACTED:private-key]');
    expect(redactText('const password: string = input;\nfunction token() {}\n')).toBe('const password: string = input;\nfunction token() {}\n');
    // Idempotent: redacting twice changes nothing more.
    expect(redactText(out, [/CORP-\d+-[A-Z]+/])).toBe(out);
  });

  it('leaves no raw secret anywhere in the ref objects after an append', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir });
    const base = makeRecord(fakeOid('s'));
    const draft = { ...base, spec: { ...base.spec, task: `use ${SECRETS.github}` }, artifact: { ...base.artifact, diff: `+${text.split('\n').join('\n+')}` }, verdicts: [{ ...base.verdicts[0], feedback: `leaked ${SECRETS.npm}` }], lastMessage: `here: ${SECRETS.slack}` };
    const { id: _id, ...rest } = draft;
    const { record } = finishRecord(redactDraft(rest));
    // A record that skipped redaction is still masked by the store's safety net.
    await repo.append([record, { ...draft, id: 'unredacted0000000000000000000000' }]);
    const dump = execFileSync('sh', ['-c', 'git rev-list --objects refs/notes/guardloop | cut -d" " -f1 | git cat-file --batch'], { cwd: dir, encoding: 'latin1' });
    for (const [kind, secret] of Object.entries(SECRETS)) expect(dump.includes(kind === 'privateKey' ? 'SECRETKEYMATERIAL' : secret), kind).toBe(false);
    expect((await repo.byTree(fakeOid('s'))).length).toBe(2);
    await repo.close();
  });

  it('cuts a diff above the limit with a marker and keeps the file list', async () => {
    const r = makeRecord(fakeOid('big'), { artifact: { diff: 'x'.repeat(100) + '\n' + 'y'.repeat(3000), files: ['a', 'b'], truncated: false } });
    const cut = capDiff(r, 1000);
    expect(cut.artifact.truncated).toBe(true);
    expect(cut.artifact.files).toEqual(['a', 'b']);
    expect(cut.artifact.diff.startsWith('x'.repeat(100))).toBe(true);
    expect(cut.artifact.diff).toContain('diff cut at 1000 bytes of 3101');
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir, maxDiffBytes: 1000 });
    await repo.append([r]);
    expect((await repo.byTree(fakeOid('big')))[0].artifact.truncated).toBe(true);
    await repo.close();
  });
});

describe('config patterns that can match nothing', () => {
  it('a zero-length match (a lookahead, `q*`) masks nothing and inserts nothing', () => {
    expect(redactText('yyyy', [/q*(?=y)/g])).toBe('yyyy');
    expect(redactText('Bearer abc', [/(?<=Bearer )\S*/g])).toBe('Bearer [REDACTED:config]');
  });
});
