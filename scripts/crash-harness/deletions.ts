// The harness's deletions: each with its own idempotency key, sent over REST or GraphQL, and
// what counts as its success and as "the same answer again".
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type {
  DeleteAllEntity,
  EndpointPath,
  HarnessData,
  ImageOperationEntity,
  ParserResultEntity,
  RecordEntity,
  ResourceEntity,
  TaskEntity,
} from './data.js';
import { type Answer, type GatewayAddress, graphql, rest } from './http.js';
import { chance, type DeletionKind, type Random, shuffle } from './plan.js';

export type Transport = 'rest' | 'graphql';

export type DeletionTarget =
  | { kind: 'resource'; entity: ResourceEntity }
  | { kind: 'record'; entity: RecordEntity }
  | { kind: 'deleteAll'; entity: DeleteAllEntity }
  | { kind: 'task'; entity: TaskEntity }
  | { kind: 'parserResult'; entity: ParserResultEntity }
  | { kind: 'dataset'; entity: string }
  | { kind: 'image'; entity: ImageOperationEntity };

export type Deletion = DeletionTarget & {
  index: number;
  transport: Transport;
  /** the idempotency key: every attempt of this deletion sends it */
  key: string;
  /** the answer it got (after retries); null until then */
  answer: Answer | null;
  /** attempts whose answer was lost (the gateway died first) */
  lost: number;
  /** whether the deletion had committed when one of its answers was lost (read in the database) */
  committedWhenLost: boolean | null;
};

/** The work list: the deletions, shuffled, with a dataset purge after about 40% and 80% of them. */
export type WorkItem = Deletion | { kind: 'purge'; index: number; answered: boolean };

export function planDeletions(random: Random, data: HarnessData): WorkItem[] {
  const t = data.targets;
  const targets: DeletionTarget[] = [
    ...t.resource.map((entity) => ({ kind: 'resource' as const, entity })),
    ...t.record.map((entity) => ({ kind: 'record' as const, entity })),
    ...t.deleteAll.map((entity) => ({ kind: 'deleteAll' as const, entity })),
    ...t.task.map((entity) => ({ kind: 'task' as const, entity })),
    ...t.parserResult.map((entity) => ({ kind: 'parserResult' as const, entity })),
    ...t.dataset.map((entity) => ({ kind: 'dataset' as const, entity })),
    ...t.image.map((entity) => ({ kind: 'image' as const, entity })),
  ];
  const deletions: Deletion[] = shuffle(random, targets).map((target, index) => ({
    ...target,
    index,
    // REST deletes one image per request; several go through GraphQL.
    transport:
      target.kind === 'image' && target.entity.ids.length > 1 ? 'graphql' : chance(random, 0.5) ? 'rest' : 'graphql',
    key: randomUUID(),
    answer: null,
    lost: 0,
    committedWhenLost: null,
  }));
  const items: WorkItem[] = [...deletions];
  for (const [i, share] of [0.8, 0.4].entries()) {
    items.splice(Math.floor(deletions.length * share), 0, { kind: 'purge', index: i, answered: false });
  }
  return items;
}

const ERROR = '... on Error { code message }';
const DOCUMENTS = {
  resource: `mutation CrashDeleteResource($id: ID!, $key: String) {
    deleteResource(id: $id, idempotencyKey: $key) {
      __typename ${ERROR}
      ... on DeleteResourcePayload { id deleted resource { id deleted deletedAt } wrapper { id status statusChangedAt } }
    }
  }`,
  record: `mutation CrashDeleteRecord($path: EndpointPathInput!, $id: ID!, $key: String) {
    deleteEndpointRecord(path: $path, id: $id, idempotencyKey: $key) {
      __typename ${ERROR} ... on DeleteEndpointRecordPayload { id deleted }
    }
  }`,
  deleteAll: `mutation CrashDeleteAll($path: EndpointPathInput!, $key: String) {
    deleteAllEndpointRecords(path: $path, idempotencyKey: $key) {
      __typename ${ERROR} ... on DeleteAllEndpointRecordsPayload { deletedCount }
    }
  }`,
  task: `mutation CrashRunTask($path: EndpointPathInput!, $input: JSON, $key: String) {
    runEndpointDeleteTask(path: $path, input: $input, idempotencyKey: $key) {
      __typename ${ERROR} ... on EndpointTaskRun { id status response }
    }
  }`,
  parserResult: `mutation CrashDeleteParserResult($id: ID!, $key: String) {
    deleteParserResult(requestId: $id, idempotencyKey: $key) {
      __typename ${ERROR} ... on DeleteParserResultPayload { success message requestId deletedFiles deletedRows }
    }
  }`,
  dataset: `mutation CrashDeleteDataset($id: ID!, $key: String) {
    deleteDataset(id: $id, idempotencyKey: $key) {
      __typename ${ERROR} ... on DeleteDatasetPayload { success total data { id expiresAt updatedAt markedForDeletion itemCount } }
    }
  }`,
  image: `mutation CrashDeleteImages($ids: [ID!]!, $wait: Boolean, $urgent: Boolean, $strict: Boolean, $key: String) {
    deleteImages(ids: $ids, wait: $wait, urgent: $urgent, strict: $strict, idempotencyKey: $key) {
      id numTotal numGood numBad isFinished
    }
  }`,
} satisfies Record<DeletionKind, string>;

