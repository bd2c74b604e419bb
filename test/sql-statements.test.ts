import { describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { skipDatabase } from './support/database.js';
import { processAlive, useGateway } from './support/fixture.js';
import { type GraphQLResponse, gql, gqlOk } from './support/graphql.js';

// A list of N resources with their wrappers and execution logs costs a constant number of SQL
// statements (DataLoader batching), read from `extensions.sqlStatements` (EXPOSE_SQL_COUNT=true).

/** One statement for the page, one for all wrappers, one for all execution logs. */
const EXPECTED_STATEMENTS = 3;

const CreateResource = graphql(`
  mutation SqlCreateResource($input: CreateResourceInput!) {
    createResource(input: $input) { id wrapper { id pid } }
  }
`);

const ResourcesWithLogs = graphql(`
  query SqlResourcesWithLogs {
    resources(first: 100) { edges { node { wrapper { executionLog { event } } } } }
  }
`);

const ResourcesWithEveryField = graphql(`
  query SqlResourcesWithEveryField {
    resources(first: 100) {
      edges {
        cursor
        node {
          id
          name
          createdAt
          deleted
          deletedAt
          wrapper { id kind status pid statusChangedAt executionLog { id at event message } }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const ResourcesWithTwoLogWindows = graphql(`
  query SqlResourcesWithTwoLogWindows {
    resources(first: 100) {
      edges { node { wrapper { last: executionLog(last: 1) { event } all: executionLog(last: 5) { event } } } }
    }
  }
`);

const ResourcesWithWrappers = graphql(`
  query SqlResourcesWithWrappers {
    resources(first: 100) { edges { node { id wrapper { status } } } }
  }
`);

const ResourcesOnly = graphql(`
  query SqlResourcesOnly {
    resources(first: 100) { edges { node { id name } } }
  }
`);

function statements(res: GraphQLResponse<unknown>): number {
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  const n = res.body.extensions?.sqlStatements;
  expect(typeof n).toBe('number');
  return n as number;
}

describe.skipIf(skipDatabase())('SQL statements per request', () => {
  const gw = useGateway();

  async function createResources(count: number, prefix: string, wrapperKind?: string) {
    const created = [];
    for (let i = 0; i < count; i++) {
      const { createResource } = await gqlOk(gw.server, CreateResource, {
        input: { name: `${prefix}-${i}`, wrapperKind },
      });
      gw.trackPid(createResource.wrapper?.pid);
      created.push(createResource);
    }
    return created;
  }

  async function measure() {
    const withLogs = await gql(gw.server, ResourcesWithLogs);
    const everyField = await gql(gw.server, ResourcesWithEveryField);
    const twoWindows = await gql(gw.server, ResourcesWithTwoLogWindows);
    const wrappersOnly = await gql(gw.server, ResourcesWithWrappers);
    const resourcesOnly = await gql(gw.server, ResourcesOnly);
    return {
      edges: withLogs.body.data!.resources.edges,
      withLogs: statements(withLogs),
      everyField: statements(everyField),
      twoWindows: statements(twoWindows),
      wrappersOnly: statements(wrappersOnly),
      resourcesOnly: statements(resourcesOnly),
      twoWindowsData: twoWindows.body.data!.resources.edges,
    };
  }

  it('resources { wrapper { executionLog } } costs the same small number of statements for N=2 and N=30', async () => {
    // N = 2, both with wrappers and one log entry each
    const first = await createResources(2, 'small', 'idle');
    const small = await measure();
    expect(small.edges).toHaveLength(2);
    expect(small.edges.every((e) => e.node.wrapper?.executionLog.length === 1)).toBe(true);

    // N = 30: 10 more with wrappers, 18 without
    const wrapped = [...first, ...(await createResources(10, 'wrapped', 'idle'))];
    await createResources(18, 'bare');
    // Give some wrappers a second log entry: their processes die, and the restarted gateway's
    // reconciliation records WRAPPER_EXITED for them.
    const dying = [wrapped[0]!, wrapped[3]!, wrapped[7]!, wrapped[11]!];
    for (const r of dying) process.kill(r.wrapper!.pid!, 'SIGKILL');
    for (const r of dying) await expect.poll(() => processAlive(r.wrapper!.pid!), { timeout: 10_000 }).toBe(false);
    await gw.restart();

    const large = await measure();
    expect(large.edges).toHaveLength(30);
    const logLengths = large.edges.map((e) => e.node.wrapper?.executionLog.length ?? null);
    expect(logLengths.filter((n) => n === null)).toHaveLength(18);
    expect(logLengths.filter((n) => n === 1)).toHaveLength(8);
    expect(logLengths.filter((n) => n === 2)).toHaveLength(4);
    expect(large.edges.flatMap((e) => e.node.wrapper?.executionLog.map((l) => l.event) ?? [])).toContain(
      'WRAPPER_EXITED',
    );

    console.log(
      `[sql-statements] resources{wrapper{executionLog}}: N=2 -> ${small.withLogs}, N=30 -> ${large.withLogs}; ` +
        `every field -> ${large.everyField}; two log windows -> ${large.twoWindows}; ` +
        `wrapper only -> ${large.wrappersOnly}; resources only -> ${large.resourcesOnly}`,
    );

    // independent of N
    expect(large.withLogs).toBe(small.withLogs);
    expect(large.withLogs).toBe(EXPECTED_STATEMENTS);
    // independent of the scalar fields selected
    expect(small.everyField).toBe(small.withLogs);
    expect(large.everyField).toBe(large.withLogs);
    // two `last` windows of the same log are still one batch
    expect(large.twoWindows).toBe(large.withLogs);
    expect(
      large.twoWindowsData
        .filter((e) => e.node.wrapper?.all.length === 2)
        .every((e) => e.node.wrapper?.last.length === 1),
    ).toBe(true);
    // each relation costs exactly one statement, whatever N is
    expect(large.wrappersOnly).toBe(large.resourcesOnly + 1);
    expect(large.withLogs).toBe(large.wrappersOnly + 1);
    expect(small.wrappersOnly).toBe(large.wrappersOnly);
    expect(small.resourcesOnly).toBe(large.resourcesOnly);
  });
});
