// Seed 001's endpoint configuration as pure functions: validating the DELETE tab, converting
// input to the input schema's types, choosing the fail message, shaping the output. No I/O.
import { z } from 'zod';
import { RESERVED_SEGMENTS } from '../util/reserved-segments.js';
import { ValidationError } from './errors.js';

export const FIELD_TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'GUID', 'DATETIME'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export const STEP_KINDS = ['SELECT_RECORDS', 'DELETE_RECORDS', 'HTTP_REQUEST', 'FAIL', 'SCRIPT'] as const;
export type TaskStepKind = (typeof STEP_KINDS)[number];
export type SaveInputData = 'NEVER' | 'ON_ERROR' | 'ALWAYS';

export interface EndpointPath {
  company: string;
  group: string;
  endpoint: string;
}

export interface SchemaField {
  name: string;
  type: FieldType;
  required: boolean;
}

export interface FailCondition {
  type: 'EQUALS' | 'CONTAINS';
  value: string;
}

export interface FailMessage {
  rules: { conditions: FailCondition[]; message: string }[];
  defaultMessage: string | null;
}

export type StepConfig =
  | { kind: 'SELECT_RECORDS'; where: Record<string, string> }
  | { kind: 'DELETE_RECORDS' }
  | { kind: 'HTTP_REQUEST'; url: string; method: 'POST' | 'PUT' | 'DELETE'; timeoutMs: number }
  | { kind: 'FAIL'; message: string; sensitive: boolean }
  | { kind: 'SCRIPT'; language: string; source: string };

export type TaskStep = { name: string } & StepConfig;

/** The validated DELETE tab, stored as JSON on the endpoint. */
export interface DeleteMethod {
  input: { schema: SchemaField[]; queryParams: { param: string; field: string }[] | null };
  task: { steps: TaskStep[]; saveInputData: SaveInputData; failMessage: FailMessage | null } | null;
  output: {
    schema: SchemaField[] | null;
    saveOutputData: boolean;
    includeSystemData: boolean;
    outputStep: string | null;
    mapping: { from: string; to: string }[] | null;
  };
}

/** What configureEndpoint receives (the GraphQL input, nulls where the client left a field out). */
export interface DeleteMethodInput {
  input?: { schema: SchemaFieldInput[]; queryParams?: { param: string; field: string }[] | null } | null;
  task?: {
    steps: { name: string; kind: TaskStepKind; config?: unknown }[];
    saveInputData?: SaveInputData | null;
    failMessage?: { rules: { conditions: FailCondition[]; message: string }[]; defaultMessage?: string | null } | null;
  } | null;
  output?: {
    schema?: SchemaFieldInput[] | null;
    saveOutputData?: boolean | null;
    includeSystemData?: boolean | null;
    outputStep?: string | null;
    mapping?: { from: string; to: string }[] | null;
  } | null;
}

type SchemaFieldInput = { name: string; type: FieldType; required?: boolean | null };

const SLUG = /^[a-z0-9-]{1,64}$/;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)$/;
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const MAX_STEPS = 50;
const MAX_HTTP_TIMEOUT_MS = 30_000;

/** A GUID in its canonical lower-case form, or null. */
export function parseGuid(raw: string): string | null {
  return GUID.test(raw) ? raw.toLowerCase() : null;
}

/** The path's problem as a ValidationError naming the part, or null when every part is a slug. */
export function pathProblem(path: EndpointPath, field = 'path'): ValidationError | null {
  for (const part of ['company', 'group', 'endpoint'] as const) {
    if (!SLUG.test(path[part])) {
      return new ValidationError(`${field}.${part} must be a slug: 1 to 64 of a-z, 0-9 and -`, `${field}.${part}`);
    }
  }
  if (RESERVED_SEGMENTS.has(path.company)) {
    return new ValidationError(`${field}.company "${path.company}" is reserved for other routes`, `${field}.company`);
  }
  return null;
}

export const pathText = (p: EndpointPath) => `${p.company}/${p.group}/${p.endpoint}`;

