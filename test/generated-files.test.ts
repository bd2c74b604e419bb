import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import codegenConfig from '../codegen.js';
import { openDatabase } from '../src/db/client.js';
import { diffMigrationsToSchema } from '../src/db/schema-engine.js';
import { databaseKind } from './support/database.js';

const root = path.resolve(import.meta.dirname, '..');

// Pure file checks: run them once, in the PGlite project.
describe.runIf(databaseKind() === 'pglite')('generated files are current', () => {
  it('schema.graphql is the printed Pothos schema (run `npm run generate`)', () => {
    // A subprocess: vitest would load a second copy of graphql beside the one Pothos uses.
    const check = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/print-schema.ts', '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('test/generated and client/generated match GraphQL Code Generator output (run `npm run generate`)', async () => {
    const outputs: Array<{ filename: string; content: string }> = await generate(
      { ...codegenConfig, cwd: root, silent: true },
      false,
    );
    expect(outputs.length).toBeGreaterThan(0);
    for (const out of outputs) {
      const file = path.resolve(root, out.filename);
      expect(fs.existsSync(file), `${out.filename} is missing`).toBe(true);
      expect(fs.readFileSync(file, 'utf8'), `${out.filename} is stale`).toBe(out.content);
    }
    // every target, and nothing in a target's folder that codegen no longer writes
    const targets = Object.keys(codegenConfig.generates);
    expect(targets).toEqual(expect.arrayContaining(['test/generated/', 'client/generated/']));
    for (const target of targets) {
      const written = outputs.filter((o) => o.filename.startsWith(target)).map((o) => path.basename(o.filename));
      expect(fs.readdirSync(path.resolve(root, target)).sort(), `${target} holds only generated files`).toEqual(
        written.sort(),
      );
    }
  });

  it('prisma/migrations reach prisma/schema.prisma (run `npm run db:migration -- --name <change>`)', async () => {
    const db = await openDatabase('memory://');
    try {
      expect(await diffMigrationsToSchema(db.adapter)).toBe('');
    } finally {
      await db.close();
    }
  });
});
