import { z } from 'zod';
import { DatasetType, OperationMethod, OperationResource } from '../db/generated/enums.js';
import { STATUS_NAME } from '../services/endpoint-config.js';
import { namedBody } from './rest-docs.js';

// The seeds' JSON bodies as the REST routes answer them: the compiler checks each handler's
// reply against these, and /openapi.json prints them as its components.

/** An enum's values in lower case, as the seeds spell them (`del`, `image`, `doc`). */
function lowerCase<const T extends string>(values: Readonly<Record<string, T>>) {
  return Object.values(values).map((v) => v.toLowerCase() as Lowercase<T>);
}

const isoTime = z.iso.datetime();
/** epoch milliseconds, as seed 003 writes times */
const epochMs = z.number().int();

/** seed 000 */
export const ResourceDeleted = namedBody(
  'ResourceDeleted',
  z
    .object({
      id: z.string().describe('The ID of the deleted resource'),
      deleted: z.literal(true).describe('Always true on success'),
    })
    .describe('Seed 000: the deletion confirmation'),
);

/** seed 002 */
export const ParserResultDeleted = namedBody(
  'ParserResultDeleted',
  z.object({ success: z.literal(true), message: z.string().describe('"File deleted successfully"') }),
);

export const ParserResultRead = namedBody(
  'ParserResultRead',
  z.object({
    success: z.literal(true),
    data: z.object({
      requestId: z.string(),
      files: z.array(
        z.object({
          name: z.string(),
          size: z.number().int().describe('bytes'),
          sha256: z.string().describe('hex'),
          contentType: z.string(),
        }),
      ),
      data: z.unknown().describe('The parsed data as it was stored'),
    }),
  }),
);

/** seed 003: exactly the seed's fields */
export const Dataset = namedBody(
  'Dataset',
  z
    .object({
      id: z.string(),
      workspaceId: z.string(),
      type: z.enum(lowerCase(DatasetType)),
      fileName: z.string(),
      fileExt: z.string(),
      fileSize: z.number().describe('bytes'),
      itemCount: z.number().int(),
      mimeType: z.string(),
      createdAt: epochMs,
      updatedAt: epochMs.nullable(),
      expiresAt: epochMs.nullable().describe('Before now: the dataset is marked for deletion'),
      share: z
        .object({
          url: z.string().describe('GET it without an API key: the token is the credential'),
          token: z.string(),
          expiresAt: epochMs.nullable(),
        })
        .nullable(),
    })
    .describe('Seed 003: a dataset, times as epoch milliseconds'),
);

export const DatasetAnswer = namedBody(
  'DatasetAnswer',
  z.object({ success: z.literal(true), total: z.literal(1), data: Dataset.schema }),
);

/** seed 004: the operation object field for field, plus its id */
export const Operation = namedBody(
  'Operation',
  z
    .object({
      id: z.string().describe('GET /ops/{op_id} follows it'),
      method: z.enum(lowerCase(OperationMethod)),
      resource: z.enum(lowerCase(OperationResource)),
      num_total: z.number().int(),
      num_good: z.number().int(),
      num_bad: z.number().int(),
      is_started: z.boolean(),
      is_finished: z.boolean(),
      all_good: z.boolean().nullable().describe('null until an element has finished'),
      do_wait: z.boolean(),
      do_urgent: z.boolean(),
      do_strict: z.boolean(),
      idle_ms: z.number().nullable().describe('from creation to start; null until started'),
      exec_ms: z.number().nullable().describe('from start to finish; null until finished'),
      created_at: isoTime,
      started_at: isoTime.nullable(),
      finished_at: isoTime.nullable(),
      errors: z.array(z.object({ id: z.number().int().describe('the image id'), msg: z.string() })),
    })
    .describe('Seed 004: an operation and its progress'),
);

/** seed 001 */
export const DeletedCount = namedBody('DeletedCount', z.object({ deletedCount: z.number().int() }));

const taskRunStatus = z.enum(Object.values(STATUS_NAME));

export const TaskRunResponse = namedBody(
  'TaskRunResponse',
  z
    .object({
      ID: z.string().describe('The run id'),
      Status: taskRunStatus,
      Link: z.string().describe('GET it for the run (/runs/{id})'),
      Message: z.array(z.string()).nullable().describe('The fail message (as the fail-message rules word it)'),
      Result: z.unknown().describe("The task's output"),
    })
    .describe('Seed 001: a task run with system data'),
);

export const TaskRunOutput = namedBody(
  'TaskRunOutput',
  z
    .union([TaskRunResponse.schema, z.unknown()])
    .describe('With "Include system data in response": a TaskRunResponse; without: the bare result'),
);

export const TaskRun = namedBody(
  'TaskRun',
  z
    .object({
      ID: z.string(),
      Status: taskRunStatus,
      Link: z.string(),
      Message: z.array(z.string()).nullable(),
      Result: z.unknown().describe('The output, when "Save output data" kept it'),
      Input: z.unknown().describe('The input, as "Save input data" kept it'),
      StartedAt: isoTime,
      FinishedAt: isoTime.nullable(),
    })
    .describe('Seed 001: a task run as it was kept'),
);
