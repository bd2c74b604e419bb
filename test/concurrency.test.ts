import { describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { skipDatabase } from './support/database.js';
import { CreateResource, DeleteResource, eventLogSettled } from './support/documents.js';
import { processAlive, useGateway } from './support/fixture.js';
import { gql, gqlOk } from './support/graphql.js';

// Concurrent deletions of one resource: exactly one wins, every side effect happens once.

const CONCURRENT = 20;
const ROUNDS = 3;

const DeletionEvents = graphql(`
  query ConcDeletionEvents($filter: DeletionEventFilter) {
    deletionEvents(first: 100, filter: $filter) { edges { node { entityId kind } } }
  }
`);

const QueueMessages = graphql(`
  query ConcQueueMessages {
    queueMessages(queue: "resource.deletion", first: 1000) { edges { node { body } } }
  }
`);

const WrapperLog = graphql(`
  query ConcWrapperLog($id: ID!) {
    wrapper(id: $id) { status executionLog(last: 100) { event } }
  }
`);

describe.skipIf(skipDatabase())(`${CONCURRENT} concurrent deleteResource calls on one id`, () => {
  const gw = useGateway();

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: one DeleteResourcePayload, ${CONCURRENT - 1} NotFoundError, one event, one message, one log entry`, async () => {
      const { createResource: r } = await gqlOk(gw.server, CreateResource, {
        input: { name: `contended-${round}`, wrapperKind: 'idle' },
      });
      gw.trackPid(r.wrapper?.pid);
      expect(r.wrapper?.status).toBe('RUNNING');

      const responses = await Promise.all(
        Array.from({ length: CONCURRENT }, () => gql(gw.server, DeleteResource, { id: r.id })),
      );
      for (const res of responses) {
        expect(res.status).toBe(200);
        expect(res.body.errors).toBeUndefined();
      }
      const results = responses.map((res) => res.body.data!.deleteResource);
      const winners = results.filter((d) => d.__typename === 'DeleteResourcePayload');
      const losers = results.filter((d) => d.__typename === 'NotFoundError');
      expect(winners).toEqual([
        {
          __typename: 'DeleteResourcePayload',
          id: r.id,
          deleted: true,
          wrapper: { id: r.wrapper!.id, status: 'STOPPED' },
        },
      ]);
      expect(losers).toHaveLength(CONCURRENT - 1);
      for (const l of losers)
        expect(l).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'Resource not found' });
      expect(processAlive(r.wrapper!.pid!)).toBe(false);

      await eventLogSettled(gw.server);
      const { deletionEvents } = await gqlOk(gw.server, DeletionEvents, { filter: { entityId: r.id } });
      expect(deletionEvents.edges.map((e) => e.node)).toEqual([{ entityId: r.id, kind: 'SOFT_DELETED' }]);

      const { queueMessages } = await gqlOk(gw.server, QueueMessages);
      const messages = queueMessages.edges.filter(
        (e) => (e.node.body as { resource_id?: string }).resource_id === r.id,
      );
      expect(messages.map((e) => e.node.body)).toEqual([{ resource_id: r.id, wrapper_id: r.wrapper!.id }]);

      const { wrapper } = await gqlOk(gw.server, WrapperLog, { id: r.wrapper!.id });
      expect(wrapper?.status).toBe('STOPPED');
      expect(wrapper?.executionLog.filter((e) => e.event === 'RESOURCE_DELETED')).toHaveLength(1);
    });
  }
});
