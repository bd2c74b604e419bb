// The peer of case 1: PostGraphile 5 on its own database holding a `resource` table like the
// gateway's. The bench deletes through the generated `updateResourceByRowId` mutation.
// Env: DATABASE_URL, POOL_MAX. Prints {"ready": "<graphql url>"} once listening.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL!,
      schemas: ['public'],
      poolConfig: { max: Number(process.env.POOL_MAX ?? 20) },
    }),
  ],
  grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
});
const serv = pgl.createServ(grafserv);
const server = http.createServer();
serv.addTo(server);
await pgl.getSchema();

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ ready: `http://127.0.0.1:${port}/graphql` }));
});

process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  void Promise.resolve(pgl.release()).finally(() => process.exit(0));
});
