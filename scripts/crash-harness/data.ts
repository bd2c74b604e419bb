// The crash harness's data, made through the API before the first kill: resources with running
// wrappers, endpoints with records, parser results with files, datasets, images; for every kind
// more than the deletions target, so that collateral damage shows too.
import { randomBytes } from 'node:crypto';
import { createDataset } from '../../test/support/datasets.js';
import { type GatewayAddress, graphqlData, graphqlUpload, type UploadPart } from './http.js';
import { between, chance, type DeletionKind, type Random, survivorsFor } from './plan.js';

export interface Admin extends GatewayAddress {
  adminKey: string;
}

export interface EndpointPath {
  company: string;
  group: string;
  endpoint: string;
}

export interface ResourceEntity {
  id: string;
  wrapperId: string;
  pid: number;
}

export interface RecordEntity {
  path: EndpointPath;
  id: string;
}

export interface DeleteAllEntity {
  path: EndpointPath;
  ids: string[];
}

export interface TaskEntity {
  path: EndpointPath;
  /** the input `Name`; the task deletes the endpoint's records with this name */
  name: string;
  ids: string[];
  /** a record of the endpoint with another name: the task must leave it */
  survivorId: string;
  /** Save output data: a replay then answers the result too */
  saveOutput: boolean;
}

export interface ParserResultEntity {
  requestId: string;
  files: number;
  rows: number;
}

export interface ImageOperationEntity {
  ids: string[];
  wait: boolean;
  urgent: boolean;
  strict: boolean;
}

/** What the deletions target, one entry per deletion. */
export interface Targets {
  resource: ResourceEntity[];
  record: RecordEntity[];
  deleteAll: DeleteAllEntity[];
  task: TaskEntity[];
  parserResult: ParserResultEntity[];
  dataset: string[];
  image: ImageOperationEntity[];
}

/** What no deletion targets. */
export interface Survivors {
  resource: ResourceEntity[];
  /** records of the records endpoint, and the keepers that deleted records reference */
  record: string[];
  keepers: string[];
  parserResult: ParserResultEntity[];
  dataset: string[];
  image: string[];
}

export interface HarnessData {
  targets: Targets;
  survivors: Survivors;
  /** the records endpoint (single deletes by id) */
  recordsPath: EndpointPath;
}

const COMPANY = 'crash';

/** Runs `fn` over `items`, at most `concurrency` at a time; results in order. */
export async function inPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, i: number) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

const CREATE_RESOURCE = /* GraphQL */ `
  mutation CrashCreateResource($input: CreateResourceInput!) { createResource(input: $input) { id wrapper { id pid status } } }`;

async function createResources(admin: Admin, count: number, started: ResourceEntity[]): Promise<ResourceEntity[]> {
  return inPool(Array.from({ length: count }), 4, async (_, i) => {
    const { createResource } = await graphqlData<{
      createResource: { id: string; wrapper: { id: string; pid: number | null; status: string } | null };
    }>(admin, admin.adminKey, CREATE_RESOURCE, { input: { name: `crash-${i}`, wrapperKind: 'idle' } });
    const wrapper = createResource.wrapper;
    if (wrapper?.pid) started.push({ id: createResource.id, wrapperId: wrapper.id, pid: wrapper.pid });
    if (!wrapper?.pid || wrapper.status !== 'RUNNING') {
      throw new Error(`resource ${createResource.id}: its wrapper did not start (${JSON.stringify(wrapper)})`);
    }
    return { id: createResource.id, wrapperId: wrapper.id, pid: wrapper.pid };
  });
}

const CONFIGURE = /* GraphQL */ `
  mutation CrashConfigure($input: ConfigureEndpointInput!) { configureEndpoint(input: $input) { recordCount } }`;
const INSERT = /* GraphQL */ `
  mutation CrashInsert($path: EndpointPathInput!, $records: [EndpointRecordInput!]!) {
    insertEndpointRecords(path: $path, records: $records) { id }
  }`;

