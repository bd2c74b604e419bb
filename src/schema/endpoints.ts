import { TaskRunStatus } from '../db/generated/enums.js';
import { FIELD_TYPES, type STEP_KINDS } from '../services/endpoint-config.js';
import type { Endpoint, EndpointRecord, EndpointTaskRun } from '../services/endpoints.js';
import {
  ConflictError,
  DeletionNotAllowedError,
  InvalidIdError,
  NotFoundError,
  ValidationError,
} from '../services/errors.js';
import { builder } from './builder.js';
import { orGraphQLError, orThrow } from './errors-top-level.js';
import { IDEMPOTENCY_KEY_DESCRIPTION, idempotencyOf } from './idempotency.js';
import { workspaceOf } from './principal.js';

// Seed 001 (Integray): endpoints, their records and DELETE tasks.

const FieldTypeEnum = builder.enumType('FieldType', { values: FIELD_TYPES });
const TaskStepKindEnum = builder.enumType('TaskStepKind', {
  values: {
    SELECT_RECORDS: {
      description:
        'config {where: {recordField: "inputField", ...}}: this endpoint\'s records whose data fields equal the input\'s',
    },
    DELETE_RECORDS: {
      description: 'Deletes the records the previous (SELECT_RECORDS) step selected; data = {deletedCount, ids}.',
    },
    HTTP_REQUEST: {
      description:
        'config {url, method = POST, timeoutMs = 5000}: sends the data as JSON; a non-2xx answer or a time-out fails the step.',
    },
    FAIL: { description: 'config {message, sensitive = false}: fails with that message.' },
    SCRIPT: {
      description:
        'config {language, source}: never executed from the API; it fails, and its message quotes the script, so it is sensitive.',
    },
  } satisfies Record<(typeof STEP_KINDS)[number], unknown>,
});
const SaveInputDataEnum = builder.enumType('SaveInputData', { values: ['NEVER', 'ON_ERROR', 'ALWAYS'] as const });
const FailConditionTypeEnum = builder.enumType('FailConditionType', { values: ['EQUALS', 'CONTAINS'] as const });
const FailMessageStatusEnum = builder.enumType('FailMessageStatus', { values: ['NOT_SET', 'CONFIGURED'] as const });
const TaskRunStatusEnum = builder.enumType(TaskRunStatus, { name: 'TaskRunStatus' });

const EndpointPathInput = builder.inputType('EndpointPathInput', {
  description: 'Slugs: 1 to 64 of a-z, 0-9 and -.',
  fields: (t) => ({
    company: t.string({ required: true }),
    group: t.string({ required: true }),
    endpoint: t.string({ required: true }),
  }),
});

const SchemaFieldInput = builder.inputType('SchemaFieldInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    type: t.field({ type: FieldTypeEnum, required: true }),
    required: t.boolean({ defaultValue: false }),
  }),
});

const QueryParamMappingInput = builder.inputType('QueryParamMappingInput', {
  fields: (t) => ({ param: t.string({ required: true }), field: t.string({ required: true }) }),
});

const EndpointInputSectionInput = builder.inputType('EndpointInputSectionInput', {
  fields: (t) => ({
    schema: t.field({ type: [SchemaFieldInput], required: true }),
    queryParams: t.field({
      type: [QueryParamMappingInput],
      description: 'null = each field maps from the query parameter of its own name.',
    }),
  }),
});

const TaskStepInput = builder.inputType('TaskStepInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    kind: t.field({ type: TaskStepKindEnum, required: true }),
    config: t.field({ type: 'JSON' }),
  }),
});

const FailConditionInput = builder.inputType('FailConditionInput', {
  fields: (t) => ({
    type: t.field({ type: FailConditionTypeEnum, required: true }),
    value: t.string({ required: true }),
  }),
});

const FailMessageRuleInput = builder.inputType('FailMessageRuleInput', {
  description: "All conditions must hold (AND) on the failure's own message.",
  fields: (t) => ({
    conditions: t.field({ type: [FailConditionInput], required: true }),
    message: t.string({ required: true }),
  }),
});

const FailMessageInput = builder.inputType('FailMessageInput', {
  fields: (t) => ({
    rules: t.field({ type: [FailMessageRuleInput], required: true }),
    defaultMessage: t.string({ description: 'The default action: its message when no rule matches.' }),
  }),
});

const EndpointTaskSectionInput = builder.inputType('EndpointTaskSectionInput', {
  fields: (t) => ({
    steps: t.field({
      type: [TaskStepInput],
      required: true,
      description: "Run in order; each gets the previous step's data.",
    }),
    saveInputData: t.field({ type: SaveInputDataEnum, defaultValue: 'NEVER' }),
    failMessage: t.field({ type: FailMessageInput, description: 'null = status NOT_SET.' }),
  }),
});