export const PURGE = /* GraphQL */ `mutation CrashPurge { purgeExpiredDatasets { datasets } }`;

const pathOf = (p: EndpointPath) => `/${p.company}/${p.group}/${p.endpoint}`;

/** Sends one attempt of the deletion (LostAnswerError when the gateway dies first). */
export function sendDeletion(gateway: GatewayAddress, apiKey: string, d: Deletion): Promise<Answer> {
  const { key } = d;
  if (d.transport === 'rest') {
    const del = (path: string) => rest(gateway, apiKey, 'DELETE', path, key);
    switch (d.kind) {
      case 'resource':
        return del(`/resources/${d.entity.id}`);
      case 'record':
        return del(`${pathOf(d.entity.path)}/${d.entity.id}`);
      case 'deleteAll':
        return del(`${pathOf(d.entity.path)}/all`);
      case 'task':
        return del(`${pathOf(d.entity.path)}?Name=${encodeURIComponent(d.entity.name)}`);
      case 'parserResult':
        return del(`/files?request_id=${encodeURIComponent(d.entity.requestId)}`);
      case 'dataset':
        return del(`/v1/datasets/${d.entity}`);
      case 'image': {
        const { ids, wait, urgent, strict } = d.entity;
        return del(`/imgs/${ids[0]}?wait=${wait}&urgent=${urgent}&strict=${strict}`);
      }
    }
  }
  const send = (variables: Record<string, unknown>) =>
    graphql(gateway, apiKey, DOCUMENTS[d.kind], { ...variables, key });
  switch (d.kind) {
    case 'resource':
      return send({ id: d.entity.id });
    case 'record':
      return send({ path: d.entity.path, id: d.entity.id });
    case 'deleteAll':
      return send({ path: d.entity.path });
    case 'task':
      return send({ path: d.entity.path, input: { Name: d.entity.name } });
    case 'parserResult':
      return send({ id: d.entity.requestId });
    case 'dataset':
      return send({ id: d.entity });
    case 'image': {
      const { ids, wait, urgent, strict } = d.entity;
      return send({ ids, wait, urgent, strict });
    }
  }
}

const FIELD: Record<DeletionKind, string> = {
  resource: 'deleteResource',
  record: 'deleteEndpointRecord',
  deleteAll: 'deleteAllEndpointRecords',
  task: 'runEndpointDeleteTask',
  parserResult: 'deleteParserResult',
  dataset: 'deleteDataset',
  image: 'deleteImages',
};

const SUCCESS_TYPE: Record<Exclude<DeletionKind, 'image'>, string> = {
  resource: 'DeleteResourcePayload',
  record: 'DeleteEndpointRecordPayload',
  deleteAll: 'DeleteAllEndpointRecordsPayload',
  task: 'EndpointTaskRun',
  parserResult: 'DeleteParserResultPayload',
  dataset: 'DeleteDatasetPayload',
};

/** The deletion's payload: the GraphQL field's value, or the REST body. */
export function payloadOf(d: Deletion, answer: Answer): Record<string, unknown> | undefined {
  if (d.transport === 'rest') return answer.body as Record<string, unknown> | undefined;
  const data = (answer.body as { data?: Record<string, Record<string, unknown>> } | undefined)?.data;
  return data?.[FIELD[d.kind]];
}

/** An answer in a line of a report. */
export const describeAnswer = (answer: Answer) =>
  `HTTP ${answer.status} ${answer.body === undefined ? '(no body)' : JSON.stringify(answer.body).slice(0, 300)}`;

/** Why the answer is not a success of this deletion, or null. */
export function failureOf(d: Deletion, answer: Answer): string | null {
  const describe = () => describeAnswer(answer);
  if (d.transport === 'rest') {
    const expected = d.kind === 'record' ? [204] : d.kind === 'image' ? (d.entity.wait ? [200, 202] : [202]) : [200];
    return expected.includes(answer.status) ? null : describe();
  }
  const body = answer.body as { errors?: unknown[] } | undefined;
  if (answer.status !== 200 || body?.errors?.length) return describe();
  const payload = payloadOf(d, answer);
  if (!payload) return describe();
  if (d.kind === 'image') return typeof payload.id === 'string' ? null : describe();
  return payload.__typename === SUCCESS_TYPE[d.kind] ? null : describe();
}

/** The operation id an image deletion answered. */
export const operationIdOf = (d: Deletion, answer: Answer) => payloadOf(d, answer)?.id as string | undefined;

/**
 * Whether `again` is the same answer as `first`. Exactly the same, except where the gateway
 * answers with the state as it stands: an image operation answers the same operation (a queued
 * one may have finished since), and a task run without Save output data answers its run
 * without the result, which it never stored (the seed's rule).
 */
export function sameAnswer(d: Deletion, first: Answer, again: Answer): boolean {
  if (d.kind === 'image') {
    return first.status === again.status && operationIdOf(d, first) === operationIdOf(d, again);
  }
  if (d.kind === 'task' && !d.entity.saveOutput) {
    const run = (a: Answer) => {
      const p = payloadOf(d, a);
      return d.transport === 'rest' ? [a.status, p?.ID, p?.Status] : [a.status, p?.id, p?.status];
    };
    return isDeepStrictEqual(run(first), run(again));
  }
  return first.status === again.status && isDeepStrictEqual(first.body, again.body);
}