async function insertRecords(admin: Admin, path: EndpointPath, records: unknown[]): Promise<string[]> {
  const { insertEndpointRecords } = await graphqlData<{ insertEndpointRecords: { id: string }[] }>(
    admin,
    admin.adminKey,
    INSERT,
    { path, records },
  );
  return insertEndpointRecords.map((r) => r.id);
}

/** One endpoint without a task: records to delete by id (some referencing keepers), survivors, keepers. */
async function createRecords(admin: Admin, random: Random, count: number) {
  const path = { company: COMPANY, group: 'records', endpoint: 'people' };
  await graphqlData(admin, admin.adminKey, CONFIGURE, { input: { path, allowDeleting: true, delete: null } });
  const keepers = await insertRecords(admin, path, [{ data: { keeper: 1 } }, { data: { keeper: 2 } }]);
  // A record that references a keeper releases that reference when it is deleted (ref_count).
  const records = Array.from({ length: count + survivorsFor(count) }, (_, i) => ({
    data: { name: `person-${i}` },
    references: chance(random, 0.4) ? [keepers[i % keepers.length]!] : [],
  }));
  const ids = await insertRecords(admin, path, records);
  return { path, keepers, targets: ids.slice(0, count), survivors: ids.slice(count) };
}

async function createDeleteAllEndpoints(admin: Admin, random: Random, count: number): Promise<DeleteAllEntity[]> {
  return inPool(Array.from({ length: count }), 4, async (_, i) => {
    const path = { company: COMPANY, group: `all-${i}`, endpoint: 'items' };
    await graphqlData(admin, admin.adminKey, CONFIGURE, { input: { path, allowDeleting: true, delete: null } });
    const ids = await insertRecords(
      admin,
      path,
      Array.from({ length: between(random, 2, 5) }, (_, j) => ({ data: { item: j } })),
    );
    return { path, ids };
  });
}

async function createTaskEndpoints(admin: Admin, random: Random, count: number): Promise<TaskEntity[]> {
  return inPool(Array.from({ length: count }), 4, async (_, i) => {
    const path = { company: COMPANY, group: `task-${i}`, endpoint: 'people' };
    const saveOutput = chance(random, 0.5);
    await graphqlData(admin, admin.adminKey, CONFIGURE, {
      input: {
        path,
        allowDeleting: true,
        delete: {
          input: { schema: [{ name: 'Name', type: 'STRING', required: true }] },
          task: {
            steps: [
              { name: 'select', kind: 'SELECT_RECORDS', config: { where: { name: 'Name' } } },
              { name: 'delete', kind: 'DELETE_RECORDS' },
            ],
          },
          output: { saveOutputData: saveOutput },
        },
      },
    });
    const name = `target-${i}`;
    const ids = await insertRecords(
      admin,
      path,
      Array.from({ length: between(random, 1, 3) }, () => ({ data: { name } })),
    );
    const [survivorId] = await insertRecords(admin, path, [{ data: { name: `keep-${i}` } }]);
    return { path, name, ids, survivorId: survivorId!, saveOutput };
  });
}

const CREATE_PARSER_RESULT = /* GraphQL */ `
  mutation CrashCreateParserResult($input: CreateParserResultInput!) { createParserResult(input: $input) { requestId } }`;

async function createParserResults(admin: Admin, random: Random, count: number): Promise<ParserResultEntity[]> {
  const specs = Array.from({ length: count }, (_, i) => ({
    requestId: `crash-pr-${i}-${randomBytes(4).toString('hex')}`,
    files: between(random, 1, 2),
    rows: between(random, 1, 4),
  }));
  return inPool(specs, 4, async (spec) => {
    const files: UploadPart[] = Array.from({ length: spec.files }, (_, j) => ({
      path: `variables.input.files.${j}`,
      name: `page-${j}.pdf`,
      content: randomBytes(between(random, 64, 2048)),
      type: 'application/pdf',
    }));
    const data = {
      pages: Array.from({ length: spec.rows }, (_, j) => ({ page: j + 1, text: `text ${j}` })),
      meta: { parser: 'crash-harness' },
    };
    await graphqlUpload(
      admin,
      admin.adminKey,
      CREATE_PARSER_RESULT,
      { input: { requestId: spec.requestId, files: files.map(() => null), data } },
      files,
    );
    return spec;
  });
}

