import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/db/client.js';
import { Prisma } from '../src/db/generated/client.js';
import { createTestDatabase, databaseKind, skipDatabase, type TestDatabase } from './support/database.js';

// The pipeline's batch statements run through pg (PreparedStatements) on PostgreSQL and through
// $queryRaw in transactions and on PGlite: a row must read the same either way.
describe.skipIf(skipDatabase() || databaseKind() !== 'postgres')('prepared statements', () => {
  let tdb: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    db = await openDatabase(tdb.url);
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  const row = (n: number) => Prisma.sql`
    SELECT ${n}::int AS ord, (${n} * 10000000000)::int8 AS big, ARRAY[${n}::int8, NULL] AS bigs,
           12.50::numeric AS amount, 1.5::float8 AS ratio, true AS flag, NULL::text AS nothing,
           'abc'::char(24) AS padded, ARRAY['a', NULL, 'c"\\'] AS texts, ${['x', 'y']}::text[] AS bound,
           '2024-02-29 13:14:15.123+00'::timestamptz AS at, '2024-02-29 13:14:15.123'::timestamp AS local_at,
           '2024-02-29'::date AS day, '{"a": [1, {"b": null}]}'::jsonb AS doc, '[1, 2]'::json AS list,
           '0190a0e6-7b1c-7cc2-9d2a-5a1b2c3d4e5f'::uuid AS id`;

  it('a prepared statement reads a row as $queryRaw does: bigint, numeric, timestamps, dates, JSON, arrays', async () => {
    const expected = await db.prisma.$queryRaw<unknown[]>(row(1));
    expect(expected[0]).toMatchObject({ big: 10000000000n, bigs: [1n, null] });
    expect(await db.prepared!.query(row(1))).toEqual(expected);
  });

  it('a prepared statement runs again with other values, on every connection of the pool', async () => {
    const ns = Array.from({ length: 40 }, (_, i) => i + 2);
    const rows = await Promise.all(ns.map((n) => db.prepared!.query<{ ord: number; big: bigint }>(row(n))));
    expect(rows.map(([r]) => [r!.ord, r!.big])).toEqual(ns.map((n) => [n, BigInt(n) * 10000000000n]));
  });
});
