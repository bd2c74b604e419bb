// Child-process entry of runMigrations (migrate.ts): applies pending migrations to
// DATABASE_URL and prints the applied names as one JSON line.
import { migrateInThisProcess } from './migrate.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set');
  process.exit(2);
}
const applied = await migrateInThisProcess(url);
process.stdout.write(`${JSON.stringify({ applied })}\n`);
