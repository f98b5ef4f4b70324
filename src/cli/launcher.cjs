#!/usr/bin/env node
'use strict';
// The `guardloop` bin. A hook starts Node on every commit and every agent stop, and compiling the
// bundled CLI was most of guardloop's start-up: this loads a bundle through a V8 code cache kept
// per user (in the temp dir, mode 0700), so later starts read compiled code instead of parsing it.
// V8 checks the cache against the source and its own version and rejects a stale one; then the
// cache is simply written again. Set GUARDLOOP_CODE_CACHE=0 to load without it.
// Two bundles (scripts/build.mjs): guardloop-hook.cjs for `run` as a git hook or an agent's hook
// runs it (a third of the bytes), guardloop.cjs for everything else — and for the few modules the
// hook bundle leaves out, which it borrows from the full one through __guardloopFullBundle.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

// The hooks the lean bundle answers (`run` without --hook is the 'run' hook); pre-push and
// post-commit (audit code) go to the full bundle.
// Each bundle's sha256 (24 hex digits) and length in characters, written in by scripts/build.mjs when
// it copies this file to dist/cli.cjs: a start then names its code cache without loading node:crypto
// and hashing the bundle (measured: ~4 ms of a hook's start). A bundle whose length differs from its
// build's (edited in place) is hashed as it is read.
const BUILT = /* BUILT */ {};

const LEAN_HOOKS = new Set(['pre-commit', 'pre-merge-commit', 'stop', 'pre-tool', 'turn-start', 'manual', 'run']);

// The hook as the CLI's parser reads it: the last --hook wins, nothing after `--` is an option.
function hookOf(args) {
  let hook = 'run';
  for (let i = 1; i < args.length; i++) {
    if (args[i] === '--') break;
    if (args[i] === '--hook') hook = args[++i];
    else if (args[i].startsWith('--hook=')) hook = args[i].slice('--hook='.length);
  }
  return hook;
}

// The cache folder, made and checked as this user's alone ($TMPDIR/guardloop-<uid>/code-cache, 0700,
// no symlinks): code read from it runs, so a folder another user made or can write is not used.
function privateDir() {
  // Windows: the temp dir is the user's own.
  if (typeof process.getuid !== 'function') {
    const own = path.join(require('node:os').tmpdir(), 'guardloop-user', 'code-cache');
    fs.mkdirSync(own, { recursive: true });
    return own;
  }
  const uid = process.getuid();
  let dir = require('node:os').tmpdir();
  for (const part of [`guardloop-${uid}`, 'code-cache']) {
    dir = path.join(dir, part);
    // Looked at first, made only when missing: a start then throws (and builds) no EEXIST error.
    let st = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (!st) {
      try {
        fs.mkdirSync(dir, { mode: 0o700 });
      } catch (e) {
        if (e.code !== 'EEXIST') return null;
      }
      st = fs.lstatSync(dir);
    }
    if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) return null;
  }
  return dir;
}

function load(name) {
  const file = path.join(__dirname, name);
  const source = fs.readFileSync(file, 'utf8');
  let cacheFile = null;
  let cachedData;
  if (process.env.GUARDLOOP_CODE_CACHE !== '0') {
    try {
      const dir = privateDir();
      // V8 checks a cache against the source's length only: the name carries a hash of the source,
      // so another build of the same size (a version bump, a fixed mtime) never runs this one's code.
      const built = BUILT[name];
      const hash = built && built.length === source.length ? built.hash : require('node:crypto').createHash('sha256').update(source).digest('hex').slice(0, 24);
      cacheFile = dir && path.join(dir, `${path.basename(name, '.cjs')}-${process.version}-${process.arch}-${hash}.bin`);
      cachedData = cacheFile ? fs.readFileSync(cacheFile) : undefined;
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
    // The bundle has no dynamic import of its own; this keeps one working if a dependency adds it.
    ...(vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ? { importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER } : {}),
  });
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(__dirname);
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    // Written at exit, so the functions this run compiled lazily are in the cache too.
    process.once('exit', () => {
      try {
        const dir = path.dirname(cacheFile);
        const prefix = `${path.basename(name, '.cjs')}-v`;
        // This bundle's caches written over a week ago go; newer ones stay (two projects on two
        // builds, or two Node versions, would otherwise delete each other's on every start).
        const stale = Date.now() - 7 * 24 * 3600 * 1000;
        for (const old of fs.readdirSync(dir)) {
          const at = path.join(dir, old);
          if (old.startsWith(prefix) && old !== path.basename(cacheFile) && fs.statSync(at).mtimeMs < stale) fs.rmSync(at, { force: true });
        }
        const tmp = `${cacheFile}.${process.pid}`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
      } catch {
        // A cache that can't be written only costs time on the next start.
      }
    });
  }
  script.runInThisContext().call(bundle.exports, bundle.exports, (id) => bundle.require(id), bundle, file, __dirname);
  return bundle.exports;
}

let full = null;
globalThis.__guardloopFullBundle = () => (full ??= load('guardloop.cjs'));
const args = process.argv.slice(2);
const lean = args[0] === 'run' && LEAN_HOOKS.has(hookOf(args)) && process.env.GUARDLOOP_FULL_BUNDLE !== '1';
(lean ? load('guardloop-hook.cjs') : globalThis.__guardloopFullBundle()).start(args);
