import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigCached } from '../../src/config/load-cached.js';
import { loadConfig } from '../../src/config/load.js';
import { PACKAGE_DIR, removeTempTrees, tempTree, yamlLines } from './temp-tree.js';

afterAll(removeTempTrees);

const INV = 'In this codebase, broken builds must never be committed, because it causes red CI for everyone.';

describe('loadConfigCached', () => {
  it('returns the same result as loadConfig, from the cache while no config file changed', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines('extends: [./base.yaml, guardloop/typescript]', 'guards:', '  - id: own', '    run: "true {files}"', `    invariant: ${INV}`),
      '.loop/base.yaml': yamlLines('guards:', '  - id: base', '    run: "true"', `    invariant: ${INV}`),
    });
    const cacheFile = path.join(root, '.git/guardloop/config-cache.json');
    const opts = { root, packageDir: PACKAGE_DIR, cacheFile };
    const fresh = await loadConfig({ root, packageDir: PACKAGE_DIR });
    const first = await loadConfigCached(opts);
    expect(first).toEqual({ ...fresh, cached: false });
    const second = await loadConfigCached(opts);
    expect(second).toEqual({ ...fresh, cached: true });
    expect(second.warnings).toHaveLength(1);

    await writeFile(path.join(root, '.loop/base.yaml'), yamlLines('guards:', '  - id: base', '    run: "false"', `    invariant: ${INV}`));
    const afterEdit = await loadConfigCached(opts);
    expect(afterEdit.cached).toBe(false);
    expect(afterEdit.config!.guards.find((g) => g.id === 'base')!.run).toBe('false');
    expect((await loadConfigCached(opts)).cached).toBe(true);
  });

  it('never caches an invalid config, and a corrupt cache file is only a miss', async () => {
    const root = await tempTree({ '.loop/config.yaml': yamlLines('guards:', '  - id: a', '    run: "true"') });
    const cacheFile = path.join(root, 'cache.json');
    const first = await loadConfigCached({ root, cacheFile });
    expect(first.config).toBeNull();
    expect(first.errors.map((e) => e.message)).toEqual(['missing required key "invariant"']);
    await expect(readFile(cacheFile)).rejects.toThrow();
    await writeFile(cacheFile, '{not json');
    const again = await loadConfigCached({ root, cacheFile });
    expect(again.cached).toBe(false);
    expect(again.errors).toHaveLength(1);
  });

  it('misses when the options differ', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines('guards:', '  - id: a', '    run: "true"', `    invariant: ${INV}`),
      'other.yaml': yamlLines('guards: []'),
    });
    const cacheFile = path.join(root, 'cache.json');
    expect((await loadConfigCached({ root, cacheFile })).cached).toBe(false);
    const other = await loadConfigCached({ root, cacheFile, file: 'other.yaml' });
    expect(other.cached).toBe(false);
    expect(other.config!.guards).toEqual([]);
  });
});
