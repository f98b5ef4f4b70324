// Writes schema.json (the JSON Schema of .loop/config.yaml) from the zod schema in src/config/schema.ts.
// Run with `npm run schema` after changing the schema; test/config/json-schema.test.ts fails until you do.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';

const bundled = await build({
  entryPoints: ['src/config/json-schema.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const module = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);
writeFileSync('schema.json', module.jsonSchemaText());
console.log('wrote schema.json');
