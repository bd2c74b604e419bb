import { graphql } from '../generated/gql.js';

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
