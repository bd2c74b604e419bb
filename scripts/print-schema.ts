// Prints the Pothos schema, sorted, to schema.graphql; `--check` exits 1 when the file is stale
// (test/generated-files.test.ts runs the check).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from '../src/schema/index.js';

export const schemaFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../schema.graphql');
export const printedSchema = () => `${printSchema(lexicographicSortSchema(schema))}\n`;

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(schemaFile) ? fs.readFileSync(schemaFile, 'utf8') : '';
    if (current !== printedSchema()) {
      console.error('schema.graphql is stale: run `npm run generate`');
      process.exit(1);
    }
    console.log('schema.graphql is current');
  } else {
    fs.writeFileSync(schemaFile, printedSchema());
    console.log(`Wrote ${path.relative(process.cwd(), schemaFile)}`);
  }
}
