import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  applyOutputMapping,
  applyOutputSchema,
  clientFailMessage,
  convertValue,
  type DeleteMethod,
  type DeleteMethodInput,
  type Failure,
  inputFromJson,
  inputFromQuery,
  pathProblem,
  responseBody,
  validateDeleteMethod,
} from '../src/services/endpoint-config.js';
import { ValidationError } from '../src/services/errors.js';

// Seed 001's configuration rules as pure functions: milliseconds, no server.

const valid: DeleteMethodInput = {
  input: {
    schema: [
      { name: 'Lang', type: 'STRING' },
      { name: 'Name', type: 'STRING', required: true },
    ],
  },
  task: {
    steps: [
      { name: 'select', kind: 'SELECT_RECORDS', config: { where: { name: 'Name' } } },
      { name: 'delete', kind: 'DELETE_RECORDS' },
    ],
  },
};

const method = (input: DeleteMethodInput = valid) => {
  const m = validateDeleteMethod(input);
  if (m instanceof ValidationError) throw m;
  return m;
};

const fieldOf = (r: unknown) => (r instanceof ValidationError ? r.field : `not an error: ${JSON.stringify(r)}`);

describe('configuration validation', () => {
  it('fills the defaults: save input NEVER, system data ON, output step the last, queryParams by field name', () => {
    const m = method();
    expect(m.task!.saveInputData).toBe('NEVER');
    expect(m.task!.failMessage).toBeNull();
    expect(m.output).toEqual({
      schema: null,
      saveOutputData: false,
      includeSystemData: true,
      outputStep: null,
      mapping: null,
    });
    expect(m.input.schema[0]).toEqual({ name: 'Lang', type: 'STRING', required: false });
  });

  it.each<[string, DeleteMethodInput, string]>([
    [
      'a query mapping to a field not in the schema',
      { ...valid, input: { ...valid.input!, queryParams: [{ param: 'n', field: 'Nope' }] } },
      'delete.input.queryParams[0].field',
    ],
    ['an unknown step kind', { task: { steps: [{ name: 'x', kind: 'EVAL' as never }] } }, 'delete.task.steps[0].kind'],
    [
      'a step config with an unknown key',
      { task: { steps: [{ name: 'x', kind: 'FAIL', config: { message: 'm', code: 'js' } }] } },
      'delete.task.steps[0].config',
    ],
    [
      'an HTTP_REQUEST without a URL',
      { task: { steps: [{ name: 'x', kind: 'HTTP_REQUEST', config: {} }] } },
      'delete.task.steps[0].config.url',
    ],
    [
      'a selection on an input field that does not exist',
      { task: { steps: [{ name: 's', kind: 'SELECT_RECORDS', config: { where: { a: 'Missing' } } }] } },
      'delete.task.steps[0].config.where.a',
    ],
    [
      'DELETE_RECORDS without a selection before it',
      { task: { steps: [{ name: 'd', kind: 'DELETE_RECORDS' }] } },
      'delete.task.steps[0].kind',
    ],
    [
      'two steps of one name',
      {
        task: {
          steps: [
            { name: 'a', kind: 'FAIL', config: { message: 'x' } },
            { name: 'a', kind: 'FAIL', config: { message: 'y' } },
          ],
        },
      },
      'delete.task.steps[1].name',
    ],
    ['an output step that does not exist', { ...valid, output: { outputStep: 'nope' } }, 'delete.output.outputStep'],
    [
      'an output mapping to a field not in the output schema',
      {
        ...valid,
        output: { schema: [{ name: 'count', type: 'NUMBER' }], mapping: [{ from: 'deletedCount', to: 'n' }] },
      },
      'delete.output.mapping[0].to',
    ],
    [
      'an empty condition list',
      { ...valid, task: { ...valid.task!, failMessage: { rules: [{ conditions: [], message: 'm' }] } } },
      'delete.task.failMessage.rules[0].conditions',
    ],
    [
      'an empty condition value',
      {
        ...valid,
        task: {
          ...valid.task!,
          failMessage: { rules: [{ conditions: [{ type: 'CONTAINS', value: '' }], message: 'm' }] },
        },
      },
      'delete.task.failMessage.rules[0].conditions[0].value',
    ],
    ['no steps', { task: { steps: [] } }, 'delete.task.steps'],
    [
      'a schema field named twice',
      {
        input: {
          schema: [
            { name: 'a', type: 'STRING' },
            { name: 'a', type: 'NUMBER' },
          ],
        },
      },
      'delete.input.schema[1].name',
    ],
  ])('refuses %s, naming the field', (_what, input, field) => {
    expect(fieldOf(validateDeleteMethod(input))).toBe(field);
  });

  it.each([
    [{ company: 'Acme', group: 'g', endpoint: 'e' }, 'path.company'],
    [{ company: 'acme', group: 'g/h', endpoint: 'e' }, 'path.group'],
    [{ company: 'acme', group: 'g', endpoint: '' }, 'path.endpoint'],
    [{ company: 'files', group: 'g', endpoint: 'e' }, 'path.company'],
    [{ company: 'runs', group: 'g', endpoint: 'e' }, 'path.company'],
  ])('refuses the path %j', (path, field) => {
    expect(pathProblem(path)?.field).toBe(field);
  });

  it("README's complete configuration example is valid", () => {
    const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('A complete configuration (GraphQL variables of `configureEndpoint`):');
    const block = /```json\n([\s\S]*?)```/.exec(readme.slice(start))![1]!;
    const { input } = JSON.parse(block) as { input: { path: never; delete: DeleteMethodInput } };
    expect(pathProblem(input.path)).toBeNull();
    const m = validateDeleteMethod(input.delete);
    expect(m).not.toBeInstanceOf(ValidationError);
    expect((m as DeleteMethod).task!.steps.map((s) => s.kind)).toEqual([
      'SELECT_RECORDS',
      'DELETE_RECORDS',
      'HTTP_REQUEST',
    ]);
  });

  it('accepts slugs', () => {
    expect(pathProblem({ company: 'acme-1', group: 'hr', endpoint: 'people' })).toBeNull();
  });
});

