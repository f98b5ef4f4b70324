#!/usr/bin/env bash
# Captures the real outputs of tsc, eslint, vitest, jest, node's test runner and pytest that
# test/engine/failures*.test.ts reads (test/engine/fixtures/failures/<tool>/run1.txt, run2.txt).
# Each tool checks a small project with real failures twice: run 1, then run 2 with one failure fixed,
# one new failure, unrelated lines inserted above the failures that stay (their positions move) and a
# slower passing test (its durations change). Both runs use the variables every guard gets
# (src/engine/environment.ts) and merge stdout and stderr as a guard's output is recorded.
# Run 1 checks /tmp/guardloop-failures-run1/<tool>, run 2 /tmp/guardloop-failures-run2/<tool>, as a guard
# runs once in the work tree and once in a temporary checkout.
# The tools are installed on first use into ~/.cache/guardloop-failure-tools (or $GUARDLOOP_FAILURE_TOOLS).
# Usage: bash scripts/capture-failure-fixtures.sh   (from the repository root; needs the npm registry)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/test/engine/fixtures/failures"
TOOLS=${GUARDLOOP_FAILURE_TOOLS:-$HOME/.cache/guardloop-failure-tools}
BIN="$TOOLS/node_modules/.bin"

if [ ! -x "$BIN/tsc" ] || [ ! -x "$BIN/eslint" ] || [ ! -x "$BIN/vitest" ] || [ ! -x "$BIN/jest" ]; then
  mkdir -p "$TOOLS"
  [ -f "$TOOLS/package.json" ] || echo '{"name":"failure-tools","private":true}' > "$TOOLS/package.json"
  npm install --prefix "$TOOLS" --no-audit --no-fund typescript@5.9 eslint@9 vitest@4 jest@30
fi
if [ ! -x "$TOOLS/venv/bin/pytest" ]; then
  python3 -m venv "$TOOLS/venv"
  "$TOOLS/venv/bin/python" -m pip install -q pytest
fi

# write FILE: writes stdin to FILE in the current project, creating its directory.
write() { mkdir -p "$(dirname "$1")"; cat > "$1"; }

# project TOOL RUN: a fresh project directory for one run, entered; node_modules points at the tools.
project() {
  local dir="/tmp/guardloop-failures-$2/$1"
  rm -rf "$dir"; mkdir -p "$dir"; cd "$dir"
  ln -s "$TOOLS/node_modules" node_modules
}

# capture TOOL RUN CMD...: runs CMD with the guard environment; its merged output is the fixture.
capture() {
  local tool=$1 run=$2; shift 2
  mkdir -p "$OUT/$tool"
  env -i PATH="$BIN:$TOOLS/venv/bin:/usr/local/bin:/usr/bin:/bin" HOME="$HOME" \
    TZ=UTC LC_ALL=C LANG=C NO_COLOR=1 FORCE_COLOR=0 CLICOLOR=0 TERM=dumb CI=1 \
    "$@" > "$OUT/$tool/$run.txt" 2>&1 || true
  echo "$tool/$run.txt: $(wc -l < "$OUT/$tool/$run.txt") lines"
}

# --- tsc -------------------------------------------------------------------------------------------
tsc_project() {
  project tsc "$1"
  write tsconfig.json <<'J'
{ "compilerOptions": { "strict": true, "noEmit": true, "target": "es2022", "module": "nodenext" }, "include": ["src"] }
J
  write package.json <<< '{"name":"tsc-fixture","private":true,"type":"module"}'
}
tsc_project run1
write src/math.ts <<'T'
export function add(a: number, b: number): number {
  return a + b;
}
export const total: number = add(1, '2');
export const double: (x: number) => string = (x: string) => x + x;
T
write src/names.ts <<'T'
export const name: string = 42;
export function greet(who: string): string {
  return 'hi ' + who.toUpperCas();
}
T
capture tsc run1 tsc -p .
tsc_project run2
write src/math.ts <<'T'
// Sums, now documented.
// Two more lines move every error below them.
export function add(a: number, b: number): number {
  return a + b;
}

