// npm run apikey -- create --workspace <wks_id> --scopes a,b [--name <name>]
// npm run apikey -- list [--workspace <wks_id>]
// npm run apikey -- revoke --id <key_id>
import { parseArgs } from 'node:util';
import { type Principal, SCOPES } from '../src/auth/scopes.js';
import { ConfigError, loadConfig } from '../src/config/index.js';
import { type Database, openDatabase } from '../src/db/client.js';
import { DataDirectoryInUseError } from '../src/db/directory-lock.js';
import { applyMigrations } from '../src/db/schema-engine.js';
import { DomainError, NotFoundError } from '../src/services/errors.js';
import { createApiKey, revokeApiKey } from '../src/services/workspaces.js';

const USAGE = `usage:
  npm run apikey -- create --workspace <workspace id> --scopes <scope,scope,...> [--name <name>]
  npm run apikey -- list [--workspace <workspace id>]   (without --workspace: the workspaces)
  npm run apikey -- revoke --id <key id>

Scopes: ${SCOPES.join(', ')}.
Works on DATABASE_URL (default ./.data/pglite). A PGlite directory is opened by one process at a
time, so while a server has it this refuses: stop the server first, or create keys with the
createApiKey mutation instead. With DATABASE_URL=postgres://... it works beside running servers.`;

/** Bad input: one line on stderr, non-zero exit. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

// Whoever runs this has the database itself, so it acts with platform rights in any workspace.
const operator: Principal = { keyId: 'cli', workspaceId: '', scopes: new Set(['platform']) };

function options(args: string[], known: Record<string, { type: 'string' }>) {
  try {
    return parseArgs({ args, options: known, strict: true, allowPositionals: false }).values as Record<
      string,
      string | undefined
    >;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function required(values: Record<string, string | undefined>, name: string): string {
  const value = values[name]?.trim();
  if (!value) throw new UsageError(`missing --${name}`);
  return value;
}

// Each command checks its arguments first and returns the work to do, so bad input never opens the database.
type Command = (args: string[]) => (db: Database) => Promise<void>;

const create: Command = (args) => {
  const values = options(args, { workspace: { type: 'string' }, scopes: { type: 'string' }, name: { type: 'string' } });
  const workspaceId = required(values, 'workspace');
  const scopes = required(values, 'scopes')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (scopes.length === 0) throw new UsageError('--scopes needs at least one scope');
  const name = values.name?.trim() || 'cli';
  return async (db) => {
    const created = await createApiKey(db.prisma, null, { workspaceId, scopes, name });
    if (created instanceof NotFoundError) throw new UsageError(`workspace ${workspaceId} not found`, 1);
    if (created instanceof DomainError) throw new UsageError(created.message, 1);
    const { apiKey, key } = created;
    // The key alone on stdout, so `KEY=$(npm run -s apikey -- create ...)` captures it.
    console.error(
      `Created ${apiKey.id} "${apiKey.name}" in ${apiKey.workspaceId} with scopes ${apiKey.scopes.join(', ')}.`,
    );
    console.error('The key is shown once and stored only as a hash; keep it now:');
    console.log(key);
  };
};

const list: Command = (args) => {
  const workspaceId = options(args, { workspace: { type: 'string' } }).workspace?.trim();
  // Without --workspace: the workspaces, so an operator can find the id to pass.
  if (!workspaceId) {
    return async (db) => {
      const workspaces = await db.prisma.workspace.findMany({
        orderBy: { createdAt: 'asc' },
        include: { _count: { select: { apiKeys: true } } },
      });
      if (workspaces.length === 0)
        console.error('No workspaces yet: the server creates the default one at its first start.');
      for (const w of workspaces)
        console.log(`${w.id}  "${w.name}"  ${w._count.apiKeys} key(s)  created ${w.createdAt.toISOString()}`);
    };
  }
  return async (db) => {
    const workspace = await db.prisma.workspace.findUnique({
      where: { id: workspaceId },
      include: { apiKeys: { orderBy: { createdAt: 'asc' } } },
    });
    if (!workspace) throw new UsageError(`workspace ${workspaceId} not found`, 1);
    console.log(`${workspace.id} "${workspace.name}": ${workspace.apiKeys.length} key(s)`);
    for (const k of workspace.apiKeys) {
      const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
      console.log(
        `${k.id}  ${k.prefix}...  ${state}  "${k.name}"  ${k.scopes.join(',')}  created ${k.createdAt.toISOString()}`,
      );
    }
  };
};

const revoke: Command = (args) => {
  const id = required(options(args, { id: { type: 'string' } }), 'id');
  return async (db) => {
    const key = await revokeApiKey(db.prisma, operator, id);
    if (key instanceof DomainError) throw new UsageError(`API key ${id} not found`, 1);
    console.log(`Revoked ${key.id} (${key.prefix}...) at ${key.revokedAt!.toISOString()}.`);
  };
};

const commands: Record<string, Command> = { create, list, revoke };

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.error(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = commands[command];
  if (!run) {
    console.error(`error: unknown command "${command}" (see npm run apikey -- help)`);
    return 2;
  }
  let db: Database | null = null;
  try {
    const work = run(args);
    const config = loadConfig();
    db = await openDatabase(config.DATABASE_URL, { holder: 'npm run apikey' });
    await applyMigrations(db.adapter);
    await work(db);
    return 0;
  } catch (err) {
    if (err instanceof DataDirectoryInUseError) {
      // Two processes on one PGlite directory lose writes, so nothing was done.
      console.error(
        `error: ${err.message}; stop it first, or create keys with the createApiKey mutation while it runs (see README), or use DATABASE_URL=postgres://...`,
      );
      return 1;
    }
    if (err instanceof UsageError || err instanceof ConfigError) {
      const hint = err instanceof UsageError && err.exitCode === 2 ? ' (see npm run apikey -- help)' : '';
      console.error(`error: ${err.message}${hint}`);
      return err instanceof UsageError ? err.exitCode : 1;
    }
    // e.g. an unreachable database: the first line says enough
    console.error(`error: ${String((err as Error)?.message ?? err).split('\n')[0]}`);
    return 1;
  } finally {
    await db?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