describe('query parameters converted to the input schema', () => {
  const typed = method({
    input: {
      schema: [
        { name: 'Text', type: 'STRING' },
        { name: 'Count', type: 'NUMBER' },
        { name: 'Flag', type: 'BOOLEAN' },
        { name: 'Id', type: 'GUID' },
        { name: 'At', type: 'DATETIME' },
        { name: 'Need', type: 'STRING', required: true },
      ],
      queryParams: [
        { param: 't', field: 'Text' },
        { param: 'c', field: 'Count' },
        { param: 'f', field: 'Flag' },
        { param: 'id', field: 'Id' },
        { param: 'at', field: 'At' },
        { param: 'need', field: 'Need' },
      ],
    },
  });
  const q = (s: string) => inputFromQuery(typed, new URLSearchParams(s));

  it('converts every type through the mapping', () => {
    expect(
      q('t=hi&c=-2.5&f=1&id=1FA2BD26-B1B0-4514-A81E-9B4EB78499E1&at=2026-01-31T12:00:00%2B01:00&need=x&other=ignored'),
    ).toEqual({
      Text: 'hi',
      Count: -2.5,
      Flag: true,
      Id: '1fa2bd26-b1b0-4514-a81e-9b4eb78499e1',
      At: '2026-01-31T11:00:00.000Z',
      Need: 'x',
    });
  });

  it.each([
    ['c=abc&need=x', 'Count'],
    ['c=1e999&need=x', 'Count'],
    ['f=yes&need=x', 'Flag'],
    ['id=123&need=x', 'Id'],
    ['at=2026-01-31&need=x', 'At'],
    ['at=2026-13-45T00:00:00Z&need=x', 'At'],
    ['t=a&t=b&need=x', 'Text'],
    ['t=a', 'Need'],
    ['need=', 'Need'],
  ])('%s is refused naming %s', (query, field) => {
    const r = q(query);
    expect(fieldOf(r)).toBe(field);
  });

  it('the message names the parameter and the field', () => {
    expect((q('c=abc&need=x') as ValidationError).message).toContain(
      "Query parameter 'c' (field 'Count'): \"abc\" is not a NUMBER",
    );
    expect((q('') as ValidationError).message).toBe("Query parameter 'need' (field 'Need') is required");
  });

  it('without a mapping each field reads the parameter of its own name (the seed: ?Lang=en&Name=John)', () => {
    expect(inputFromQuery(method(), new URLSearchParams('Lang=en&Name=John'))).toEqual({ Lang: 'en', Name: 'John' });
  });

  it('a JSON input (GraphQL) takes native values or strings, and refuses unknown fields', () => {
    expect(inputFromJson(typed, { Count: 3, Flag: 'false', Need: 'x' })).toEqual({ Count: 3, Flag: false, Need: 'x' });
    expect(fieldOf(inputFromJson(typed, { Need: 'x', Extra: 1 }))).toBe('Extra');
    expect(fieldOf(inputFromJson(typed, { Need: 5 }))).toBe('Need');
    expect(fieldOf(inputFromJson(typed, null))).toBe('Need');
  });

  it('convertValue keeps to the types', () => {
    expect(convertValue('NUMBER', '007')).toBeNull();
    expect(convertValue('NUMBER', '0.5')).toBe(0.5);
    expect(convertValue('BOOLEAN', '0')).toBe(false);
    expect(convertValue('STRING', 3)).toBeNull();
  });
});