export const total: number = add(1, '2');
export const double: (x: number) => string = (x: string) => x + x;
T
write src/names.ts <<'T'
export const name: string = 'forty-two';
export function greet(who: string): string {
  return 'hi ' + who.toUpperCas();
}
T
write src/extra.ts <<'T'
import { subtract } from './math.js';
export const five = subtract(7, 2);
T
capture tsc run2 tsc -p .

# --- eslint ----------------------------------------------------------------------------------------
eslint_project() {
  project eslint "$1"
  write eslint.config.mjs <<'J'
export default [
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'module', globals: { console: 'readonly' } },
    rules: { 'no-unused-vars': 'error', 'no-console': 'warn', eqeqeq: 'error', 'prefer-const': 'error' },
  },
];
J
  write package.json <<< '{"name":"eslint-fixture","private":true,"type":"module"}'
}
eslint_project run1
write src/a.js <<'T'
const unused = 1;
export function same(a, b) {
  return a == b;
}
T
write src/b.js <<'T'
export function log(x) {
  let y = x * 2;
  console.log(y);
  return y;
}
T
capture eslint run1 eslint src
eslint_project run2
write src/a.js <<'T'
// Comparisons.
// (two lines added above)
export function same(a, b) {
  return a == b;
}
T
write src/b.js <<'T'
export function log(x) {
  let y = x * 2;
  console.log(y);
  return y;
}
export function noop(z) {}
T
capture eslint run2 eslint src

# --- vitest ----------------------------------------------------------------------------------------
vitest_project() {
  project vitest "$1"
  write package.json <<< '{"name":"vitest-fixture","private":true,"type":"module"}'
}
vitest_project run1
write test/math.test.js <<'T'
import { describe, expect, it } from 'vitest';
describe('math', () => {
  it('adds', () => expect(1 + 1).toBe(3));
  it('subtracts', () => expect(2 - 1).toBe(1));
  describe('division', () => {
    it('divides by zero', () => expect(1 / 0).toBe(0));
  });
});
T
write test/text.test.js <<'T'
import { expect, test } from 'vitest';
test('upper case', () => expect('a'.toUpperCase()).toBe('a'));
test('trim', () => expect(' a '.trim()).toBe('a'));
T
capture vitest run1 vitest run
# The same failures in colour (a guard that forces it), for the ANSI handling.
capture vitest-color run1 env -u NO_COLOR FORCE_COLOR=1 vitest run
vitest_project run2
write test/math.test.js <<'T'
import { describe, expect, it } from 'vitest';
// A slower passing test and two more lines above the failures.
describe('math', () => {
  it('waits', () => { const end = Date.now() + 60; while (Date.now() < end); });
  it('adds', () => expect(1 + 1).toBe(3));
  it('subtracts', () => expect(2 - 1).toBe(1));
  describe('division', () => {
    it('divides by zero', () => expect(1 / 0).toBe(0));
  });
});
T
write test/text.test.js <<'T'
import { expect, test } from 'vitest';
test('upper case', () => expect('a'.toUpperCase()).toBe('A'));
test('trim', () => expect(' a '.trim()).toBe('a'));
test('repeat', () => expect('ab'.repeat(2)).toBe('abab '));
T
capture vitest run2 vitest run
capture vitest-color run2 env -u NO_COLOR FORCE_COLOR=1 vitest run

