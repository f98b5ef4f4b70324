import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withGitRepo } from '../helpers/git-repo.js';
import { call, checkCandidate, commitBase, findingPlaces } from './helpers.js';

describe('git attributes cannot hide a file from the checks', () => {
  it('`*.ts -diff`, `binary` and a textconv driver still let the checks read text files; a file with NUL bytes stays skipped as binary', () =>
    withGitRepo(async (repo) => {
      repo.git('config', 'diff.upper.textconv', 'tr a-z A-Z');
      commitBase(repo, {
        '.gitattributes': '*.ts -diff\n*.py binary\n*.go diff=upper\n',
        'test/a.test.ts': 'it("a", () => {});\n',
        'tests/test_a.py': 'def test_a():\n    assert True\n',
        'pkg/a_test.go': 'package pkg\n',
      });
      writeFileSync(join(repo.dir, 'test', 'blob.test.ts'), Buffer.concat([Buffer.from(`${call('it', 'only')}"x")\n`), Buffer.from([0, 1, 2, 0, 255, 10])]));
      const out = await checkCandidate(repo, 'no-focused-or-skipped-tests', {
        'test/a.test.ts': `${call('it', 'skip')}"a", () => {});\n`,
        'tests/test_a.py': '@pytest.mark.skip\ndef test_a():\n    assert True\n',
        'pkg/a_test.go': 'package pkg\n\nimport "testing"\n\nfunc TestA(t *testing.T) {\n\tt.Skip("later")\n}\n',
      });
      expect(findingPlaces(out)).toEqual(['pkg/a_test.go:6', 'test/a.test.ts:1', 'tests/test_a.py:1']);
      expect(out.stdout).toContain('pkg/a_test.go:6: adds "t.Skip("');
      expect(out.code, out.stderr).toBe(1);
      const suppressed = await checkCandidate(repo, 'no-suppression-comments', { 'src/b.ts': '// @ts-ignore\nexport const b: number = "1";\n' });
      expect(findingPlaces(suppressed)).toEqual(['src/b.ts:1']);
      expect(suppressed.code).toBe(1);
    }));
});
