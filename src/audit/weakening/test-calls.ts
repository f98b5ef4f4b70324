// What declares a test, per framework: `it(`/`test(` (and their `.each`, `.concurrent` … forms) in
// Jest/Vitest/Mocha/Jasmine, `def test_…` in pytest, `func Test…(` in Go, `@Test` in JUnit, `#[test]` in Rust.
const TEST_CALL = /(?<![\w.$])(?:it|test|specify)(?:\.\w+)*\s*(?:\(|`)|\bdef\s+test\w*\s*\(|\bfunc\s+(?:Test|Benchmark|Fuzz|Example)\w*\s*\(|@(?:Test|ParameterizedTest|RepeatedTest)\b|#\[(?:tokio::)?test\]/g;

// How many tests a piece of source declares.
export function countTestCalls(text: string): number {
  return text.match(TEST_CALL)?.length ?? 0;
}

// What names a test where it is declared: the first string of it/test/describe (…), a pytest or Go test function's name.
const TITLE =
  /(?<![\w.$])(?:it|test|specify|describe|context|suite)(?:\.\w+)*\s*\(\s*('(?:\\.|[^'\\])+'|"(?:\\.|[^"\\])+"|`(?:\\.|[^`\\])+`)|\bdef\s+(test\w*)\s*\(|\bfunc\s+((?:Test|Benchmark|Fuzz|Example)\w*)\s*\(/g;

// The titles of the tests a piece of source declares, as written: a string with its quotes, a function's bare name.
export function testTitles(text: string): string[] {
  return [...text.matchAll(TITLE)].map((m) => m[1] ?? m[2] ?? m[3]);
}

// Does a piece of source name this title (a string as written, a function name as a whole word)?
export function namesTitle(text: string, title: string): boolean {
  return /^\w+$/.test(title) ? new RegExp(`\\b${title}\\b`).test(text) : text.includes(title);
}
