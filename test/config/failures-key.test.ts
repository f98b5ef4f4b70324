import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { removeTempTrees, tempTree, yamlLines } from './temp-tree.js';

afterAll(removeTempTrees);

const INV = 'In this codebase, broken builds must never be committed, because it causes red CI for everyone.';

describe('failures: and retries:', () => {
  it('a bad pattern is reported at its line with the fix; a good one and retries load', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines(
        'guards:', //                          1
        '  - id: a', //                        2
        `    invariant: ${INV}`, //            3
        '    run: npm test', //                4
        "    failures: '^FAIL (\\S+'", //      5
        '  - id: b', //                        6
        `    invariant: ${INV}`, //            7
        '    run: npm test', //                8
        "    failures: '(\\w+\\s?)*x'", //     9
        '  - id: c', //                        10
        `    invariant: ${INV}`, //            11
        '    run: npm test', //                12
        "    failures: '^.*$'", //             13
        '  - id: d', //                        14
        `    invariant: ${INV}`, //            15
        '    run: npm test', //                16
        "    failures: '^FAILED (\\S+)'", //   17
        '    retries: 11', //                  18
      ),
    });
    const { errors } = await loadConfig({ root });
    const where = errors.map((e) => `${e.line} ${e.path}`);
    expect(where).toEqual(['5 guards.0.failures', '9 guards.1.failures', '13 guards.2.failures', '18 guards.3.retries']);
    expect(errors[0].message).toMatch(/not a valid JavaScript regular expression .*single-quote the pattern/);
    expect(errors[1].message).toMatch(/repeats a group that itself repeats/);
    expect(errors[2].message).toMatch(/matches the empty string/);
  });

  it('loads both keys into the guard', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines('guards:', '  - id: d', `    invariant: ${INV}`, '    run: npm test', "    failures: '^FAILED (\\S+)'", '    retries: 2'),
    });
    const { config, errors } = await loadConfig({ root });
    expect(errors).toEqual([]);
    expect(config!.guards[0]).toMatchObject({ failures: '^FAILED (\\S+)', retries: 2 });
  });
});