const stepConfigSchemas = {
  SELECT_RECORDS: z.strictObject({ where: z.record(z.string().regex(FIELD_NAME), z.string()).default({}) }),
  DELETE_RECORDS: z.strictObject({}),
  HTTP_REQUEST: z.strictObject({
    url: z.url({ protocol: /^https?$/ }),
    method: z.enum(['POST', 'PUT', 'DELETE']).default('POST'),
    timeoutMs: z.number().int().min(1).max(MAX_HTTP_TIMEOUT_MS).default(5000),
  }),
  FAIL: z.strictObject({ message: z.string().min(1), sensitive: z.boolean().default(false) }),
  SCRIPT: z.strictObject({ language: z.string().min(1), source: z.string().min(1) }),
} satisfies Record<TaskStepKind, z.ZodType>;

function validateSchema(fields: SchemaFieldInput[], at: string): SchemaField[] | ValidationError {
  const seen = new Set<string>();
  for (const [i, f] of fields.entries()) {
    if (!FIELD_NAME.test(f.name)) {
      return new ValidationError(`${at}[${i}].name must be a name of letters, digits and _`, `${at}[${i}].name`);
    }
    if (seen.has(f.name)) return new ValidationError(`${at} names ${f.name} twice`, `${at}[${i}].name`);
    seen.add(f.name);
  }
  return fields.map((f) => ({ name: f.name, type: f.type, required: f.required ?? false }));
}

