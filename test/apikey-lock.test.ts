import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirectoryInUseError, lockDataDirectory } from '../src/db/directory-lock.js';
import { graphql } from './generated/gql.js';
import { databaseKind, skipDatabase } from './support/database.js';
import { useGateway } from './support/fixture.js';
import { gql, gqlOk } from './support/graphql.js';
import { runScript } from './support/server.js';

// A PGlite directory is open in one process at a time: the gateway locks it, and `npm run apikey`
// (or anything else) refuses while it runs instead of writing into a copy that gets lost.

const CreateApiKey = graphql(`
  mutation LockCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { key apiKey { id workspaceId } }
  }
`);

const FirstEvent = graphql(`
  query LockFirstEvent {
    deletionEvents(first: 1) { edges { node { id } } }
  }
`);

/** A pid that belonged to a process that has exited and been reaped. */
function deadPid(): number {
  const run = spawnSync(process.execPath, ['-e', '']);
  return run.pid!;
}

const readLock = (lockFile: string) => JSON.parse(fs.readFileSync(lockFile, 'utf8')) as Record<string, unknown>;

describe.runIf(databaseKind() === 'pglite')('the data directory lock', () => {
  let tmp: string;
  let dir: string;
  let lockFile: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgw-lock-'));
    dir = path.join(tmp, 'pglite');
    lockFile = `${dir}.lock`;
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const plant = (holder: Record<string, unknown>) => fs.writeFileSync(lockFile, JSON.stringify(holder));

  it('is a file beside the directory naming this process, removed on release', () => {
    const lock = lockDataDirectory(dir, 'the test');
    expect(lock.lockFile).toBe(lockFile);
    expect(lock.tookOverFrom).toBeNull();
    expect(readLock(lockFile)).toMatchObject({ pid: process.pid, holder: 'the test' });
    expect(fs.readdirSync(tmp)).toEqual(['pglite.lock']);
    lock.release();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('a second opener in the same process is refused', () => {
    const lock = lockDataDirectory(dir, 'the gateway');
    try {
      expect(() => lockDataDirectory(dir, 'npm run apikey')).toThrow(DataDirectoryInUseError);
      expect(() => lockDataDirectory(dir, 'npm run apikey')).toThrow(
        `${dir} is in use by the gateway (pid ${process.pid})`,
      );
    } finally {
      lock.release();
    }
  });

  it('a lock of a live process is refused with its pid and name, and left alone', () => {
    plant({ pid: process.ppid, holder: 'the gateway' });
    const before = fs.readFileSync(lockFile, 'utf8');
    let error: unknown;
    try {
      lockDataDirectory(dir, 'npm run apikey');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DataDirectoryInUseError);
    expect((error as Error).message).toBe(`${dir} is in use by the gateway (pid ${process.ppid})`);
    expect((error as DataDirectoryInUseError).holder).toMatchObject({ pid: process.ppid, holder: 'the gateway' });
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(before);
    expect(fs.readdirSync(tmp)).toEqual(['pglite.lock']);
  });

  it('a stale lock whose process is gone is taken over', () => {
    const pid = deadPid();
    plant({ pid, holder: 'the gateway' });
    const lock = lockDataDirectory(dir, 'the test');
    try {
      expect(lock.tookOverFrom).toMatchObject({ pid, holder: 'the gateway' });
      expect(readLock(lockFile)).toMatchObject({ pid: process.pid, holder: 'the test' });
      expect(fs.readdirSync(tmp)).toEqual(['pglite.lock']);
    } finally {
      lock.release();
    }
  });

  it.runIf(fs.existsSync('/proc/self/stat'))(
    'a lock whose pid now belongs to another program (another start time) is taken over',
    () => {
      plant({ pid: process.ppid, holder: 'the gateway', startTicks: '1' });
      const lock = lockDataDirectory(dir, 'the test');
      try {
        expect(lock.tookOverFrom).toMatchObject({ pid: process.ppid });
      } finally {
        lock.release();
      }
    },
  );

  it('a lock naming this pid that this process does not hold (an earlier life, e.g. pid 1 in a container) is taken over', () => {
    plant({ pid: process.pid, holder: 'the gateway' });
    const lock = lockDataDirectory(dir, 'the test');
    try {
      expect(lock.tookOverFrom).toMatchObject({ pid: process.pid });
    } finally {
      lock.release();
    }
  });

  it('a lock file naming no process is refused with a line saying what to remove', () => {
    fs.writeFileSync(lockFile, 'garbage');
    expect(() => lockDataDirectory(dir, 'the test')).toThrow(
      `${dir} is locked by ${lockFile}, which names no process; remove it if nothing has the directory open`,
    );
  });

  it('release removes only its own lock', () => {
    const lock = lockDataDirectory(dir, 'the test');
    plant({ pid: process.ppid, holder: 'someone who took it over' });
    lock.release();
    expect(readLock(lockFile)).toMatchObject({ holder: 'someone who took it over' });
  });

  it('a process that exits without releasing removes its lock on the way out', async () => {
    const run = await runScript(
      [
        '--input-type=module',
        '-e',
        `const { lockDataDirectory } = await import('./src/db/directory-lock.ts');
         lockDataDirectory(process.argv[1], 'a child');
         process.exit(3);`,
        dir,
      ],
      {},
    );
    expect(run.code, run.stderr).toBe(3);
    expect(fs.existsSync(lockFile)).toBe(false);
  });
});

describe.skipIf(skipDatabase() || databaseKind() !== 'pglite')(
  'npm run apikey beside a gateway on a PGlite directory (the lock is PGlite-only)',
  { timeout: 240_000 },
  () => {
    const gw = useGateway();
    const lockFile = () => `${gw.db.url}.lock`;
    const apikey = (args: string[]) => runScript(['scripts/apikey.ts', ...args], { DATABASE_URL: gw.db.url });
    const keyCount = async (workspaceId: string) => {
      const run = await apikey(['list', '--workspace', workspaceId]);
      expect(run.code, run.stderr).toBe(0);
      return Number(/: (\d+) key\(s\)/.exec(run.stdout)![1]);
    };
    let workspaceId: string;

    it('while the gateway runs, create exits non-zero with one line naming its pid, and adds no key', async () => {
      const { createApiKey } = await gqlOk(gw.server, CreateApiKey, {
        input: { name: 'learn the workspace', scopes: ['events:read'] },
      });
      workspaceId = createApiKey.apiKey.workspaceId;
      const pid = gw.server.process.pid!;
      expect(readLock(lockFile())).toMatchObject({ pid, holder: 'the gateway' });

      const run = await apikey(['create', '--workspace', workspaceId, '--scopes', 'events:read']);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toEqual([
        `error: ${gw.db.url} is in use by the gateway (pid ${pid}); stop it first, or create keys with the ` +
          'createApiKey mutation while it runs (see README), or use DATABASE_URL=postgres://...',
      ]);
      // The gateway goes on undisturbed, and still holds the lock.
      expect((await gql(gw.server, FirstEvent)).status).toBe(200);
      expect(readLock(lockFile())).toMatchObject({ pid });
    });

    it('npm run db:migrate and a second gateway on the same directory refuse with one line too', async () => {
      const pid = gw.server.process.pid!;
      const migrate = await runScript(['scripts/db.ts', 'migrate'], { DATABASE_URL: gw.db.url });
      expect(migrate.code).toBe(1);
      expect(migrate.stderr.trim().split('\n')).toEqual([
        `error: ${gw.db.url} is in use by the gateway (pid ${pid}); stop it first (the gateway applies pending migrations when it starts)`,
      ]);

      const second = await runScript(['src/main.ts'], { DATABASE_URL: gw.db.url, PORT: '0', HOST: '127.0.0.1' });
      expect(second.code).toBe(1);
      expect(second.stdout).toBe('');
      expect(second.stderr.trim().split('\n')).toEqual([
        `error: ${gw.db.url} is in use by the gateway (pid ${pid}); stop it first, or give this gateway its own ` +
          'DATABASE_URL (several gateways share one postgres://... database)',
      ]);
      expect((await gql(gw.server, FirstEvent)).status).toBe(200);
    });

    it('once the gateway has stopped, the same create succeeds and the key works after a restart', async () => {
      await gw.server.stop();
      expect(fs.existsSync(lockFile())).toBe(false);
      // bootstrap key + the one created through GraphQL; the refused run added none
      expect(await keyCount(workspaceId)).toBe(2);

      const run = await apikey(['create', '--workspace', workspaceId, '--scopes', 'events:read']);
      expect(run.code, run.stderr).toBe(0);
      const key = run.stdout.trim();
      expect(key).toMatch(/^dgw_/);
      expect(await keyCount(workspaceId)).toBe(3);
      expect(fs.existsSync(lockFile())).toBe(false);

      const server = await gw.restart();
      expect(readLock(lockFile())).toMatchObject({ pid: server.process.pid, holder: 'the gateway' });
      const res = await gql(server, FirstEvent, {}, { apiKey: key });
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    });

    it('the lock of a killed gateway is taken over by the next start', async () => {
      const killed = gw.server;
      killed.process.kill('SIGKILL');
      await killed.exited;
      expect(readLock(lockFile())).toMatchObject({ pid: killed.process.pid });

      const server = await gw.restart();
      expect(readLock(lockFile())).toMatchObject({ pid: server.process.pid });
      expect(server.logs).toContainEqual(
        expect.objectContaining({
          msg: 'took over the lock of a process that is gone',
          previous: expect.objectContaining({ pid: killed.process.pid }),
        }),
      );
      expect((await gql(server, FirstEvent)).status).toBe(200);
    });
  },
);
