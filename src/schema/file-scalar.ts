import { GraphQLError, GraphQLScalarType } from 'graphql';
import type { UploadedFile } from '../blobs/store.js';

// The file parts of a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec):
// Yoga puts each part's File into the variables; this scalar only lets such values through.

const isUpload = (value: unknown): value is UploadedFile =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as UploadedFile).name === 'string' &&
  typeof (value as UploadedFile).type === 'string' &&
  typeof (value as UploadedFile).stream === 'function';

export const FileScalar = new GraphQLScalarType<UploadedFile, never>({
  name: 'File',
  description:
    'A file part of a multipart request (GraphQL multipart request spec): send the operation as `operations`, the file parts, and a `map` from part names to variable paths.',
  parseValue(value) {
    if (isUpload(value)) return value;
    throw new GraphQLError('A File variable takes a file part of a multipart request');
  },
  parseLiteral() {
    throw new GraphQLError('A File cannot be written in the query: send it as a file part of a multipart request');
  },
  serialize() {
    throw new GraphQLError('File is an input-only scalar');
  },
});
