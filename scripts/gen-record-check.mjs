// Writes src/store/record-check.ts (the record check generated from the zod schema in
// src/store/record-schema.ts, see src/store/check-source.ts). Run it after changing the record
// schema; test/store/record-check.test.ts fails until you do.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';

const bundled = await build({
  stdin: {
    // The schema without the check it is about to get (a stale or missing one is not loaded).
    contents: "export { recordSchema } from './src/store/record-schema.ts'; export { recordCheckModule } from './src/store/check-source.ts';",
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
  plugins: [
    {
      name: 'no-check',
      setup(b) {
        b.onResolve({ filter: /\/record-check\.js$/ }, () => ({ path: 'record-check', namespace: 'stub' }));
        b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export const recordCheck = () => false;', loader: 'js' }));
      },
    },
  ],
});
const module = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);
writeFileSync('src/store/record-check.ts', module.recordCheckModule(module.recordSchema));
console.log('wrote src/store/record-check.ts');
