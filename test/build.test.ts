import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { createTestDatabase, databaseKind, skipDatabase, type TestDatabase } from './support/database.js';
import { processAlive } from './support/fixture.js';
import { gqlOk } from './support/graphql.js';
import { type RunningServer, startServer } from './support/server.js';

// `npm start` serves the compiled build (`npm run build` -> dist/): check that it builds and
// that the built gateway migrates a fresh PostgreSQL database (in a child process), starts
// wrapper processes from its copied programs and deletes end to end.

const root = path.resolve(import.meta.dirname, '..');

const CreateResource = graphql(`
  mutation BuildCreateResource($name: String!) {
    createResource(input: { name: $name, wrapperKind: "idle" }) { id wrapper { pid status } }
  }
`);

const DeleteResource = graphql(`
  mutation BuildDeleteResource($id: ID!) {
    deleteResource(id: $id) { __typename ... on DeleteResourcePayload { wrapper { status } } }
  }
`);

describe.skipIf(skipDatabase() || databaseKind() !== 'postgres')('the compiled build', () => {
  let db: TestDatabase | undefined;
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('builds, migrates a fresh database and serves a deletion with a wrapper', { timeout: 180_000 }, async () => {
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8', timeout: 150_000 });
    expect(build.status, build.stderr || build.stdout).toBe(0);
    expect(fs.existsSync(path.join(root, 'dist/main.js'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'dist/wrappers/programs/idle.mjs'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'dist/monitor/index.html'))).toBe(true);

    db = await createTestDatabase();
    server = await startServer({ databaseUrl: db.url, command: ['dist/main.js'] });
    expect(server.logs.find((l) => l.msg === 'applied migrations')?.applied).toEqual(
      fs
        .readdirSync(path.join(root, 'prisma/migrations'), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort(),
    );
    const { createResource } = await gqlOk(server, CreateResource, { name: 'built' });
    const pid = createResource.wrapper!.pid!;
    expect(processAlive(pid)).toBe(true);
    const { deleteResource } = await gqlOk(server, DeleteResource, { id: createResource.id });
    expect(deleteResource).toEqual({ __typename: 'DeleteResourcePayload', wrapper: { status: 'STOPPED' } });
    expect(processAlive(pid)).toBe(false);
    // The monitor page Vite built is served by the built gateway as well.
    const monitor = await fetch(`${server.origin}/monitor`);
    expect(monitor.status).toBe(200);
    expect(await monitor.text()).toMatch(/<script type="module"[^>]* src="\/monitor\/assets\/[\w-]+\.js">/);
  });
});
