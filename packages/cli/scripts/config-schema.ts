/**
 * Writes `digests.schema.json` (the JSON Schema editors use for config
 * files) from the config schemas: `npm run schema -w packages/cli`.
 */
import { writeFile } from 'node:fs/promises';
import { configSchemaText, SCHEMA_FILE } from '../src/config-json-schema.js';

const target = new URL(`../${SCHEMA_FILE}`, import.meta.url);
await writeFile(target, configSchemaText());
console.log(`wrote ${SCHEMA_FILE}`);