/** Validates the DELETE tab; the first problem is a ValidationError whose `field` is its input path. */
export function validateDeleteMethod(input: DeleteMethodInput): DeleteMethod | ValidationError {
  const inputSchema = validateSchema(input.input?.schema ?? [], 'delete.input.schema');
  if (inputSchema instanceof ValidationError) return inputSchema;
  const inputFields = new Set(inputSchema.map((f) => f.name));
  const queryParams = input.input?.queryParams ?? null;
  const mappedFields = new Set<string>();
  for (const [i, m] of (queryParams ?? []).entries()) {
    const at = `delete.input.queryParams[${i}]`;
    if (m.param.length === 0) return new ValidationError(`${at}.param must not be empty`, `${at}.param`);
    if (!inputFields.has(m.field)) {
      return new ValidationError(`${at}.field "${m.field}" is not a field of the input schema`, `${at}.field`);
    }
    if (mappedFields.has(m.field))
      return new ValidationError(`${at}.field "${m.field}" is mapped twice`, `${at}.field`);
    mappedFields.add(m.field);
  }

  let task: DeleteMethod['task'] = null;
  if (input.task) {
    if (input.task.steps.length === 0 || input.task.steps.length > MAX_STEPS) {
      return new ValidationError(`delete.task.steps must have 1 to ${MAX_STEPS} steps`, 'delete.task.steps');
    }
    const steps: TaskStep[] = [];
    for (const [i, s] of input.task.steps.entries()) {
      const at = `delete.task.steps[${i}]`;
      if (s.name.trim().length === 0 || s.name.length > 100) {
        return new ValidationError(`${at}.name must be 1 to 100 characters`, `${at}.name`);
      }
      if (steps.some((x) => x.name === s.name))
        return new ValidationError(`${at}.name "${s.name}" is used twice`, `${at}.name`);
      const schema = stepConfigSchemas[s.kind];
      if (!schema) return new ValidationError(`${at}.kind "${String(s.kind)}" is not a known step kind`, `${at}.kind`);
      const parsed = schema.safeParse(s.config ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const where = [`${at}.config`, ...issue.path.map(String)].join('.');
        return new ValidationError(`${where}: ${issue.message}`, where);
      }
      const step = { name: s.name, kind: s.kind, ...parsed.data } as TaskStep;
      if (step.kind === 'SELECT_RECORDS') {
        for (const [recordField, inputField] of Object.entries(step.where)) {
          if (!inputFields.has(inputField)) {
            const where = `${at}.config.where.${recordField}`;
            return new ValidationError(`${where}: "${inputField}" is not a field of the input schema`, where);
          }
        }
      }
      if (step.kind === 'DELETE_RECORDS' && steps.at(-1)?.kind !== 'SELECT_RECORDS') {
        return new ValidationError(`${at}: DELETE_RECORDS must follow a SELECT_RECORDS step`, `${at}.kind`);
      }
      steps.push(step);
    }
    let failMessage: FailMessage | null = null;
    if (input.task.failMessage) {
      const fm = input.task.failMessage;
      for (const [i, rule] of fm.rules.entries()) {
        const at = `delete.task.failMessage.rules[${i}]`;
        if (rule.conditions.length === 0) {
          return new ValidationError(`${at}.conditions must have at least one condition`, `${at}.conditions`);
        }
        for (const [j, c] of rule.conditions.entries()) {
          if (c.value.length === 0) {
            return new ValidationError(
              `${at}.conditions[${j}].value must not be empty`,
              `${at}.conditions[${j}].value`,
            );
          }
        }
        if (rule.message.length === 0) return new ValidationError(`${at}.message must not be empty`, `${at}.message`);
      }
      if (fm.defaultMessage === '') {
        return new ValidationError(
          'delete.task.failMessage.defaultMessage must not be empty (leave it out for no default)',
          'delete.task.failMessage.defaultMessage',
        );
      }
      failMessage = {
        rules: fm.rules.map((r) => ({ conditions: r.conditions.map((c) => ({ ...c })), message: r.message })),
        defaultMessage: fm.defaultMessage ?? null,
      };
    }
    task = { steps, saveInputData: input.task.saveInputData ?? 'NEVER', failMessage };
  }

  const out = input.output ?? {};
  const outputSchema = out.schema ? validateSchema(out.schema, 'delete.output.schema') : null;
  if (outputSchema instanceof ValidationError) return outputSchema;
  const outputStep = out.outputStep ?? null;
  if (outputStep !== null && !task?.steps.some((s) => s.name === outputStep)) {
    return new ValidationError(
      `delete.output.outputStep "${outputStep}" is not a step of the task`,
      'delete.output.outputStep',
    );
  }
  const mapping = out.mapping ?? null;
  const mappedTo = new Set<string>();
  for (const [i, m] of (mapping ?? []).entries()) {
    const at = `delete.output.mapping[${i}]`;
    if (m.from.length === 0) return new ValidationError(`${at}.from must not be empty`, `${at}.from`);
    if (!FIELD_NAME.test(m.to))
      return new ValidationError(`${at}.to must be a name of letters, digits and _`, `${at}.to`);
    if (outputSchema && !outputSchema.some((f) => f.name === m.to)) {
      return new ValidationError(`${at}.to "${m.to}" is not a field of the output schema`, `${at}.to`);
    }
    if (mappedTo.has(m.to)) return new ValidationError(`${at}.to "${m.to}" is mapped twice`, `${at}.to`);
    mappedTo.add(m.to);
  }
  return {
    input: { schema: inputSchema, queryParams },
    task,
    output: {
      schema: outputSchema,
      saveOutputData: out.saveOutputData ?? false,
      includeSystemData: out.includeSystemData ?? true,
      outputStep,
      mapping,
    },
  };
}

// ---- input conversion ------------------------------------------------------------------------

/** One value converted to a field's type: JSON-ready (a DATETIME becomes its ISO string), or null when it does not convert. */
export function convertValue(type: FieldType, value: unknown): string | number | boolean | null {
  switch (type) {
    case 'STRING':
      // the input is stored and compared as jsonb, which cannot hold U+0000
      return typeof value === 'string' && !value.includes('\u0000') ? value : null;
    case 'NUMBER':
      if (typeof value === 'number') return Number.isFinite(value) ? value : null;
      return typeof value === 'string' && NUMBER.test(value) && Number.isFinite(Number(value)) ? Number(value) : null;
    case 'BOOLEAN':
      if (typeof value === 'boolean') return value;
      return value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : null;
    case 'GUID':
      return typeof value === 'string' ? parseGuid(value) : null;
    case 'DATETIME': {
      if (typeof value !== 'string' || !ISO_DATETIME.test(value)) return null;
      const t = Date.parse(value);
      return Number.isNaN(t) ? null : new Date(t).toISOString();
    }
  }
}