async function createDatasets(admin: Admin, random: Random, count: number): Promise<string[]> {
  return inPool(Array.from({ length: count }), 4, async (_, i) => {
    const items = Array.from({ length: between(random, 1, 5) }, (_, j) => ({ item: j }));
    const dataset = await createDataset(admin, {
      items,
      keys: Array.from({ length: between(random, 0, 3) }, (_, j) => `key-${i}-${j}`),
      vectors: Array.from({ length: between(random, 0, 3) }, () => [random(), random()]),
    });
    return dataset.id;
  });
}

const CREATE_IMAGES = /* GraphQL */ `
  mutation CrashCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }`;

/** Images in chunks (MAX_UPLOAD_FILES); about a third with a file. */
async function createImages(admin: Admin, random: Random, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 50) {
    const size = Math.min(50, count - start);
    const input = Array.from({ length: size }, (_, j) => ({ name: `image-${start + j}`, file: null }));
    const files: UploadPart[] = [];
    for (let j = 0; j < size; j++) {
      if (!chance(random, 0.35)) continue;
      files.push({
        path: `variables.input.${j}.file`,
        name: `image-${start + j}.png`,
        content: randomBytes(between(random, 64, 1024)),
        type: 'image/png',
      });
    }
    const { createImages } = await graphqlUpload<{ createImages: { id: string }[] }>(
      admin,
      admin.adminKey,
      CREATE_IMAGES,
      { input },
      files,
    );
    ids.push(...createImages.map((i) => i.id));
  }
  return ids;
}

/** Creates everything the plan's deletions target, and the survivors. */
export async function createHarnessData(
  admin: Admin,
  random: Random,
  counts: Record<DeletionKind, number>,
  /** each resource's wrapper as it starts, so that a failed run can still stop them */
  started: ResourceEntity[],
): Promise<HarnessData> {
  const resources = await createResources(admin, counts.resource + survivorsFor(counts.resource), started);
  const records = await createRecords(admin, random, counts.record);
  const deleteAll = await createDeleteAllEndpoints(admin, random, counts.deleteAll);
  const task = await createTaskEndpoints(admin, random, counts.task);
  const parserResults = await createParserResults(
    admin,
    random,
    counts.parserResult + survivorsFor(counts.parserResult),
  );
  const datasets = await createDatasets(admin, random, counts.dataset + survivorsFor(counts.dataset));

  // Image operations: a REST delete takes one image, a GraphQL one may take several.
  const sizes = Array.from({ length: counts.image }, () => between(random, 1, 3));
  const total = sizes.reduce((n, s) => n + s, 0);
  const images = await createImages(admin, random, total + survivorsFor(total));
  let next = 0;
  const operations = sizes.map((size) => {
    const ids = images.slice(next, next + size);
    next += size;
    return { ids, wait: chance(random, 0.5), urgent: chance(random, 0.2), strict: chance(random, 0.2) };
  });

  return {
    recordsPath: records.path,
    targets: {
      resource: resources.slice(0, counts.resource),
      record: records.targets.map((id) => ({ path: records.path, id })),
      deleteAll,
      task,
      parserResult: parserResults.slice(0, counts.parserResult),
      dataset: datasets.slice(0, counts.dataset),
      image: operations,
    },
    survivors: {
      resource: resources.slice(counts.resource),
      record: records.survivors,
      keepers: records.keepers,
      parserResult: parserResults.slice(counts.parserResult),
      dataset: datasets.slice(counts.dataset),
      image: images.slice(next),
    },
  };
}
