import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateConfig } from '@digests/core';
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../src/adapters.js';
import { configSchemaText, SCHEMA_FILE } from '../src/config-json-schema.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const root = resolve(packageDir, '../..');
const schemaPath = join(packageDir, SCHEMA_FILE);

/** Every JSON config the repository's examples ship. */
function exampleConfigs(): string[] {
  const examples = join(root, 'examples');
  return readdirSync(examples, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) =>
      readdirSync(join(examples, entry.name))
        .filter((name) => /^digests.*\.json$/.test(name))
        .map((name) => join(examples, entry.name, name)),
    );
}

describe('the JSON Schema of configs', () => {
  it(`${SCHEMA_FILE} is generated from the current schemas (run: npm run schema -w packages/cli)`, () => {
    // Compared as data: the file may be laid out by the formatter.
    expect(JSON.parse(readFileSync(schemaPath, 'utf8'))).toEqual(JSON.parse(configSchemaText()));
  });

  it('names every adapter the CLI ships and every container', () => {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as {
      oneOf: { properties: { backend: { const: string } } }[];
    };
    const kinds = schema.oneOf.map((variant) => variant.properties.backend.const);
    expect(kinds).toEqual([
      'null',
      'poly',
      'fallback',
      'routing',
      'retrying',
      ...ADAPTERS.map((f) => f.name),
    ]);
  });

  it.each(exampleConfigs())('%s references the schema with $schema and passes it', (path) => {
    const config = JSON.parse(readFileSync(path, 'utf8')) as { $schema?: string };
    expect(config.$schema, 'an example config needs "$schema"').toBeTypeOf('string');
    expect(resolve(dirname(path), config.$schema!)).toBe(schemaPath);
    expect(() => validateConfig(config, ADAPTERS)).not.toThrow();
  });
});