export type InputObject = Record<string, string | number | boolean>;

/**
 * The task's input from query parameters: each field from its mapped parameter (or the
 * parameter of its own name without a mapping), converted to its type. Parameters the mapping
 * does not name are ignored; a repeated one, one that does not convert or a missing required
 * field is a ValidationError naming the field.
 */
export function inputFromQuery(method: DeleteMethod, query: URLSearchParams): InputObject | ValidationError {
  const paramOf = new Map((method.input.queryParams ?? []).map((m) => [m.field, m.param]));
  const raw: Record<string, string> = {};
  for (const field of method.input.schema) {
    const param = method.input.queryParams ? paramOf.get(field.name) : field.name;
    if (param === undefined) continue;
    const values = query.getAll(param);
    if (values.length > 1) {
      return new ValidationError(`Query parameter '${param}' (field '${field.name}') must be given once`, field.name);
    }
    if (values.length === 1) raw[field.name] = values[0]!;
  }
  return convertInput(method, raw, (field) => {
    const param = method.input.queryParams ? paramOf.get(field) : field;
    return param === undefined ? `field '${field}'` : `query parameter '${param}' (field '${field}')`;
  });
}

/** The task's input from a JSON object keyed by the input schema's field names (GraphQL). */
export function inputFromJson(method: DeleteMethod, value: unknown): InputObject | ValidationError {
  if (value === null || value === undefined) return convertInput(method, {}, (f) => `field '${f}'`);
  if (typeof value !== 'object' || Array.isArray(value)) {
    return new ValidationError('input must be an object keyed by the input schema field names', 'input');
  }
  const known = new Set(method.input.schema.map((f) => f.name));
  const unknown = Object.keys(value).find((k) => !known.has(k));
  if (unknown !== undefined) return new ValidationError(`input.${unknown} is not a field of the input schema`, unknown);
  return convertInput(method, value as Record<string, unknown>, (f) => `field '${f}'`);
}

function convertInput(
  method: DeleteMethod,
  raw: Record<string, unknown>,
  describe: (field: string) => string,
): InputObject | ValidationError {
  const out: InputObject = {};
  for (const field of method.input.schema) {
    const value = raw[field.name];
    // An empty value is no value, except for an optional STRING, where it is the empty string.
    if (value === undefined || value === null || (value === '' && (field.required || field.type !== 'STRING'))) {
      if (field.required) return new ValidationError(`${capitalize(describe(field.name))} is required`, field.name);
      continue;
    }
    const converted = convertValue(field.type, value);
    if (converted === null) {
      const shown = JSON.stringify(typeof value === 'string' ? value.slice(0, 60) : value);
      return new ValidationError(
        `${capitalize(describe(field.name))}: ${shown} is not a ${field.type}${TYPE_HINT[field.type]}`,
        field.name,
      );
    }
    out[field.name] = converted;
  }
  return out;
}

const TYPE_HINT: Record<FieldType, string> = {
  STRING: ' (text without the NUL character)',
  NUMBER: ' (a decimal number)',
  BOOLEAN: ' (true, false, 1 or 0)',
  GUID: ' (8-4-4-4-12 hex digits)',
  DATETIME: ' (ISO 8601 with a time zone, e.g. 2026-01-31T12:00:00Z)',
};

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// ---- fail messages -------------------------------------------------------------------------

/** A step's (or the run's) failure: its own message, and whether that message is sensitive. */
export interface Failure {
  step: string | null;
  kind: TaskStepKind | 'OUTPUT';
  message: string;
  sensitive: boolean;
  /** FailedConnector: a connector step failed; Failed: the platform refused the run */
  connector: boolean;
}