# --- jest ------------------------------------------------------------------------------------------
jest_project() {
  project jest "$1"
  write package.json <<< '{"name":"jest-fixture","private":true,"jest":{"testEnvironment":"node"}}'
}
jest_project run1
write test/math.test.js <<'T'
describe('math', () => {
  test('adds', () => expect(1 + 1).toBe(3));
  test('subtracts', () => expect(2 - 1).toBe(1));
  describe('division', () => {
    test('divides by zero', () => expect(1 / 0).toBe(0));
  });
});
T
write test/text.test.js <<'T'
test('upper case', () => expect('a'.toUpperCase()).toBe('a'));
test('trim', () => expect(' a '.trim()).toBe('a'));
T
capture jest run1 jest --ci
jest_project run2
write test/math.test.js <<'T'
// A slower passing test and two more lines above the failures.
describe('math', () => {
  test('waits', () => { const end = Date.now() + 60; while (Date.now() < end); });
  test('adds', () => expect(1 + 1).toBe(3));
  test('subtracts', () => expect(2 - 1).toBe(1));
  describe('division', () => {
    test('divides by zero', () => expect(1 / 0).toBe(0));
  });
});
T
write test/text.test.js <<'T'
test('upper case', () => expect('a'.toUpperCase()).toBe('A'));
test('trim', () => expect(' a '.trim()).toBe('a'));
test('repeat', () => expect('ab'.repeat(2)).toBe('abab '));
T
capture jest run2 jest --ci

# --- node --test -----------------------------------------------------------------------------------
node_project() {
  project node-test "$1"
  write package.json <<< '{"name":"node-test-fixture","private":true,"type":"module"}'
}
node_project run1
write test/math.test.mjs <<'T'
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
describe('math', () => {
  it('adds', () => assert.equal(1 + 1, 3));
  it('subtracts', () => assert.equal(2 - 1, 1));
  describe('division', () => {
    it('divides by zero', () => assert.equal(1 / 0, 0));
  });
});
T
write test/text.test.mjs <<'T'
import assert from 'node:assert/strict';
import test from 'node:test';
test('upper case', () => assert.equal('a'.toUpperCase(), 'a'));
test('trim', () => assert.equal(' a '.trim(), 'a'));
T
capture node-test run1 node --test test/
capture node-test-spec run1 node --test --test-reporter=spec test/
node_project run2
write test/math.test.mjs <<'T'
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
// A slower passing test and two more lines above the failures.
describe('math', () => {
  it('waits', () => { const end = Date.now() + 60; while (Date.now() < end); });
  it('adds', () => assert.equal(1 + 1, 3));
  it('subtracts', () => assert.equal(2 - 1, 1));
  describe('division', () => {
    it('divides by zero', () => assert.equal(1 / 0, 0));
  });
});
T
write test/text.test.mjs <<'T'
import assert from 'node:assert/strict';
import test from 'node:test';
test('upper case', () => assert.equal('a'.toUpperCase(), 'A'));
test('trim', () => assert.equal(' a '.trim(), 'a'));
test('repeat', () => assert.equal('ab'.repeat(2), 'abab '));
T
capture node-test run2 node --test test/
capture node-test-spec run2 node --test --test-reporter=spec test/

# --- pytest ----------------------------------------------------------------------------------------
pytest_project() {
  project pytest "$1"
  rm node_modules
}
pytest_project run1
write tests/test_math.py <<'T'
import pytest

def test_adds():
    assert 1 + 1 == 3

def test_subtracts():
    assert 2 - 1 == 1

class TestDivision:
    def test_by_zero(self):
        assert 1 / 0 == 0

@pytest.mark.parametrize("a,b", [(1, 2), (2, 4)])
def test_double(a, b):
    assert a * 2 == b + (a == 2)
T
write tests/test_text.py <<'T'
def test_upper():
    assert "a".upper() == "a"

def test_strip():
    assert " a ".strip() == "a"
T
capture pytest run1 python -m pytest -p no:cacheprovider tests
pytest_project run2
write tests/test_math.py <<'T'
import time
import pytest

# A slower passing test and more lines above the failures.
def test_waits():
    time.sleep(0.06)

def test_adds():
    assert 1 + 1 == 3

def test_subtracts():
    assert 2 - 1 == 1

class TestDivision:
    def test_by_zero(self):
        assert 1 / 0 == 0

