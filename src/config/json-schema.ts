import * as z from 'zod';
import { configFileSchema, guardSchema } from './schema.js';

// Where the published schema lives; editors fetch it by this id when a config names it in `$schema`.
export const SCHEMA_ID = 'https://unpkg.com/guardloop/schema.json';

// The JSON Schema of `.loop/config.yaml`, generated from the same zod schema loadConfig validates with
// (input side: keys with defaults are optional). A guard item requires only `id` here: a guard that
// overrides one from `extends` names just the keys it changes; loadConfig checks the merged guard. Shipped as schema.json for editor completion:
// put `# yaml-language-server: $schema=../node_modules/guardloop/schema.json` as the config's first line.
export function buildJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configFileSchema, {
    io: 'input',
    target: 'draft-07',
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema !== guardSchema) return;
      jsonSchema.required = ['id'];
      jsonSchema.description = 'A guard: id, run and invariant (run and invariant may come from a guard with the same id in an extended file).';
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: SCHEMA_ID,
    title: 'guardloop config (.loop/config.yaml)',
    description: 'Declared guards that commits and AI coding agents cannot skip.',
    ...rest,
  };
}

// The exact text of schema.json (the sync test compares the committed file with this).
export function jsonSchemaText(): string {
  return `${JSON.stringify(buildJsonSchema(), null, 2)}\n`;
}