/** The platform's own message: names the failing step and quotes its message, unless sensitive. */
export function platformMessage(f: Failure): string {
  const where = f.step === null ? 'The task output' : `Step "${f.step}" (${f.kind})`;
  if (f.sensitive) return `${where} failed; the details are sensitive and were logged, not returned`;
  return `${where} failed: ${f.message}`;
}

export function ruleMatches(rule: FailMessage['rules'][number], message: string): boolean {
  return rule.conditions.every((c) => (c.type === 'EQUALS' ? message === c.value : message.includes(c.value)));
}

/**
 * The message the client gets: the first rule whose conditions all hold on the failure's own
 * message, else the default action, else the platform message. A sensitive failure never meets
 * the rules: it always gets the generic platform message.
 */
export function clientFailMessage(config: FailMessage | null, failure: Failure): string {
  if (failure.sensitive || !config) return platformMessage(failure);
  const rule = config.rules.find((r) => ruleMatches(r, failure.message));
  if (rule) return rule.message;
  return config.defaultMessage ?? platformMessage(failure);
}

// ---- output ----------------------------------------------------------------------------------

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Picks and renames fields: of the result, or of each element when it is a list. */
export function applyOutputMapping(result: unknown, mapping: { from: string; to: string }[] | null): unknown {
  if (!mapping) return result;
  const mapOne = (v: unknown) =>
    isPlainObject(v) ? Object.fromEntries(mapping.filter((m) => m.from in v).map((m) => [m.to, v[m.from]])) : v;
  return Array.isArray(result) ? result.map(mapOne) : mapOne(result);
}

/**
 * Checks the result (an object, or each element of a list) against the output schema and keeps
 * only its fields; the first mismatch is a message.
 */
export function applyOutputSchema(
  result: unknown,
  schema: SchemaField[] | null,
): { value: unknown } | { mismatch: string } {
  if (!schema) return { value: result };
  const checkOne = (v: unknown, at: string): { value: unknown } | { mismatch: string } => {
    if (!isPlainObject(v)) return { mismatch: `${at} is not an object` };
    const out: Record<string, unknown> = {};
    for (const field of schema) {
      const value = v[field.name];
      if (value === undefined || value === null) {
        if (field.required) return { mismatch: `${at}.${field.name} is required by the output schema` };
        continue;
      }
      if (!matchesType(field.type, value)) return { mismatch: `${at}.${field.name} is not a ${field.type}` };
      out[field.name] = value;
    }
    return { value: out };
  };
  if (!Array.isArray(result)) return checkOne(result, 'result');
  const values: unknown[] = [];
  for (const [i, v] of result.entries()) {
    const checked = checkOne(v, `result[${i}]`);
    if ('mismatch' in checked) return checked;
    values.push(checked.value);
  }
  return { value: values };
}

function matchesType(type: FieldType, value: unknown): boolean {
  switch (type) {
    case 'STRING':
      return typeof value === 'string';
    case 'NUMBER':
      return typeof value === 'number';
    case 'BOOLEAN':
      return typeof value === 'boolean';
    case 'GUID':
    case 'DATETIME':
      return typeof value === 'string' && convertValue(type, value) !== null;
  }
}

/** Status names of the seed's response body. */
export const STATUS_NAME = {
  FINISHED_SUCCESS: 'FinishedSuccess',
  FAILED_CONNECTOR: 'FailedConnector',
  FAILED: 'Failed',
} as const;
export type RunStatus = keyof typeof STATUS_NAME;

/** The response body: with system data `{ID, Status, Link, Message, Result}`, otherwise the bare result; a failure always has the system fields. */
export function responseBody(
  run: { id: string; status: RunStatus; message: string[] | null; result: unknown },
  includeSystemData: boolean,
): unknown {
  if (!includeSystemData && run.status === 'FINISHED_SUCCESS') return run.result ?? null;
  return {
    ID: run.id,
    Status: STATUS_NAME[run.status],
    Link: `/runs/${run.id}`,
    Message: run.message,
    Result: run.result ?? null,
  };
}
