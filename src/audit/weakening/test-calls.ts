// What declares a test, per framework: `it(`/`test(` (and their `.each`, `.concurrent` … forms) in
// Jest/Vitest/Mocha/Jasmine, `def test_…` in pytest, `func Test…(` in Go, `@Test` in JUnit, `#[test]` in Rust.
const TEST_CALL = /(?<![\w.$])(?:it|test|specify)(?:\.\w+)*\s*(?:\(|`)|\bdef\s+test\w*\s*\(|\bfunc\s+(?:Test|Benchmark|Fuzz|Example)\w*\s*\(|@(?:Test|ParameterizedTest|RepeatedTest)\b|#\[(?:tokio::)?test\]/g;

// How many tests a piece of source declares.
export function countTestCalls(text: string): number {
  return text.match(TEST_CALL)?.length ?? 0;
}