const OutputMappingInput = builder.inputType('OutputMappingInput', {
  fields: (t) => ({ from: t.string({ required: true }), to: t.string({ required: true }) }),
});

const EndpointOutputSectionInput = builder.inputType('EndpointOutputSectionInput', {
  fields: (t) => ({
    schema: t.field({ type: [SchemaFieldInput], description: 'Validates the result; a mismatch fails the run.' }),
    saveOutputData: t.boolean({ defaultValue: false }),
    includeSystemData: t.boolean({ defaultValue: true }),
    outputStep: t.string({ description: 'The step whose data becomes the result; default the last.' }),
    mapping: t.field({ type: [OutputMappingInput], description: 'Picks and renames fields of the result.' }),
  }),
});

const EndpointDeleteMethodInput = builder.inputType('EndpointDeleteMethodInput', {
  fields: (t) => ({
    input: t.field({ type: EndpointInputSectionInput }),
    task: t.field({ type: EndpointTaskSectionInput, description: 'null = "without task".' }),
    output: t.field({ type: EndpointOutputSectionInput }),
  }),
});

const ConfigureEndpointInput = builder.inputType('ConfigureEndpointInput', {
  fields: (t) => ({
    path: t.field({ type: EndpointPathInput, required: true, description: 'Created if absent, replaced if present.' }),
    allowDeleting: t.boolean({ required: true, description: 'The General tab\'s "Allow deleting".' }),
    delete: t.field({ type: EndpointDeleteMethodInput, description: 'The DELETE tab; null = DELETE not configured.' }),
  }),
});

const EndpointRecordInput = builder.inputType('EndpointRecordInput', {
  fields: (t) => ({
    id: t.id({ description: 'A GUID; generated if absent.' }),
    data: t.field({ type: 'JSON', required: true }),
    locked: t.boolean({ defaultValue: false }),
    references: t.idList({ description: 'Other records of the endpoint this one needs.' }),
  }),
});

const EndpointPathType = builder.objectRef<Endpoint['path']>('EndpointPath').implement({
  fields: (t) => ({
    company: t.exposeString('company'),
    group: t.exposeString('group'),
    endpoint: t.exposeString('endpoint'),
  }),
});

const EndpointType = builder.objectRef<Endpoint>('Endpoint').implement({
  description: 'An Integray endpoint (seed 001) at {company}/{group}/{endpoint}.',
  fields: (t) => ({
    path: t.field({ type: EndpointPathType, resolve: (e) => e.path }),
    allowDeleting: t.exposeBoolean('allowDeleting'),
    hasDeleteTask: t.boolean({ resolve: (e) => e.deleteMethod?.task != null }),
    failMessageStatus: t.field({
      type: FailMessageStatusEnum,
      resolve: (e) => (e.deleteMethod?.task?.failMessage ? 'CONFIGURED' : 'NOT_SET'),
    }),
    deleteMethod: t.field({
      type: 'JSON',
      nullable: true,
      description:
        'The DELETE tab as stored (validated, defaults filled in). Admin only: it holds connector scripts and URLs.',
      authScopes: { scope: 'admin' },
      resolve: (e) => e.deleteMethod,
    }),
    recordCount: t.int({ resolve: (e, _args, ctx) => ctx.services.endpoints.countRecords(e.id) }),
  }),
});

