import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import {
  buildSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
} from 'graphql';
import { RESERVED_SEGMENTS } from '../../src/util/reserved-segments.js';
import { encodeHead, header, type RawRequest, type RawResponse } from './raw-http.js';

// The hostile client of the fuzz test: seeded fast-check generators of requests to every REST
// route and every GraphQL root field (malformed JSON, wrong types, huge strings and arrays, deep
// nesting, bad ids, bad percent-encoding, bad headers, bad multipart bodies), and the checks
// every answer must pass. Pure: no sockets here (test/support/raw-http.ts sends them).

type G = fc.GeneratorValue;

/** How a REST route words its errors (src/http/rest-routes.ts), or what else answers a path. */
export type AnswerShape = 'detail' | 'success-error' | 'success-false' | 'graphql' | 'json' | 'any';

export interface FuzzRequest extends RawRequest {
  /** what was aimed at: `REST DELETE /imgs/{image_id}`, `GraphQL mutation deleteImage`, ... */
  family: string;
  shape: AnswerShape;
  /** the HTTP framing itself is broken: the server's HTTP parser may answer with a bare 400 */
  malformedHttp?: boolean;
}

/** The data a run creates first, so that some generated ids and paths name real things. */
export interface FuzzFixtures {
  adminKey: string;
  /** keys with a single scope each, and one revoked key */
  scopedKeys: string[];
  revokedKey: string;
  /** ids of keys made for the fuzzer to revoke (never the admin key) */
  revocableKeyIds: string[];
  workspaceIds: string[];
  resourceIds: string[];
  datasetIds: string[];
  shares: Array<{ id: string; token: string }>;
  imageIds: string[];
  operationIds: string[];
  requestIds: string[];
  runIds: string[];
  recordIds: string[];
  endpoints: Array<{ company: string; group: string; endpoint: string }>;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The committed schema (checked fresh by generated-files.test.ts): the fuzzer's map of operations. */
export function loadSchema(): GraphQLSchema {
  return buildSchema(fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8'));
}

export type OperationKind = 'query' | 'mutation' | 'subscription';

/** Every root field of the schema, with its operation kind. */
export function rootFields(
  schema: GraphQLSchema,
): Array<{ kind: OperationKind; field: GraphQLField<unknown, unknown> }> {
  const of = (kind: OperationKind, type: ReturnType<GraphQLSchema['getQueryType']>) =>
    Object.values(type?.getFields() ?? {}).map((field) => ({ kind, field }));
  return [
    ...of('query', schema.getQueryType()),
    ...of('mutation', schema.getMutationType()),
    ...of('subscription', schema.getSubscriptionType()),
  ];
}

// ---------------------------------------------------------------------------------------------
// Leaf values

const pick = <T>(g: G, items: readonly T[]): T => g(() => fc.constantFrom(...items));
/** true with probability p (in thousandths, so a shrink goes to the common case) */
const chance = (g: G, p: number) => g(fc.integer, { min: 0, max: 999 }) >= 1000 - p * 1000;
const int = (g: G, min: number, max: number) => g(fc.integer, { min, max });

/** Strings that have broken parsers, ORMs and routers before. */
const NASTY = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\t\r\n',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  '9007199254740993',
  "' OR '1'='1",
  "'; DROP TABLE api_keys; --",
  '"; --',
  '\\',
  '\\u0000',
  '"',
  '%',
  '%00',
  '%ZZ',
  '%E0%A4%A',
  '%C3%28',
  '%ED%A0%80',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '\ud800',
  '\udfff\ud800',
  '😀',
  '\u202e\u0041',
  'ÿþ',
  '<script>alert(1)</script>',
  `$${'{'}7*7}`,
  '{{7*7}}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'op_',
  'ds_',
  'dsx_',
  'wks_',
  'all',
  'graphql',
  '$1',
  '?',
  '#',
  '/',
  '//',
  'a/b',
  '*',
];

/** 5 KB to 200 KB; now and then past MAX_REQUEST_BYTES (1 MB in the fuzz test). */
const hugeString = (g: G) =>
  pick(g, ['x', 'é', '😀', '\u0000', '%', '[', '{"a":']).repeat(chance(g, 0.03) ? 1_100_000 : int(g, 5_000, 200_000));

/** Any text: nasty, random (binary planes included) or huge. */
export function text(g: G): string {
  const roll = int(g, 0, 99);
  if (roll < 35) return pick(g, NASTY);
  // U+0000 inside ordinary text: PostgreSQL's text and jsonb cannot hold it
  if (roll < 40) return `${g(fc.string, { maxLength: 10 })}\u0000${g(fc.string, { maxLength: 10 })}`;
  if (roll < 60) return g(fc.string, { maxLength: 40 });
  if (roll < 85) return g(fc.string, { unit: 'binary', maxLength: 60 });
  if (roll < 98) return g(fc.string, { unit: 'grapheme', minLength: 100, maxLength: 2000 });
  return hugeString(g);
}

const hex = (g: G, length: number) =>
  g(fc.string, { unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const urlSafe = (g: G, length: number) =>
  g(fc.string, {
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'),
    minLength: length,
    maxLength: length,
  });

/** Ids of every format the gateway uses, near misses of each, and nonsense. */
export function junkId(g: G): string {
  switch (int(g, 0, 15)) {
    case 0:
      return hex(g, 24); // ObjectId
    case 1:
      return hex(g, int(g, 23, 25)).toUpperCase();
    case 2:
      return g(fc.uuid, {});
    case 3:
      return `${g(fc.uuid, {})}x`;
    case 4:
      return `ds_${urlSafe(g, int(g, 15, 17))}`;
    case 5:
      return `op_${urlSafe(g, int(g, 15, 17))}`;
    case 6:
      return String(g(fc.integer, { min: -5, max: 2_000_000 }));
    case 7:
      return pick(g, ['0', '-1', '1.5', '1e3', '0x10', '+1', ' 1', '1 ', '01', '9007199254740992', '1'.repeat(40)]);
    case 8:
      return `pr_${urlSafe(g, 16)}`;
    case 9:
      return `wks_${urlSafe(g, 16)}`;
    case 10:
      return `dsx_${urlSafe(g, 16)}`;
    default:
      return text(g);
  }
}

const SCOPES = [
  'resources:delete',
  'endpoints:delete',
  'parser-results:delete',
  'datasets:delete',
  'images:delete',
  'events:read',
  'admin',
  'platform',
];

const slug = (g: G) =>
  g(fc.string, { unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'), minLength: 1, maxLength: 12 });

function dateTime(g: G): string {
  if (chance(g, 0.6)) return new Date(g(fc.integer, { min: 0, max: 4_102_444_800_000 })).toISOString();
  return pick(g, [
    '2024-02-30T00:00:00Z',
    '2024-01-01',
    '2024-01-01T25:00:00Z',
    'yesterday',
    '0000-00-00T00:00:00Z',
    '+275760-09-13T00:00:00.001Z',
    '-271821-04-19T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '1970-01-01T00:00:00+99:00',
    '2024-01-01T00:00:00.123456789Z',
  ]);
}

/** Nested arrays or objects `depth` deep, as JSON text. */
const deepJson = (depth: number, kind: 'array' | 'object') =>
  kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** A marker replaced by raw JSON text when the request body is written (deep nesting past JSON.stringify). */
const RAW_JSON = '\u0000raw-json\u0000';
const rawJson = (json: string) => ({ [RAW_JSON]: json });

function jsonValue(g: G): unknown {
  const roll = int(g, 0, 99);
  if (roll < 50) return g(fc.jsonValue, { maxDepth: 4 });
  if (roll < 60) return g(fc.object, { maxDepth: 3 });
  if (roll < 70) return rawJson(deepJson(int(g, 100, 20_000), pick(g, ['array', 'object'] as const)));
  if (roll < 78) return Array.from({ length: int(g, 1_000, 50_000) }, (_, i) => i);
  if (roll < 85) return { [pick(g, ['__proto__', 'constructor', 'prototype'])]: { polluted: true } };
  if (roll < 92) return hugeString(g);
  return pick(g, [null, 0, -0, 1e308, -1e308, 5e-324, true, '', [], {}]);
}

/** Anything at all in the place of a value. */
function junkValue(g: G): unknown {
  switch (int(g, 0, 9)) {
    case 0:
      return null;
    case 1:
      return g(fc.integer, {});
    case 2:
      return g(fc.double, { noNaN: true, noDefaultInfinity: true });
    case 3:
      return g(fc.boolean);
    case 4:
      return text(g);
    case 5:
      return [];
    case 6:
      return {};
    case 7:
      return Array.from({ length: int(g, 1, 5) }, () => junkId(g));
    default:
      return jsonValue(g);
  }
}

// ---------------------------------------------------------------------------------------------
// GraphQL documents, schema-directed

/** How truthful a document's values are: each leaf is invalid with this probability. */
const INVALIDITY = { valid: 0, mixed: 0.15, junk: 0.7 } as const;
type Validity = keyof typeof INVALIDITY;

/** Which fixture ids an `ID` argument of a root field takes when it tells the truth. */
const ID_POOLS: Readonly<Record<string, keyof FuzzFixtures>> = {
  resource: 'resourceIds',
  deleteResource: 'resourceIds',
  dataset: 'datasetIds',
  deleteDataset: 'datasetIds',
  restoreDataset: 'datasetIds',
  image: 'imageIds',
  deleteImage: 'imageIds',
  deleteImages: 'imageIds',
  operation: 'operationIds',
  operationUpdated: 'operationIds',
  parserResult: 'requestIds',
  deleteParserResult: 'requestIds',
  endpointTaskRun: 'runIds',
  deleteEndpointRecord: 'recordIds',
  revokeApiKey: 'revocableKeyIds',
  workspaceId: 'workspaceIds',
  references: 'recordIds',
  entityId: 'resourceIds',
};

class DocumentBuilder {
  readonly variableDefinitions: string[] = [];
  readonly variables: Record<string, unknown> = {};
  readonly fragments: string[] = [];
  /** variable paths (`variables.v1.files.0`) that take a File: the multipart `map` targets */
  readonly filePaths: string[] = [];
  private counter = 0;

  constructor(
    private readonly g: G,
    private readonly schema: GraphQLSchema,
    private readonly fixtures: FuzzFixtures,
    private readonly validity: Validity,
  ) {}

  private lies() {
    return INVALIDITY[this.validity] > 0 && chance(this.g, INVALIDITY[this.validity]);
  }

  /** `field(args) { selection }` with an alias now and then. */
  rootSelection(field: GraphQLField<unknown, unknown>): string {
    const g = this.g;
    const alias = chance(g, 0.2) ? `${pick(g, ['a', 'b', field.name, '__typename'])}${int(g, 0, 3)}: ` : '';
    const args = this.arguments(field.args, field.name);
    return `${alias}${field.name}${args}${this.selection(field.type, 0)}`;
  }

  private arguments(args: readonly GraphQLArgument[], owner: string): string {
    const g = this.g;
    const written: string[] = [];
    for (const arg of args) {
      const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
      if (!required && !chance(g, 0.5)) continue;
      if (required && this.lies() && chance(g, 0.3)) continue; // a required argument left out
      written.push(`${arg.name}: ${this.argumentValue(arg.type, arg.name, owner, `variables`)}`);
    }
    if (chance(g, 0.05))
      written.push(`${pick(g, ['nope', 'id', 'first', '__proto__'])}: ${pick(g, ['1', '"x"', 'null'])}`);
    return written.length ? `(${written.join(', ')})` : '';
  }

  /** An argument as a variable (mostly the declared type) or as a literal. */
  private argumentValue(type: GraphQLInputType, name: string, owner: string, base: string): string {
    const g = this.g;
    const asVariable = hasFile(type) || chance(g, 0.5);
    if (!asVariable) {
      if (this.lies() && chance(g, 0.2))
        return pick(g, ['$undeclared', '{', '[1, "a"', '"unterminated', '1.2.3', '@', '{a: {b: {c: [[[', '""""""']);
      return literal(this.inputValue(type, name, owner, 0, null), type);
    }
    const variable = `v${++this.counter}`;
    const declared =
      this.lies() && chance(g, 0.3)
        ? pick(g, ['String', 'Int!', 'ID', '[ID!]!', 'Nope', 'JSON', 'Boolean!', String(type).replace(/!$/, '')])
        : String(type);
    const defaultValue = chance(g, 0.05) ? ` = ${pick(g, ['null', '1', '"x"', '{}', '[]'])}` : '';
    this.variableDefinitions.push(`$${variable}: ${declared}${defaultValue}`);
    if (!(this.lies() && chance(g, 0.2))) {
      this.variables[variable] = this.inputValue(type, name, owner, 0, `${base}.${variable}`);
    }
    return `$${variable}`;
  }

  /** A value for an input type: true to the type, or (as the validity says) not. */
  private inputValue(type: GraphQLInputType, name: string, owner: string, depth: number, at: string | null): unknown {
    const g = this.g;
    if (this.lies()) return junkValue(g);
    if (isNonNullType(type)) return this.inputValue(type.ofType, name, owner, depth, at);
    if (isListType(type)) {
      const roll = int(g, 0, 99);
      if (roll < 5 && !hasFile(type)) {
        // huge, from one short value or counting: generating 30,000 values would be slower than sending them
        const value = chance(g, 0.5) ? this.inputValue(type.ofType, name, owner, depth + 1, null) : null;
        const one = toJson(value).length < 100 ? value : null;
        return Array.from({ length: int(g, 1_000, 30_000) }, (_, i) => (one === null ? String(i + 1) : one));
      }
      if (roll < 10) return this.inputValue(type.ofType, name, owner, depth + 1, at); // one value for a list
      const length = int(g, 0, depth > 2 ? 1 : 4);
      return Array.from({ length }, (_, i) =>
        this.inputValue(type.ofType, name, owner, depth + 1, at === null ? null : `${at}.${i}`),
      );
    }
    if (isInputObjectType(type)) {
      const value: Record<string, unknown> = {};
      for (const field of Object.values(type.getFields())) {
        const required = isNonNullType(field.type) && field.defaultValue === undefined;
        if (!required && (depth > 3 || !chance(g, 0.5))) continue;
        value[field.name] = this.inputValue(
          field.type,
          field.name,
          owner,
          depth + 1,
          at === null ? null : `${at}.${field.name}`,
        );
      }
      if (chance(g, 0.03)) value[pick(g, ['nope', '__proto__', 'constructor'])] = junkValue(g);
      return value;
    }
    if (isEnumType(type)) return pick(g, type.getValues()).name;
    return this.scalar(type.name, name, owner, at);
  }

  private scalar(scalar: string, name: string, owner: string, at: string | null): unknown {
    const g = this.g;
    const fx = this.fixtures;
    switch (scalar) {
      case 'ID': {
        const pool = (ID_POOLS[name] ?? ID_POOLS[owner]) as keyof FuzzFixtures | undefined;
        const ids = pool ? (fx[pool] as string[]) : [];
        return ids.length && chance(g, 0.6) ? pick(g, ids) : junkId(g);
      }
      case 'String':
        return this.string(name);
      case 'Int':
        return chance(g, 0.8) ? int(g, 0, 50) : pick(g, [-1, 0, 2 ** 31 - 1, 1_000_000, -(2 ** 31)]);
      case 'Float':
        return g(fc.double, { noNaN: true, noDefaultInfinity: true });
      case 'Boolean':
        return g(fc.boolean);
      case 'DateTime':
        return dateTime(g);
      case 'JSON':
        return jsonValue(g);
      case 'File':
        if (at !== null) this.filePaths.push(at);
        return null;
      default:
        return text(g);
    }
  }

  private string(name: string): string {
    const g = this.g;
    const fx = this.fixtures;
    switch (name) {
      case 'company':
      case 'group':
      case 'endpoint': {
        if (chance(g, 0.5) && fx.endpoints.length) return pick(g, fx.endpoints)[name];
        return chance(g, 0.7) ? slug(g) : text(g);
      }
      case 'scopes':
        return chance(g, 0.8) ? pick(g, SCOPES) : text(g);
      case 'queue':
        return chance(g, 0.7) ? 'resource.deletion' : text(g);
      case 'wrapperKind':
        // never a real kind: a fuzzer must not start thousands of wrapper processes
        return pick(g, ['', 'nope', 'IDLE', 'idle ', '../idle', '/bin/sh']);
      case 'after':
      case 'before':
        return chance(g, 0.5) ? Buffer.from(text(g)).toString('base64') : text(g);
      case 'url':
        return pick(g, ['http://127.0.0.1:1/', 'file:///etc/passwd', 'javascript:alert(1)', text(g)]);
      default:
        return text(g);
    }
  }

  /** A selection set for an output type: scalars, nested objects, fragments on unions and interfaces. */
  selection(type: GraphQLOutputType, depth: number): string {
    const g = this.g;
    const named = getNamedType(type);
    if (isLeafType(named)) return this.lies() && chance(g, 0.1) ? ' { id }' : '';
    const items: string[] = [];
    if (isObjectType(named) || isInterfaceType(named)) {
      const fields = Object.values(named.getFields());
      const count = int(g, 1, Math.min(fields.length, depth > 1 ? 2 : 6));
      for (let i = 0; i < count; i++) {
        const field = pick(g, fields);
        const nested = !isLeafType(getNamedType(field.type));
        if (nested && depth >= 3) {
          items.push('__typename');
          continue;
        }
        const alias = chance(g, 0.1) ? `x${int(g, 0, 9)}: ` : '';
        const directive = chance(g, 0.05)
          ? ` @${pick(g, ['include', 'skip'])}(if: ${pick(g, ['true', 'false', '"yes"', '$nope'])})`
          : '';
        items.push(
          `${alias}${field.name}${this.arguments(field.args, field.name)}${directive}${this.selection(field.type, depth + 1)}`,
        );
      }
    }
    if (isInterfaceType(named) || isUnionType(named)) {
      items.push('__typename');
      const possible = this.schema.getPossibleTypes(named);
      for (const member of possible) {
        if (!chance(g, 0.5)) continue;
        const body = this.selection(member, depth + 1) || ' { __typename }';
        if (chance(g, 0.3)) {
          const name = `F${this.fragments.length}`;
          this.fragments.push(`fragment ${name} on ${member.name}${body}`);
          items.push(`...${name}`);
        } else items.push(`... on ${member.name}${body}`);
      }
      if (chance(g, 0.1)) items.push('... on Error { code message }');
    }
    if (chance(g, 0.05)) items.push(pick(g, ['nope', '__schema { types { name } }', 'id(x: 1)', '...Missing']));
    if (items.length === 0) items.push('__typename');
    return ` { ${items.join(' ')} }`;
  }
}

const hasFile = (type: GraphQLInputType): boolean => {
  const named = getNamedType(type) as GraphQLNamedType;
  if (named.name === 'File') return true;
  if (!isInputObjectType(named)) return false;
  return Object.values(named.getFields()).some((f) => getNamedType(f.type).name === 'File');
};

/** A GraphQL literal of `value` for `type` (enum values bare, JSON objects with name keys as objects). */
function literal(value: unknown, type: GraphQLInputType): string {
  if (value !== null && typeof value === 'object' && RAW_JSON in value)
    return JSON.stringify(String((value as Record<string, unknown>)[RAW_JSON]).slice(0, 5000));
  const named = getNamedType(type) as GraphQLNamedType;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    const item = isListType(inner) ? inner.ofType : inner;
    return `[${value
      .slice(0, 2000)
      .map((v) => literal(v, item))
      .join(', ')}]`;
  }
  if (typeof value === 'string') {
    if (isEnumType(named) && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return value;
    return JSON.stringify(value);
  }
  if (typeof value === 'object') {
    const fields = isInputObjectType(named) ? named.getFields() : {};
    const entries = Object.entries(value as Record<string, unknown>).filter(([k]) =>
      /^[_A-Za-z][_0-9A-Za-z]*$/.test(k),
    );
    return `{${entries.map(([k, v]) => `${k}: ${literal(v, (fields[k]?.type ?? type) as GraphQLInputType)}`).join(', ')}}`;
  }
  return String(value);
}

/** JSON text of a value, with the raw-JSON markers (deep nesting) written as they are. */
function toJson(value: unknown): string {
  const marks: string[] = [];
  const text = JSON.stringify(value, (_k, v) => {
    if (v !== null && typeof v === 'object' && RAW_JSON in v) {
      marks.push(String(v[RAW_JSON]));
      return `${RAW_JSON}${marks.length - 1}`;
    }
    return v;
  });
  return (text ?? 'null').replace(/"\\u0000raw-json\\u0000(\d+)"/g, (_m, i: string) => marks[Number(i)]!);
}

// ---------------------------------------------------------------------------------------------
// Credentials and headers

/** Who the request claims to be: the admin key in each header style, no key, or garbage. */
function credentials(g: G, fx: FuzzFixtures): Array<[string, string]> {
  const key = fx.adminKey;
  switch (int(g, 0, 19)) {
    case 0:
    case 1:
    case 2:
      return [['Authorization', `Bearer ${key}`]];
    case 3:
    case 4:
      return [['x-api-key', key]];
    case 5:
    case 6:
      return [['API-Key', key]];
    case 7:
      return [[pick(g, ['AUTHORIZATION', 'authorization']), `${pick(g, ['bearer', 'BEARER', 'Bearer  '])} ${key}`]];
    case 8:
      return [];
    case 9:
      return [
        [
          'Authorization',
          pick(g, [
            `Basic ${Buffer.from(`a:${key}`).toString('base64')}`,
            key,
            'Bearer',
            'Bearer ',
            `Bearer ${key} x`,
            'Bearer\t',
          ]),
        ],
      ];
    case 10:
      return [['x-api-key', `dgw_${urlSafe(g, 40)}`]];
    case 11:
      return [['API-Key', text(g).replace(/[\r\n]/g, '')]];
    case 12:
      return [
        ['Authorization', `Bearer ${key}`],
        [pick(g, ['x-api-key', 'API-Key']), pick(g, [key, `dgw_${urlSafe(g, 40)}`, ''])],
      ];
    case 13:
      return [
        ['x-api-key', key],
        ['x-api-key', pick(g, [key, 'other'])],
      ];
    case 14:
      return [['x-api-key', fx.revokedKey]];
    case 15:
    case 16:
      return fx.scopedKeys.length ? [['x-api-key', pick(g, fx.scopedKeys)]] : [];
    case 17:
      return [['Authorization', `Bearer ${'k'.repeat(int(g, 1_000, 12_000))}`]];
    default:
      return [['x-api-key', key]];
  }
}

/** Headers a client should not send, now and then one of them. */
function junkHeaders(g: G): Array<[string, string]> {
  if (!chance(g, 0.15)) return [];
  return [
    pick<[string, string]>(g, [
      ['Accept', text(g).replace(/[\r\n]/g, '')],
      ['Accept', 'application/xml'],
      ['Accept-Encoding', 'gzip, br, zstd, *;q=0'],
      ['Content-Encoding', 'gzip'],
      ['Expect', '100-continue'],
      ['Origin', 'https://evil.example'],
      ['X-Forwarded-For', '127.0.0.1, ::1, <script>'],
      ['Cookie', `${'a=b; '.repeat(500)}`],
      ['Range', 'bytes=0-1,2-3'],
      ['If-None-Match', '*'],
      ['Upgrade', 'websocket'],
      ['Idempotency-Key', text(g).replace(/[\r\n]/g, '')],
      ['X-Junk', '\u00ff\u00fe\u0001'],
      ['Content-Type', 'application/json; charset=utf-16'],
    ]),
  ];
}

// ---------------------------------------------------------------------------------------------
// Requests

/** Percent-encodes a path segment or query value, or (now and then) breaks the encoding on purpose. */
function encode(g: G, value: string): string {
  const roll = int(g, 0, 99);
  let encoded = encodeURIComponent(toWellFormed(value));
  if (roll < 8)
    // printable ASCII as it is (a lone % included), the rest escaped
    encoded = [...value]
      .map((c) => {
        const code = c.codePointAt(0)!;
        return code <= 0x20 || code >= 0x7f || '#?/'.includes(c) ? encodeURIComponent(toWellFormed(c)) : c;
      })
      .join('');
  else if (roll < 18) {
    const at = int(g, 0, encoded.length);
    encoded = `${encoded.slice(0, at)}${pick(g, ['%', '%Z', '%ZZ', '%C3%28', '%ED%A0%80', '%F4%90%80%80', '%00', '%2F', '%25', '%%', '+'])}${encoded.slice(at)}`;
  } else if (roll < 21) encoded = encoded.replace(/%([0-9A-F]{2})/g, (_m, h: string) => `%${h.toLowerCase()}`);
  return encoded;
}

function decodeOrNull(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

const toWellFormed = (s: string) => s.replace(/[\ud800-\udfff]/g, '\ufffd');

interface RouteSpec {
  method: string;
  /** `{name}` segments take generated ids */
  path: string;
  shape: AnswerShape;
  query?: readonly string[];
  /** id pool of each parameter */
  ids?: Readonly<Record<string, keyof FuzzFixtures>>;
}

/** Every REST route of src/http/rest.ts and share.ts, and the server's own paths. */
export const REST_ROUTES: readonly RouteSpec[] = [
  { method: 'DELETE', path: '/resources/{resource_id}', shape: 'detail', ids: { resource_id: 'resourceIds' } },
  { method: 'DELETE', path: '/files', shape: 'success-error', query: ['request_id'] },
  { method: 'GET', path: '/files', shape: 'success-error', query: ['request_id'] },
  { method: 'DELETE', path: '/v1/datasets/{id}', shape: 'success-false', ids: { id: 'datasetIds' } },
  { method: 'GET', path: '/v1/datasets/{id}', shape: 'success-false', ids: { id: 'datasetIds' } },
  { method: 'GET', path: '/v1/share/{share_id}', shape: 'success-false', query: ['token'] },
  {
    method: 'DELETE',
    path: '/imgs/{image_id}',
    shape: 'detail',
    query: ['wait', 'urgent', 'strict'],
    ids: { image_id: 'imageIds' },
  },
  { method: 'GET', path: '/ops/{op_id}', shape: 'detail', ids: { op_id: 'operationIds' } },
  {
    method: 'DELETE',
    path: '/{company}/{group}/{endpoint}',
    shape: 'detail',
    query: ['Name', 'name', 'age', 'active', 'id', 'since'],
  },
  { method: 'DELETE', path: '/{company}/{group}/{endpoint}/{id}', shape: 'detail', ids: { id: 'recordIds' } },
  { method: 'DELETE', path: '/{company}/{group}/{endpoint}/all', shape: 'detail' },
  { method: 'GET', path: '/runs/{id}', shape: 'detail', ids: { id: 'runIds' } },
  { method: 'GET', path: '/health', shape: 'json' },
  { method: 'GET', path: '/ready', shape: 'json' },
  { method: 'GET', path: '/', shape: 'any' },
  { method: 'GET', path: '/graphql', shape: 'graphql' },
  { method: 'GET', path: '/openapi.json', shape: 'json' },
  { method: 'GET', path: '/metrics', shape: 'any' },
  { method: 'GET', path: '/monitor', shape: 'any' },
  { method: 'GET', path: '/monitor/{asset}', shape: 'any' },
];

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'delete', 'FOO'];

function queryValue(g: G, name: string, fx: FuzzFixtures): string {
  switch (name) {
    case 'wait':
    case 'urgent':
    case 'strict':
    case 'active':
      return pick(g, ['true', 'false', '1', '0', '', 'yes', 'TRUE', 'null', text(g)]);
    case 'request_id':
      return fx.requestIds.length && chance(g, 0.4) ? pick(g, fx.requestIds) : junkId(g);
    case 'token':
      return fx.shares.length && chance(g, 0.4) ? pick(g, fx.shares).token : text(g);
    case 'age':
      return pick(g, ['1', '-1.5', '1e3', 'old', 'Infinity', 'NaN', '0x10', '', text(g)]);
    case 'id':
      return junkId(g);
    case 'since':
      return dateTime(g);
    default:
      return text(g);
  }
}

function queryString(g: G, spec: RouteSpec, fx: FuzzFixtures): string {
  const pairs: string[] = [];
  for (const name of spec.query ?? []) {
    if (!chance(g, 0.7)) continue;
    const times = chance(g, 0.1) ? 2 : 1;
    for (let i = 0; i < times; i++) pairs.push(`${encode(g, name)}=${encode(g, queryValue(g, name, fx))}`);
  }
  if (chance(g, 0.15)) pairs.push(`${encode(g, text(g))}=${encode(g, text(g))}`);
  if (chance(g, 0.05)) pairs.push(pick(g, ['&', '=', '==', 'a', '&&=&', '%', `${'a=1&'.repeat(2000)}`]));
  return pairs.length ? `?${pairs.join('&')}` : chance(g, 0.05) ? '?' : '';
}

function restRequest(g: G, fx: FuzzFixtures): FuzzRequest {
  const spec = pick(g, REST_ROUTES);
  const segments = spec.path
    .split('/')
    .slice(1)
    .map((part) => {
      const param = /^\{(.+)\}$/.exec(part)?.[1];
      if (!param) return part;
      if (param === 'company' || param === 'group' || param === 'endpoint') {
        if (fx.endpoints.length && chance(g, 0.6)) return encode(g, pick(g, fx.endpoints)[param]);
        return encode(g, chance(g, 0.5) ? slug(g) : text(g));
      }
      if (param === 'share_id' && fx.shares.length && chance(g, 0.5)) return encode(g, pick(g, fx.shares).id);
      if (param === 'asset' && chance(g, 0.6)) {
        // written as they are: traversal out of the monitor's files
        return pick(g, [
          'index.html',
          'favicon.svg',
          'assets/x.js',
          '../package.json',
          '../../.env',
          '..%2F..%2Fpackage.json',
          '%2e%2e/%2e%2e/src/main.ts',
          '.%00.html',
          'assets/%ZZ',
        ]);
      }
      const pool = spec.ids?.[param];
      const ids = pool ? (fx[pool] as string[]) : [];
      return encode(g, ids.length && chance(g, 0.5) ? pick(g, ids) : junkId(g));
    });
  // a trailing slash, a doubled one, or a dot segment: still no 5xx
  // an empty or reserved company is no endpoint path: another route, or none
  const company = spec.path.startsWith('/{company}') ? decodeOrNull(segments[0]!) : 'x';
  // an empty parameter segment matches no share link
  const claimed = company !== '' && !(company !== null && RESERVED_SEGMENTS.has(company)) && !segments.includes('');
  const suffix = pick(g, ['', '', '', '', '', '', '/', '//', '/.', '/..']);
  const path = `/${segments.join('/')}${suffix}`;
  const method = chance(g, 0.8) ? spec.method : pick(g, METHODS);
  const headers = [...credentials(g, fx), ...junkHeaders(g)];
  let body: Buffer | undefined;
  if (chance(g, 0.1)) {
    headers.push(['Content-Type', pick(g, ['application/json', 'text/plain', 'multipart/form-data; boundary=x'])]);
    body = Buffer.from(pick(g, ['{', '{"request_id": 1}', text(g), deepJson(int(g, 10, 10_000), 'array')]));
  }
  return {
    family: `REST ${spec.method} ${spec.path}`,
    // another path (a suffix) or method is another route, or none
    shape: claimed && suffix === '' && (method === spec.method || spec.shape === 'graphql') ? spec.shape : 'any',
    method,
    target: `${path}${queryString(g, spec, fx)}`,
    headers,
    body,
  };
}

/** A GraphQL request over HTTP for one to three root fields of one operation kind. */
function graphqlRequest(
  g: G,
  schema: GraphQLSchema,
  fx: FuzzFixtures,
  fields: ReturnType<typeof rootFields>,
): FuzzRequest {
  const first = pick(g, fields);
  const validity = pick(g, ['valid', 'valid', 'mixed', 'mixed', 'junk'] as const);
  const builder = new DocumentBuilder(g, schema, fx, validity);
  const sameKind = fields.filter((f) => f.kind === first.kind);
  const chosen = [first, ...Array.from({ length: chance(g, 0.2) ? int(g, 1, 2) : 0 }, () => pick(g, sameKind))];
  const selections = chosen.map((c) => builder.rootSelection(c.field)).join(' ');
  const kind = chance(g, 0.03) ? pick(g, ['query', 'mutation', 'subscription', 'fragment', '']) : first.kind;
  const name = chance(g, 0.3) ? ` Op${int(g, 0, 3)}` : '';
  const defs = builder.variableDefinitions.length ? `(${builder.variableDefinitions.join(', ')})` : '';
  let query = `${kind}${name}${defs} {${selections} } ${builder.fragments.join(' ')}`;
  if (chance(g, 0.05)) {
    // cut the document somewhere, or nest it deeper than any limit
    query = chance(g, 0.5)
      ? query.slice(0, int(g, 0, query.length))
      : `{ ${'resources { edges { node { wrapper { executionLog { id } } } } } '.repeat(1)}${'a { '.repeat(int(g, 20, 5_000))}`;
  }
  const family = `GraphQL ${first.kind} ${first.field.name}`;
  const operationName = name ? name.trim() : chance(g, 0.05) ? pick(g, [1, 'Nope', '', null]) : undefined;

  if (builder.filePaths.length && chance(g, 0.85)) return multipartRequest(g, fx, family, query, builder);

  const transport = int(g, 0, 99);
  const accept = chance(g, 0.8)
    ? pick(g, ['application/graphql-response+json, application/json', 'application/json', '*/*', 'text/event-stream'])
    : pick(g, ['application/xml', 'text/html', 'application/graphql-response+json;q=0', '']);
  const headers: Array<[string, string]> = [...credentials(g, fx), ['Accept', accept], ...junkHeaders(g)];
  if (transport < 12) {
    const params = [`query=${encode(g, query)}`];
    if (Object.keys(builder.variables).length) params.push(`variables=${encode(g, toJson(builder.variables))}`);
    if (typeof operationName === 'string') params.push(`operationName=${encode(g, operationName)}`);
    if (chance(g, 0.1))
      params.push(`extensions=${encode(g, pick(g, ['{', '1', '{"persistedQuery":{"version":1,"sha256Hash":"x"}}']))}`);
    return { family, shape: 'graphql', method: 'GET', target: `/graphql?${params.join('&')}`, headers };
  }
  let body = toJson({ query, variables: builder.variables, ...(operationName !== undefined && { operationName }) });
  if (transport < 30) body = breakJson(g, body);
  headers.push([
    'Content-Type',
    chance(g, 0.9)
      ? pick(g, ['application/json', 'application/json; charset=utf-8', 'application/graphql+json'])
      : pick(g, [
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/graphql',
          '',
          'application/json; charset=latin1',
        ]),
  ]);
  const target = pick(g, ['/graphql', '/graphql', '/graphql', '/graphql?', '/graphql/', '/GRAPHQL']);
  // /graphql/ and /GRAPHQL are not the GraphQL endpoint: any answer but a 5xx
  const shape = target === '/graphql' || target === '/graphql?' ? 'graphql' : 'any';
  return { family, shape, method: 'POST', target, headers, body: Buffer.from(body) };
}

/** A JSON body, broken: cut, padded, wrong at the top, invalid bytes, a byte-order mark. */
function breakJson(g: G, body: string): string {
  switch (int(g, 0, 11)) {
    case 0:
      return body.slice(0, int(g, 0, body.length));
    case 1:
      return `${body}}`;
    case 2:
      return `[${body}, ${body}]`;
    case 3:
      return pick(g, ['null', '1', '"query"', 'true', '[]', '{}', '', ' ']);
    case 4:
      return `\ufeff${body}`;
    case 5:
      return body.replace(/"query"/, '"query": 1, "query"');
    case 6:
      return body.replace(/"variables":/, '"variables": [1], "x":');
    case 7:
      return `{"query": ${deepJson(int(g, 100, 100_000), 'array')}}`;
    case 8:
      return `{"query": "{ __typename }", "variables": ${deepJson(int(g, 100, 100_000), 'object')}}`;
    case 9:
      return body.replace(/"/g, "'");
    case 10:
      return `{"query": "{ __typename }", "variables": {"a": "${'\\ud800'.repeat(10)}\\x"}}`;
    default:
      return body.replace(/[{}]/, '');
  }
}

const CRLF = '\r\n';

/** The GraphQL multipart request spec, mostly right and often wrong in one way. */
function multipartRequest(
  g: G,
  fx: FuzzFixtures,
  family: string,
  query: string,
  builder: DocumentBuilder,
): FuzzRequest {
  const boundary = chance(g, 0.9) ? `----fuzz${int(g, 0, 1e9)}` : pick(g, ['', '"', 'a'.repeat(100), 'x y']);
  const parts: string[] = [];
  const part = (name: string, content: string, extra = '') =>
    parts.push(
      `--${boundary}${CRLF}Content-Disposition: form-data; name="${name}"${extra}${CRLF}${CRLF}${content}${CRLF}`,
    );
  const files = builder.filePaths.map((p, i) => ({ name: String(i), path: p }));
  const map = Object.fromEntries(files.map((f) => [f.name, [f.path]]));
  const flaw = chance(g, 0.5) ? int(g, 0, 13) : -1;
  const operations = toJson({ query, variables: builder.variables });
  if (flaw !== 0) part('operations', flaw === 1 ? breakJson(g, operations) : flaw === 2 ? '[]' : operations);
  if (flaw !== 3) {
    const mapText =
      flaw === 4
        ? toJson(
            Object.fromEntries(
              files.map((f) => [f.name, [`variables.${pick(g, ['nope', 'v1.name', '__proto__.x', 'v1.files.99'])}`]]),
            ),
          )
        : flaw === 5
          ? pick(g, ['{', '[]', '{"0": "variables.v1"}', '{"0": [1]}', '{"nope": ["variables.v1"]}', 'null'])
          : toJson(map);
    part('map', mapText);
  }
  for (const file of files) {
    if (flaw === 6) continue; // the map names parts that never come
    const name =
      flaw === 7 ? pick(g, ['../../etc/passwd', 'a\u0000b', '', '"', 'x'.repeat(5000)]) : `f${file.name}.pdf`;
    const size = flaw === 8 ? int(g, 70_000, 200_000) : int(g, 0, 2_000);
    const content = 'A'.repeat(size);
    part(
      file.name,
      content,
      `; filename="${name}"${CRLF}Content-Type: ${flaw === 9 ? text(g).replace(/[\r\n]/g, '') : 'application/pdf'}`,
    );
  }
  if (flaw === 10) for (let i = 0; i < 8; i++) part(String(100 + i), 'x', `; filename="extra${i}.bin"`);
  let body = `${parts.join('')}--${boundary}--${CRLF}`;
  if (flaw === 11) body = body.slice(0, int(g, 0, body.length));
  if (flaw === 12) body = body.replace(/Content-Disposition/g, 'Content-Dispositio');
  if (flaw === 13) body = `${body.replace(`--${boundary}--`, `--${boundary}`)}garbage`;
  const contentType =
    flaw === 12 || chance(g, 0.95)
      ? `multipart/form-data; boundary=${boundary}`
      : pick(g, ['multipart/form-data', 'multipart/mixed; boundary=x', 'multipart/form-data; boundary=other']);
  return {
    family: `${family} (multipart)`,
    shape: 'graphql',
    method: 'POST',
    target: '/graphql',
    headers: [...credentials(g, fx), ['Content-Type', contentType], ['Accept', 'application/json']],
    body: Buffer.from(body, 'latin1'),
  };
}

/** Requests whose HTTP itself is broken: request lines, framing headers, header bytes. */
function malformedHttpRequest(g: G, fx: FuzzFixtures): FuzzRequest {
  const target = pick(g, ['/health', '/graphql', '/files?request_id=x', '/imgs/1', '/acme/g/e']);
  const base: FuzzRequest = {
    family: 'HTTP framing',
    shape: 'any',
    malformedHttp: true,
    method: 'GET',
    target,
    headers: [['x-api-key', fx.adminKey]],
  };
  const rawLine = (line: string, extra = '') => ({
    ...base,
    rawHead: `${line}\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}\r\n`,
  });
  switch (int(g, 0, 14)) {
    case 0:
      return rawLine(
        pick(g, [
          'GET',
          'GET /health',
          'GET  /health HTTP/1.1',
          'GET /health HTTP/9.9',
          '\u0001\u0002',
          'GET /he\u007flth HTTP/1.1',
          'GET /h alth HTTP/1.1',
        ]),
      );
    case 1:
      return rawLine(
        pick(g, [
          'GET http://evil.example/health HTTP/1.1',
          'OPTIONS * HTTP/1.1',
          'GET health HTTP/1.1',
          'GET /health HTTP/1.0',
        ]),
      );
    case 2:
      return {
        ...base,
        method: 'POST',
        target: '/graphql',
        headers: [
          ...base.headers,
          ['Content-Length', pick(g, ['-1', '1, 2', 'abc', '1e3', ' 5', '99999999999999999999'])],
        ],
        body: Buffer.from('{"query":"{ __typename }"}'),
      };
    case 3:
      return {
        ...base,
        method: 'POST',
        target: '/graphql',
        headers: [...base.headers, ['Transfer-Encoding', 'chunked'], ['Content-Length', '5']],
        body: Buffer.from('0\r\n\r\n'),
      };
    case 4:
      return {
        ...base,
        method: 'POST',
        target: '/graphql',
        headers: [
          ...base.headers,
          ['Transfer-Encoding', pick(g, ['gzip, chunked', 'chunked, gzip', 'identity', 'chunked\u0000'])],
        ],
        body: Buffer.from('5\r\nhello\r\n0\r\n\r\n'),
      };
    case 5:
      return {
        ...base,
        method: 'POST',
        target: '/graphql',
        headers: [...base.headers, ['Content-Type', 'application/json'], ['Transfer-Encoding', 'chunked']],
        body: Buffer.from(
          pick(g, [
            'zz\r\nabc\r\n0\r\n\r\n',
            '5\r\n{"que\r\nX\r\n',
            '1;ext="\u0000"\r\n{\r\n0\r\n\r\n',
            '2\r\n{}\r\n0\r\nTrailer: \u0001\r\n\r\n',
          ]),
        ),
      };
    case 6:
      return { ...base, headers: [...base.headers, [pick(g, ['X Bad', 'X:Colon', '', '\u0000', 'Ü']), 'v']] };
    case 7:
      return {
        ...base,
        headers: [...base.headers, ['X-Ctl', pick(g, ['a\u0000b', 'a\u0007b', 'a\rb', '\u00ff\u0080'])]],
      };
    case 8:
      return { ...base, headers: [...base.headers, ['X-Big', 'x'.repeat(int(g, 17_000, 80_000))]] };
    case 9:
      return {
        ...base,
        headers: [
          ...base.headers,
          ...Array.from({ length: int(g, 100, 3000) }, (_, i): [string, string] => [`X-H${i}`, 'v']),
        ],
      };
    case 10:
      return { ...base, target: `/${'a'.repeat(int(g, 17_000, 70_000))}` };
    case 11:
      return { ...base, headers: [['Host', 'a'], ['Host', 'b'], ...base.headers] };
    case 12:
      return rawLine('GET /health HTTP/1.1', ' folded: header\r\n');
    case 13:
      return {
        ...base,
        headers: [
          ...base.headers,
          ['Upgrade', 'websocket'],
          ['Connection', 'Upgrade'],
          ['Sec-WebSocket-Key', pick(g, ['', 'x', 'dGhlIHNhbXBsZSBub25jZQ=='])],
          ['Sec-WebSocket-Version', pick(g, ['13', '8', 'x'])],
        ],
      };
    default:
      return {
        ...base,
        method: 'POST',
        target: '/graphql',
        headers: [...base.headers, ['Content-Type', 'application/json'], ['Content-Length', '2']],
        body: Buffer.from('{}{"query":"{ __typename }"}'),
      };
  }
}

/**
 * Ordinary traffic, the same every time: the warm-up before the first memory reading and
 * before the last one, so both are read in the same state.
 */
export function ordinaryRequests(fx: FuzzFixtures): FuzzRequest[] {
  const key: Array<[string, string]> = [['x-api-key', fx.adminKey]];
  const graphql = (query: string, variables: Record<string, unknown> = {}): FuzzRequest => ({
    family: 'warm-up GraphQL',
    shape: 'graphql',
    method: 'POST',
    target: '/graphql',
    headers: [...key, ['Content-Type', 'application/json']],
    body: Buffer.from(JSON.stringify({ query, variables })),
  });
  const rest = (method: string, target: string, shape: AnswerShape): FuzzRequest => ({
    family: 'warm-up REST',
    shape,
    method,
    target,
    headers: key,
  });
  const one = [
    graphql('{ resources(first: 20) { edges { node { id name deleted wrapper { status } } } } }'),
    graphql('{ datasets(first: 10, showExpired: true) { edges { node { id fileName share { url } } } } }'),
    graphql('{ deletionEvents(first: 50) { edges { cursor node { kind backend entityId data } } } }'),
    graphql('query($id: ID!) { image(id: $id) { id name size } }', { id: fx.imageIds.at(-1) }),
    graphql('query($id: ID!) { operation(id: $id) { id numTotal errors { id msg } } }', { id: fx.operationIds[0] }),
    graphql('mutation { deleteResource(id: "000000000000000000000000") { __typename } }'),
    rest('GET', `/ops/${fx.operationIds[0]}`, 'detail'),
    rest('GET', `/v1/datasets/${fx.datasetIds.at(-1)}`, 'success-false'),
    rest('GET', `/files?request_id=${fx.requestIds.at(-1)}`, 'success-error'),
    rest('GET', `/runs/${fx.runIds[0]}`, 'detail'),
    rest('DELETE', '/resources/000000000000000000000000', 'detail'),
    rest('DELETE', '/imgs/not-a-number', 'detail'),
    rest('GET', '/health', 'json'),
    rest('GET', '/ready', 'json'),
  ];
  // GraphiQL's page once: its bundle is loaded on the first visit and stays (tens of MB)
  const graphiql = { ...rest('GET', '/graphql', 'any'), headers: [['Accept', 'text/html']] as Array<[string, string]> };
  return [graphiql, ...Array.from({ length: 20 }, () => one).flat()];
}

/** The request arbitrary of a run: GraphQL most, every REST route, multipart, broken HTTP. */
export function fuzzRequests(schema: GraphQLSchema, fx: FuzzFixtures): fc.Arbitrary<FuzzRequest> {
  const fields = rootFields(schema);
  return fc.gen().map((g) => {
    const roll = int(g, 0, 99);
    if (roll < 40) return restRequest(g, fx);
    if (roll < 95) return graphqlRequest(g, schema, fx, fields);
    return malformedHttpRequest(g, fx);
  });
}

// ---------------------------------------------------------------------------------------------
// Checks

/** What no answer may carry: stack traces, SQL, database and ORM internals, parser internals. */
const LEAKS: ReadonlyArray<[string, RegExp]> = [
  ['stack trace', /\n\s+at [^\n]*\(?[^\n]*:\d+:\d+\)?|\bat (?:async )?[\w.<>]+ \((?:file:|node:|\/)/],
  ['source path', /node_modules|\/src\/[\w/-]+\.ts|file:\/\/\//],
  [
    'SQL',
    /\b(?:select\b[^"]{0,200}\bfrom|insert into|delete from|update\s+"?\w+"?\s+set)\b|syntax error at or near|\$queryRaw|\$executeRaw/i,
  ],
  [
    'database error',
    /invalid input syntax for|invalid byte sequence|violates (?:foreign key|unique|not-null|check)|duplicate key value|relation "|column "|value too long for type|out of range for type|current transaction is aborted|prepared statement|PostgresError|\bSQLSTATE\b/i,
  ],
  ['Prisma internals', /prisma|\bP[12]\d{3}\b|invocation in|PrismaClient|driver adapter/i],
  ['pg/PGlite internals', /pglite|\bpg\b[\s-]|ECONNREFUSED|node-postgres/i],
  [
    'JS error',
    /\b(?:TypeError|RangeError|ReferenceError|SyntaxError)\b|Maximum call stack|Cannot read propert|is not a function|undefined is not/,
  ],
  [
    'JSON parser internals',
    /in JSON at position|Unexpected token|Unexpected end of JSON|is not valid JSON|Bad control character|Expected property name/,
  ],
  [
    'multipart parser internals',
    /busboy|Malformed part header|Unexpected end of (?:form|multipart)|Multipart: Boundary not found/i,
  ],
  ['original error', /"originalError"|"stacktrace"|"exception"/],
];

export interface Verdict {
  problems: string[];
  /** a masked "Internal server error": a 500, or a GraphQL error INTERNAL_SERVER_ERROR (with any status) */
  masked: boolean;
}

const REST_CODES = new Set([
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'timeout',
  'internal_error',
]);

/** Node's own HTTP parser refuses these before the app sees them (an empty 400, 413 or 431). */
const PARSER_REFUSALS = new Set([400, 413, 414, 431]);
/** Node's limit on a request head (--max-http-header-size). */
const MAX_HEAD_BYTES = 16 * 1024;

/** The request is broken at the HTTP level: Node's parser may refuse it, or cut the connection while it is sent. */
export function brokenHttp(req: FuzzRequest): boolean {
  if (req.malformedHttp || req.rawHead !== undefined || !http.METHODS.includes(req.method)) return true;
  // the head exactly as sent (the longest port), with a margin for how Node counts it
  if (Buffer.byteLength(encodeHead(req, 65535)) > MAX_HEAD_BYTES - 64) return true;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control bytes are what this looks for
  if (/[^\x21-\x7e]/.test(req.target) || req.headers.some(([, v]) => /[\x00-\x08\x0a-\x1f\x7f]/.test(v))) return true;
  return req.headers.some(([k]) => !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k));
}

/** Everything wrong with the answer to `req`. Text the request itself carried is not a leak when echoed. */
export function checkAnswer(req: FuzzRequest, res: RawResponse): Verdict {
  const problems: string[] = [];
  const bodyText = res.body.toString('utf8');
  if (brokenHttp(req)) {
    // refused by Node's HTTP parser (a bare 4xx and a close), or the connection cut while a huge head was sent
    if (res.status === 0) return { problems: [], masked: false };
    if (PARSER_REFUSALS.has(res.status) && bodyText === '') return { problems: [], masked: false };
  }
  if (res.status === 0) return { problems: ['no answer: the connection closed without a status line'], masked: false };
  const contentType = header(res, 'content-type') ?? '';
  const sent = `${req.target}\n${req.headers.map(([n, v]) => `${n}: ${v}`).join('\n')}\n${req.body?.toString('latin1') ?? ''}`;
  const seen = [bodyText, ...res.headers.map(([n, v]) => `${n}: ${v}`)].join('\n');
  // GraphiQL's page and the monitor's files are static browser code (their words would match), not answers
  const staticFile = res.status === 200 && /^(text\/(html|javascript|css)|image\/)/i.test(contentType);
  for (const [what, pattern] of staticFile ? [] : LEAKS) {
    const m = pattern.exec(seen);
    if (m && !sent.toLowerCase().includes(m[0].toLowerCase().trim()))
      problems.push(`${what} in the answer: ${JSON.stringify(m[0])}`);
  }
  let json: unknown;
  if (/json/i.test(contentType) && bodyText !== '') {
    try {
      json = JSON.parse(bodyText);
    } catch {
      problems.push('a JSON content type with a body that is not JSON');
    }
  }
  if (res.status >= 500 && !(res.status === 500 && isMaskedInternalError(json))) {
    problems.push(`${res.status} that is not a masked internal error`);
  }
  if (res.truncated) problems.push('the answer was cut off');

  // GraphQL: every error typed, in JSON answers and in event-stream events
  const graphqlBodies: unknown[] = [];
  if (req.shape === 'graphql' && json !== undefined) graphqlBodies.push(json);
  if (/^text\/event-stream/i.test(contentType)) {
    for (const line of bodyText.split('\n')) {
      if (!line.startsWith('data:') || line.trim() === 'data:') continue;
      try {
        graphqlBodies.push(JSON.parse(line.slice(5)));
      } catch {
        problems.push('an event-stream event whose data is not JSON');
      }
    }
  }
  // a masked internal error: a 500, or a GraphQL error INTERNAL_SERVER_ERROR in any answer (a field's)
  let masked = res.status === 500 && isMaskedInternalError(json);
  for (const body of graphqlBodies) {
    const errors = (body as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((e) => e?.extensions?.code === 'INTERNAL_SERVER_ERROR')) masked = true;
    if (errors !== undefined && !Array.isArray(errors)) problems.push('`errors` is not a list');
    for (const error of Array.isArray(errors) ? errors : []) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      if (typeof code !== 'string')
        problems.push(
          `a GraphQL error without extensions.code: ${JSON.stringify((error as { message?: unknown }).message)}`,
        );
    }
  }
  // Yoga answers a method or media type it does not serve (405, 406, 415) with headers alone
  if (req.shape === 'graphql' && res.status >= 400 && ![405, 406, 415].includes(res.status) && !graphqlBodies.length) {
    problems.push(`a GraphQL ${res.status} without errors in its body`);
  }

  // REST: the route's own error body. A target with characters a URI may not carry (`\`, `"`, `{`)
  // is normalised by the URL parser into another path (`\` becomes `/`), claimed by another route or none.
  const uriTarget = /^[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]*$/.test(req.target);
  if (res.status >= 400 && uriTarget) {
    const body = (json ?? {}) as Record<string, unknown>;
    if (req.shape === 'detail' && typeof body.detail !== 'string')
      problems.push(`a ${res.status} without {"detail": "..."}`);
    if (
      req.shape === 'success-error' &&
      !(body.success === false && REST_CODES.has(String(body.error)) && typeof body.message === 'string')
    )
      problems.push(`a ${res.status} without {"success": false, "error": "<code>", "message": "..."}`);
    if (req.shape === 'success-false' && !(body.success === false && typeof body.error === 'string'))
      problems.push(`a ${res.status} without {"success": false, "error": "..."}`);
  }
  return { problems, masked };
}

function isMaskedInternalError(json: unknown): boolean {
  if (!json || typeof json !== 'object') return false;
  const body = json as {
    errors?: Array<{ message?: string; extensions?: { code?: string } }>;
    detail?: string;
    message?: string;
    error?: string;
  };
  if (Array.isArray(body.errors))
    return body.errors.every(
      (e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR' && e.message === 'Internal server error',
    );
  return [body.detail, body.message, body.error].includes('Internal server error');
}

/** One line describing a request, for the report (bodies and targets shortened). */
export function describeRequest(req: FuzzRequest): string {
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…(${s.length})` : s);
  const head =
    req.rawHead !== undefined
      ? `raw ${JSON.stringify(cut(req.rawHead, 200))}`
      : `${req.method} ${cut(req.target, 300)}`;
  const headers = req.headers.map(([n, v]) => `${n}: ${cut(v, 60)}`).join(' | ');
  const body = req.body ? ` body=${JSON.stringify(cut(req.body.toString('latin1'), 600))}` : '';
  return `${head} [${cut(headers, 400)}]${body}`;
}
