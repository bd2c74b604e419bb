// npm run db:migrate                      apply pending migrations to DATABASE_URL
// npm run db:migration -- --name <name>   write prisma/migrations/<timestamp>_<name>/migration.sql
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/index.js';
import { openDatabase } from '../src/db/client.js';
import { DataDirectoryInUseError } from '../src/db/directory-lock.js';
import { applyMigrations, diffMigrationsToSchema, migrationsDir } from '../src/db/schema-engine.js';

const [command, ...rest] = process.argv.slice(2);
const config = loadConfig();

if (command === 'migrate') {
  const db = await openDatabase(config.DATABASE_URL, { holder: 'npm run db:migrate' }).catch((err) => {
    if (!(err instanceof DataDirectoryInUseError)) throw err;
    console.error(`error: ${err.message}; stop it first (the gateway applies pending migrations when it starts)`);
    process.exit(1);
  });
  const applied = await applyMigrations(db.adapter);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'No pending migrations.');
  await db.close();
} else if (command === 'migration') {
  const { values } = parseArgs({ args: rest, options: { name: { type: 'string' } } });
  if (!values.name || !/^[a-z0-9_]+$/.test(values.name)) {
    console.error('usage: npm run db:migration -- --name <lower_snake_name>');
    process.exit(2);
  }
  // The diff runs against an empty in-memory database, never against your data.
  const db = await openDatabase('memory://');
  const sql = await diffMigrationsToSchema(db.adapter);
  await db.close();
  if (!sql.trim()) {
    console.log('The schema matches the migrations; nothing to write.');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${values.name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
    const lock = path.join(migrationsDir, 'migration_lock.toml');
    if (!fs.existsSync(lock)) fs.writeFileSync(lock, 'provider = "postgresql"\n');
    console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
} else {
  console.error('usage: tsx scripts/db.ts migrate | migration --name <name>');
  process.exit(2);
}