const EndpointRecordType = builder.objectRef<EndpointRecord>('EndpointRecord').implement({
  fields: (t) => ({
    id: t.exposeID('id', { description: 'A GUID.' }),
    data: t.expose('data', { type: 'JSON' }),
    locked: t.exposeBoolean('locked'),
    references: t.exposeIDList('references'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const EndpointTaskRunType = builder.objectRef<EndpointTaskRun>('EndpointTaskRun').implement({
  description: "One run of an endpoint's DELETE task. A failed run rolled back every deletion it made.",
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'startedAt' in value && 'response' in value,
  fields: (t) => ({
    id: t.exposeID('id', { description: 'A GUID.' }),
    status: t.field({ type: TaskRunStatusEnum, resolve: (r) => r.status }),
    message: t.exposeStringList('message', { nullable: true, description: 'The fail message, after the rules.' }),
    result: t.expose('result', {
      type: 'JSON',
      nullable: true,
      description: 'The output; on a stored run only with Save output data.',
    }),
    response: t.expose('response', { type: 'JSON', description: 'The body the REST route answers.' }),
    savedInput: t.expose('savedInput', {
      type: 'JSON',
      nullable: true,
      description: 'The mapped input, as Save input data keeps it.',
    }),
    savedOutput: t.expose('savedOutput', { type: 'JSON', nullable: true, description: 'With Save output data.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

const DeleteEndpointRecordPayload = builder.objectRef<{ id: string }>('DeleteEndpointRecordPayload').implement({
  fields: (t) => ({ id: t.exposeID('id'), deleted: t.boolean({ resolve: () => true }) }),
});

const DeleteAllEndpointRecordsPayload = builder
  .objectRef<{ deletedCount: number }>('DeleteAllEndpointRecordsPayload')
  .implement({ fields: (t) => ({ deletedCount: t.exposeInt('deletedCount') }) });

builder.queryFields((t) => ({
  endpoint: t.field({
    type: EndpointType,
    nullable: true,
    authScopes: { scope: ['endpoints:delete', 'admin'] },
    args: { path: t.arg({ type: EndpointPathInput, required: true }) },
    resolve: (_root, { path }, ctx) => ctx.services.endpoints.find(workspaceOf(ctx), path),
  }),
  endpointTaskRun: t.field({
    type: EndpointTaskRunType,
    nullable: true,
    authScopes: { scope: ['endpoints:delete', 'admin'] },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.endpoints.findRun(workspaceOf(ctx), String(id)),
  }),
}));

builder.mutationFields((t) => ({
  configureEndpoint: t.field({
    type: EndpointType,
    description:
      'Creates or replaces the endpoint at the path (its records stay). An invalid configuration changes nothing.',
    authScopes: { scope: 'admin' },
    args: { input: t.arg({ type: ConfigureEndpointInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      orGraphQLError(await ctx.services.endpoints.configure(workspaceOf(ctx), input)),
  }),
  insertEndpointRecords: t.field({
    type: [EndpointRecordType],
    authScopes: { scope: 'admin' },
    args: {
      path: t.arg({ type: EndpointPathInput, required: true }),
      records: t.arg({ type: [EndpointRecordInput], required: true }),
    },
    resolve: async (_root, { path, records }, ctx) =>
      orGraphQLError(await ctx.services.endpoints.insertRecords(workspaceOf(ctx), path, records)),
  }),
  deleteEndpointRecord: t.field({
    type: DeleteEndpointRecordPayload,
    description: 'Deletes one record (no task); only with Allow deleting. Locked or referenced: ConflictError.',
    authScopes: { scope: 'endpoints:delete' },
    args: {
      path: t.arg({ type: EndpointPathInput, required: true }),
      id: t.arg.id({ required: true }),
      idempotencyKey: t.arg.string({ description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    errors: {
      types: [InvalidIdError, NotFoundError, DeletionNotAllowedError, ConflictError],
      union: { name: 'DeleteEndpointRecordResult' },
    },
    resolve: async (_root, { path, id, idempotencyKey }, ctx) => {
      const sent = idempotencyOf(ctx, idempotencyKey);
      return orThrow(await ctx.services.endpoints.deleteRecord(workspaceOf(ctx), path, String(id), sent));
    },
  }),
  deleteAllEndpointRecords: t.field({
    type: DeleteAllEndpointRecordsPayload,
    description: 'Deletes every record of the endpoint in one statement, with one event; only with Allow deleting.',
    authScopes: { scope: 'endpoints:delete' },
    args: {
      path: t.arg({ type: EndpointPathInput, required: true }),
      idempotencyKey: t.arg.string({ description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    errors: {
      types: [NotFoundError, DeletionNotAllowedError, ConflictError],
      union: { name: 'DeleteAllEndpointRecordsResult' },
    },
    resolve: async (_root, { path, idempotencyKey }, ctx) => {
      const sent = idempotencyOf(ctx, idempotencyKey);
      return orThrow(await ctx.services.endpoints.deleteAll(workspaceOf(ctx), path, sent));
    },
  }),
  runEndpointDeleteTask: t.field({
    type: EndpointTaskRunType,
    description:
      "Runs the endpoint's DELETE task with `input` keyed by the input schema's field names. A failed run is a run with its fail message.",
    authScopes: { scope: 'endpoints:delete' },
    args: {
      path: t.arg({ type: EndpointPathInput, required: true }),
      input: t.arg({ type: 'JSON' }),
      idempotencyKey: t.arg.string({ description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    errors: {
      types: [NotFoundError, ValidationError, DeletionNotAllowedError],
      union: { name: 'RunEndpointDeleteTaskResult' },
    },
    resolve: async (_root, { path, input, idempotencyKey }, ctx) => {
      const sent = idempotencyOf(ctx, idempotencyKey);
      return orThrow(await ctx.services.endpoints.runDeleteTask(workspaceOf(ctx), path, { json: input }, sent));
    },
  }),
}));