describe('fail-message rules', () => {
  const failure = (message: string, sensitive = false): Failure => ({
    step: 'call',
    kind: 'HTTP_REQUEST',
    message,
    sensitive,
    connector: true,
  });
  const config = {
    rules: [
      {
        conditions: [
          { type: 'CONTAINS' as const, value: 'Attempt' },
          { type: 'CONTAINS' as const, value: 'timeout' },
        ],
        message: 'both',
      },
      { conditions: [{ type: 'EQUALS' as const, value: 'Attempt failed' }], message: 'equals' },
      {
        conditions: [{ type: 'CONTAINS' as const, value: 'Attempt' }],
        message: "Custom message triggered when the word 'Attempt' is found.",
      },
    ],
    defaultMessage: 'default',
  };

  it.each([
    ['Attempt 3: timeout', 'both'],
    ['Attempt failed', 'equals'],
    ['Attempt failed!', "Custom message triggered when the word 'Attempt' is found."],
    ['Nothing to see', 'default'],
  ])('%s -> %s (first matching rule, all its conditions hold)', (message, expected) => {
    expect(clientFailMessage(config, failure(message))).toBe(expected);
  });

  it('AND with one condition false does not match', () => {
    const one = { rules: [config.rules[0]!], defaultMessage: null };
    expect(clientFailMessage(one, failure('Attempt 3'))).toBe('Step "call" (HTTP_REQUEST) failed: Attempt 3');
  });

  it('no rule and no default: the platform message, which names the step and quotes its message', () => {
    expect(clientFailMessage({ rules: [], defaultMessage: null }, failure('boom'))).toBe(
      'Step "call" (HTTP_REQUEST) failed: boom',
    );
    expect(clientFailMessage(null, failure('boom'))).toBe('Step "call" (HTTP_REQUEST) failed: boom');
  });

  it('a sensitive failure never meets the rules and its text never appears', () => {
    const text = clientFailMessage(config, failure('Attempt SELECT secret FROM t', true));
    expect(text).not.toContain('secret');
    expect(text).toBe('Step "call" (HTTP_REQUEST) failed; the details are sensitive and were logged, not returned');
  });
});

describe('output', () => {
  it('mapping picks and renames fields, per element of a list', () => {
    const mapping = [{ from: 'deletedCount', to: 'count' }];
    expect(applyOutputMapping({ deletedCount: 2, ids: ['a'] }, mapping)).toEqual({ count: 2 });
    expect(applyOutputMapping([{ name: 'Bob', x: 1 }], [{ from: 'name', to: 'hello' }])).toEqual([{ hello: 'Bob' }]);
    expect(applyOutputMapping({ a: 1 }, null)).toEqual({ a: 1 });
  });

  it('the schema checks types and required fields, and keeps only its fields', () => {
    const schema: DeleteMethod['output']['schema'] = [
      { name: 'count', type: 'NUMBER', required: true },
      { name: 'when', type: 'DATETIME', required: false },
    ];
    expect(applyOutputSchema({ count: 1, extra: true }, schema)).toEqual({ value: { count: 1 } });
    expect(applyOutputSchema({ count: '1' }, schema)).toEqual({ mismatch: 'result.count is not a NUMBER' });
    expect(applyOutputSchema([{ count: 1 }, {}], schema)).toEqual({
      mismatch: 'result[1].count is required by the output schema',
    });
    expect(applyOutputSchema({ count: 1, when: 'yesterday' }, schema)).toEqual({
      mismatch: 'result.when is not a DATETIME',
    });
  });

  it('system data ON wraps the result; OFF answers it bare; a failure always has the system fields', () => {
    const run = { id: 'r1', status: 'FINISHED_SUCCESS' as const, message: null, result: [{ hello: 'Bob' }] };
    expect(responseBody(run, true)).toEqual({
      ID: 'r1',
      Status: 'FinishedSuccess',
      Link: '/runs/r1',
      Message: null,
      Result: [{ hello: 'Bob' }],
    });
    expect(responseBody(run, false)).toEqual([{ hello: 'Bob' }]);
    expect(responseBody({ id: 'r2', status: 'FAILED_CONNECTOR', message: ['m'], result: null }, false)).toEqual({
      ID: 'r2',
      Status: 'FailedConnector',
      Link: '/runs/r2',
      Message: ['m'],
      Result: null,
    });
  });
});
