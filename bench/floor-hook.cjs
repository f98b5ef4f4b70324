'use strict';
// The floor of a Node pre-commit hook that writes a record (bench/commit.mjs, row "a minimal Node hook"):
// the least such a hook can do with native git — the staged tree (`git write-tree`), the guard `true`
// through /bin/sh, the note's parent (`git rev-parse`), all three at once, then one JSON note on the tree
// written by `git fast-import` into refs/notes/bench-floor. No config, no cache lookup, no diff, no lock,
// no checks: what is left of any Node tool's overhead once all of guardloop's own work is taken away.
const { spawn } = require('node:child_process');

const out = (cmd, args) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.on('close', (code) => resolve({ code, text: text.trim() }));
  });

Promise.all([out('git', ['write-tree']), out('/bin/sh', ['-c', 'true']), out('git', ['rev-parse', '-q', '--verify', 'refs/notes/bench-floor'])]).then(([tree, guard, parent]) => {
  const record = JSON.stringify({ tree: tree.text, verdict: guard.code === 0 ? 'ACCEPTED' : 'REJECTED', ts: new Date().toISOString() });
  const fi = spawn('git', ['fast-import', '--quiet', '--date-format=now'], { stdio: ['pipe', 'inherit', 'inherit'] });
  fi.stdin.end(`blob\nmark :1\ndata ${Buffer.byteLength(record)}\n${record}\ncommit refs/notes/bench-floor\ncommitter bench <bench@example.com> now\ndata 0\n${parent.text ? `from ${parent.text}\n` : ''}M 100644 :1 ${tree.text}\n\n`);
  fi.on('close', (code) => process.exit(guard.code || code || tree.code));
});