@pytest.mark.parametrize("a,b", [(1, 2), (2, 4)])
def test_double(a, b):
    assert a * 2 == b + (a == 2)
T
write tests/test_text.py <<'T'
def test_upper():
    assert "a".upper() == "A"

def test_strip():
    assert " a ".strip() == "a"

def test_repeat():
    assert "ab" * 2 == "abab "
T
capture pytest run2 python -m pytest -p no:cacheprovider tests

# --- edge cases: one run each, <tool>-edge/run1.txt ------------------------------------------------
# tsc: an error in tsconfig.json (an unknown compiler option), one without a file (a missing project),
# and --pretty's `file:line:col - error` form.
project tsc-edge run1
write tsconfig.json <<< '{ "compilerOptions": { "strict": true, "noEmit": true, "notAnOption": true }, "include": ["src"] }'
write src/a.ts <<< 'export const n: number = "x";'
capture tsc-edge run1 tsc -p .
capture tsc-pretty run1 tsc -p . --pretty
capture tsc-nofile run1 tsc -p missing.json
# eslint: a file that doesn't parse (no rule column) next to an ordinary problem.
project eslint-edge run1
write eslint.config.mjs <<< "export default [{ files: ['**/*.js'], rules: { eqeqeq: 'error' } }];"
write package.json <<< '{"name":"eslint-edge","private":true,"type":"module"}'
write src/broken.js <<< 'export const = 1;'
write src/ok.js <<< 'export const same = (a, b) => a == b;'
capture eslint-edge run1 eslint src
# vitest: an error thrown outside any test (unhandled), and a test file that doesn't load.
project vitest-edge run1
write package.json <<< '{"name":"vitest-edge","private":true,"type":"module"}'
write test/unhandled.test.js <<'T'
import { expect, test } from 'vitest';
test('schedules', () => { setTimeout(() => { throw new Error('late boom'); }, 0); expect(1).toBe(1); });
test('waits', () => new Promise((r) => setTimeout(r, 50)));
T
write test/broken.test.js <<'T'
import { missing } from './nowhere.js';
T
capture vitest-edge run1 vitest run
# jest: a test file that doesn't run (a syntax error), next to an ordinary failure.
project jest-edge run1
write package.json <<< '{"name":"jest-edge","private":true,"jest":{"testEnvironment":"node"}}'
write test/broken.test.js <<< 'test("x", () => { expect(1).toBe(1) ;'
write test/ok.test.js <<< "describe('s', () => { test('fails', () => expect(1).toBe(2)); });"
capture jest-edge run1 jest --ci
# node --test: a failing TODO test and a skipped one (neither is a failure), next to an ordinary failure.
project node-test-edge run1
write package.json <<< '{"name":"node-test-edge","private":true,"type":"module"}'
write test/a.test.mjs <<'T'
import assert from 'node:assert/strict';
import test from 'node:test';
test('not yet', { todo: true }, () => assert.equal(1, 2));
test('later', { skip: true }, () => assert.equal(1, 2));
test('fails', () => assert.equal(1, 2));
T
capture node-test-edge run1 node --test test/
capture node-test-edge-spec run1 node --test --test-reporter=spec test/
# pytest: a test file that doesn't import (a collection ERROR) and a fixture error, next to a failure.
pytest_project run1; mv /tmp/guardloop-failures-run1/pytest /tmp/guardloop-failures-run1/pytest-edge; cd /tmp/guardloop-failures-run1/pytest-edge
write tests/test_broken.py <<< 'import not_a_module'
write tests/test_a.py <<'T'
import pytest

@pytest.fixture
def db():
    raise RuntimeError("no database")

def test_uses_db(db):
    pass

def test_fails():
    assert 1 == 2
T
capture pytest-edge run1 python -m pytest -p no:cacheprovider --continue-on-collection-errors tests

rm -rf /tmp/guardloop-failures-run1 /tmp/guardloop-failures-run2
