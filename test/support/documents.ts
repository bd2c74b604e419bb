import { expect } from 'vitest';
import { graphql } from '../generated/gql.js';
import { gqlOk } from './graphql.js';
import type { RunningServer } from './server.js';

// Typed documents several test files send as they are. A file that needs another selection
// keeps its own document next to its tests.

export const CreateResource = graphql(`
  mutation CreateResourceWithWrapper($input: CreateResourceInput!) {
    createResource(input: $input) { id wrapper { id pid status } }
  }
`);

/** A deletion whose outcome is read from the winner's payload or the error. */
export const DeleteResource = graphql(`
  mutation DeleteResourceOutcome($id: ID!) {
    deleteResource(id: $id) {
      __typename
      ... on DeleteResourcePayload { id deleted wrapper { id status } }
      ... on Error { code message }
    }
  }
`);

/** A deletion whose outcome is only its result type. */
export const DeleteResourceTypename = graphql(`
  mutation DeleteResourceTypename($id: ID!) {
    deleteResource(id: $id) { __typename }
  }
`);

const EventsOfEntity = graphql(`
  query EventsOfEntity($entityId: ID!) {
    deletionEvents(first: 100, filter: { entityId: $entityId }) { edges { node { entityId } } }
  }
`);

/**
 * Waits until the event log has settled. Deletion events are handed out only once every older
 * transaction of the database server has ended (see readDeletionEvents): a marker deleted now,
 * once visible, proves that the event of every earlier deletion is visible too, so "exactly
 * one" and "none" can be asserted.
 */
export async function eventLogSettled(server: Pick<RunningServer, 'url' | 'adminKey'>): Promise<void> {
  const { createResource: marker } = await gqlOk(server, CreateResource, { input: { name: 'event-log-marker' } });
  await gqlOk(server, DeleteResourceTypename, { id: marker.id });
  await expect
    .poll(async () => (await gqlOk(server, EventsOfEntity, { entityId: marker.id })).deletionEvents.edges.length, {
      timeout: 30_000,
    })
    .toBe(1);
}

const CreateKeyDocument = graphql(`
  mutation SupportCreateApiKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }
`);

const CreateWorkspaceDocument = graphql(`
  mutation SupportCreateWorkspace($name: String!) { createWorkspace(name: $name) { id } }
`);

/** A new API key with exactly these scopes, in the admin key's workspace or in `workspaceId`. */
export async function createKey(
  server: Pick<RunningServer, 'url' | 'adminKey'>,
  scopes: string[],
  workspaceId?: string,
): Promise<string> {
  const { createApiKey } = await gqlOk(server, CreateKeyDocument, {
    input: { name: scopes.join(' '), scopes, workspaceId },
  });
  return createApiKey.key;
}

/** A new workspace (the admin key has the `platform` scope); its id. */
export async function createWorkspace(server: Pick<RunningServer, 'url' | 'adminKey'>, name: string): Promise<string> {
  return (await gqlOk(server, CreateWorkspaceDocument, { name })).createWorkspace.id;
}
