// Case 2: SQL statements per `resources(first: 100)` request with each resource's wrapper and
// execution log, read from `extensions.sqlStatements` (the gateway runs with EXPOSE_SQL_COUNT=true).
import type { Gateway } from '../support/gateway.js';
import { graphqlData, jsonClient } from '../support/http.js';
import { leadingResourceId } from '../support/ids.js';
import type { BenchDatabase } from '../support/postgres.js';
import { median } from '../support/stats.js';

const LIST = /* GraphQL */ `
  query BenchList {
    resources(first: 100) { edges { node { id wrapper { status executionLog { event } } } } }
  }`;

type ListData = {
  resources: {
    edges: Array<{ node: { id: string; wrapper: { status: string; executionLog: Array<{ event: string }> } | null } }>;
  };
};

/**
 * Fills the first page with 100 resources, each with a wrapper and two log entries. The rows are
 * written directly (no wrapper processes): the wrappers belong to another instance, so this
 * gateway's reconciliation leaves them alone, and statement counts do not depend on processes.
 */
async function seedListedResources(db: BenchDatabase, workspaceId: string) {
  const ids = Array.from({ length: 100 }, (_, i) => leadingResourceId(i + 1));
  await db.pool.query(
    `WITH r AS (
       INSERT INTO resource (id, workspace_id, name) SELECT id, $2, 'listed ' || id FROM unnest($1::text[]) AS id RETURNING id
     ), w AS (
       INSERT INTO wrapper (id, resource_id, kind, status, status_changed_at, pid, instance_id)
       SELECT 'wrapper_bench' || r.id, r.id, 'idle', 'RUNNING', CURRENT_TIMESTAMP, NULL, 'bench-another-instance' FROM r
       RETURNING id
     )
     INSERT INTO execution_log_entry (wrapper_id, event, message)
     SELECT w.id, e.event, e.event || ' (bench)' FROM w CROSS JOIN (VALUES ('WRAPPER_STARTED'), ('WRAPPER_HEARTBEAT')) AS e(event)`,
    [ids, workspaceId],
  );
}

export async function measureListStatements(gateway: Gateway, db: BenchDatabase, workspaceId: string) {
  await seedListedResources(db, workspaceId);
  const client = jsonClient(gateway.url, 1, { authorization: `Bearer ${gateway.adminKey}` });
  const statements: number[] = [];
  const ms: number[] = [];
  try {
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      const { data, extensions } = await graphqlData<ListData>(client, LIST);
      ms.push(performance.now() - t);
      const edges = data.resources.edges;
      if (edges.length !== 100 || edges.some((e) => e.node.wrapper?.executionLog.length !== 2)) {
        throw new Error('the list did not return 100 resources, each with a wrapper and two log entries');
      }
      if (typeof extensions.sqlStatements !== 'number')
        throw new Error('no extensions.sqlStatements: is EXPOSE_SQL_COUNT on?');
      statements.push(extensions.sqlStatements);
    }
  } finally {
    client.close();
  }
  return { statements: Math.max(...statements), medianMs: median(ms.slice(5)) };
}
