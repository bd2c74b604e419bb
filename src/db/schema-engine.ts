import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

// Prisma's schema engine compiled to WASM, driven through our driver adapter: no native
// engine is downloaded or needed. Node 20 cannot import .wasm as ESM, so we instantiate it.

type EngineModule = typeof import('@prisma/schema-engine-wasm');
export type SchemaEngine = Awaited<ReturnType<EngineModule['SchemaEngine']['new']>>;

const require = createRequire(import.meta.url);
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const schemaPath = path.join(projectRoot, 'prisma/schema.prisma');
export const migrationsDir = path.join(projectRoot, 'prisma/migrations');

let enginePromise: Promise<EngineModule> | undefined;

function loadEngineModule(): Promise<EngineModule> {
  enginePromise ??= (async () => {
    const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const bindings = (await import(path.join(dir, 'schema_engine_bg.js'))) as EngineModule &
      Record<string, unknown> & { __wbg_set_wasm(x: unknown): void };
    const bytes = fs.readFileSync(path.join(dir, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bindings as never });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
    return bindings;
  })();
  return enginePromise;
}

function datamodel(): [string, string][] {
  return [[schemaPath, fs.readFileSync(schemaPath, 'utf8')]];
}

export async function openSchemaEngine(adapter: SqlMigrationAwareDriverAdapterFactory): Promise<SchemaEngine> {
  const mod = await loadEngineModule();
  const log = () => {};
  return mod.SchemaEngine.new({ datamodels: datamodel() }, log, bindMigrationAwareSqlAdapterFactory(adapter));
}

/** The migrations in prisma/migrations (their directory names), in the order they apply. */
export function migrationNames(): string[] {
  return fs.existsSync(migrationsDir)
    ? fs
        .readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
}

export function readMigrationsList() {
  const dirs = migrationNames();
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => {
      const file = path.join(migrationsDir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: fs.existsSync(file)
            ? ({ tag: 'ok', value: fs.readFileSync(file, 'utf8') } as const)
            : ({ tag: 'error', value: 'migration.sql is missing' } as const),
        },
      };
    }),
  };
}

const noFilter = { externalTables: [], externalEnums: [] };

/** Applies every pending migration and records it in `_prisma_migrations`. */
export async function applyMigrations(adapter: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const engine = await openSchemaEngine(adapter);
  try {
    const out = await engine.applyMigrations({ migrationsList: readMigrationsList(), filters: noFilter });
    return out.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/** SQL that takes the committed migrations to the current datamodel ('' when none is needed). */
export async function diffMigrationsToSchema(adapter: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const engine = await openSchemaEngine(adapter);
  try {
    const list = readMigrationsList();
    const from =
      list.migrationDirectories.length === 0 ? ({ tag: 'empty' } as const) : ({ tag: 'migrations', ...list } as const);
    const result = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: fs.readFileSync(schemaPath, 'utf8') }] },
      script: true,
      exitCode: null,
      filters: noFilter,
    });
    const script = result.stdout ?? '';
    return script.includes('-- This is an empty migration.') ? '' : script;
  } finally {
    engine.free();
  }
}
