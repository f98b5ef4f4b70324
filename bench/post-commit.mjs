// What the post-commit hook costs on a commit that was checked (issue 10's target: ≤ 5 ms): the
// installed script finds the marker the ACCEPTED pre-commit left, compares it with HEAD's tree in one
// git process and exits without starting Node. Measured with hyperfine -N (the marker re-made before
// each run, as the pre-commit would), beside `sh -c :` (a hook that does nothing) and `node -e 0`
// (what starting Node would cost). Usage: node bench/post-commit.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const dir = mkdtempSync(join(tmpdir(), 'gl-bench-post-'));
const git = (...args) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim();
try {
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Bench');
  git('config', 'user.email', 'bench@example.com');
  writeFileSync(join(dir, 'a.txt'), 'a\n');
  git('add', '-A');
  git('commit', '-q', '--no-verify', '-m', 'a');
  const hook = join(dir, 'post-commit');
  writeFileSync(hook, readFileSync(join(PROJECT, 'hooks', 'post-commit'), 'utf8'));
  mkdirSync(join(dir, '.git', 'guardloop'), { recursive: true });
  const marker = join(dir, '.git', 'guardloop', 'accepted-tree');
  const tree = git('rev-parse', 'HEAD^{tree}');
  // The script takes the checked path (the marker matches, so it removes it and prints nothing).
  writeFileSync(marker, `${tree}\n`);
  const once = spawnSync('sh', [hook], { cwd: dir, env, encoding: 'utf8' });
  if (once.status !== 0 || once.stderr || existsSync(marker)) throw new Error(`the hook did not take the checked path: ${once.stderr}`);
  const json = join(dir, 'out.json');
  const r = spawnSync('hyperfine', ['-N', '-w', '5', '-r', '60', '--export-json', json,
    '--prepare', `sh -c 'echo ${tree} > ${marker}'`, '--prepare', 'true', '--prepare', 'true',
    '-n', 'post-commit hook, checked commit', `sh ${hook}`,
    '-n', 'a hook that does nothing (sh -c :)', "sh -c ':'",
    '-n', 'node -e 0 (what starting Node would add)', 'node -e 0'], { cwd: dir, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr || 'hyperfine failed (is it installed?)');
  const [hookRun, empty, node] = JSON.parse(readFileSync(json, 'utf8')).results.map((x) => x.median * 1000);
  const out = (s) => process.stdout.write(`${s}\n`);
  out('post-commit on a checked commit (medians, hyperfine -N, 60 runs)');
  out(`  the installed post-commit script          ${hookRun.toFixed(2)} ms   (target ≤ 5 ms)  ${hookRun <= 5 ? 'PASS' : 'FAIL'}`);
  out(`  a hook that does nothing (sh -c :)        ${empty.toFixed(2)} ms`);
  out(`  node -e 0, which the script avoids        ${node.toFixed(2)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
