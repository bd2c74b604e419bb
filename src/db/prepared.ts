// Hot statements straight through `pg`, prepared once per connection: Prisma's raw-query path
// costs the gateway more CPU than the statement's own round trip, and PostgreSQL plans an
// unnamed statement again at every execution.
import pg from 'pg';
import { Prisma } from './generated/client.js';
import { countStatement } from './statement-counter.js';

/** Distinct statement texts given a name; past this, a text runs unnamed (parsed each time). */
const MAX_NAMED = 256;

const INT8 = 20;
const INT8_ARRAY = 1016;
const NUMERIC = 1700;
const TIMESTAMP = 1114;
const DATE = 1082;

const pgParser = pg.types.getTypeParser as unknown as (
  oid: number,
  format: 'text' | 'binary',
) => (v: string) => unknown;

/**
 * Values as `$queryRaw` gives them, so a row reads the same either way: bigint as BigInt,
 * numeric as Decimal, timestamp and date as UTC (pg's defaults: strings, local time).
 */
const PRISMA_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format === 'binary') return pgParser(oid, format);
    switch (oid) {
      case INT8:
        return (v: string) => BigInt(v);
      case INT8_ARRAY: {
        const parse = pgParser(INT8_ARRAY, 'text') as (v: string) => (string | null)[];
        return (v: string) => parse(v).map((e) => (e === null ? null : BigInt(e)));
      }
      case NUMERIC:
        return (v: string) => new Prisma.Decimal(v);
      case TIMESTAMP:
        return (v: string) => new Date(`${v.replace(' ', 'T')}Z`);
      case DATE:
        return (v: string) => new Date(`${v}T00:00:00Z`);
      default:
        return pgParser(oid, 'text');
    }
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Runs a `Prisma.sql` statement on the pool Prisma uses, as a named prepared statement. */
export class PreparedStatements {
  private readonly names = new Map<string, string>();

  constructor(private readonly pool: pg.Pool) {}

  async query<Row>(sql: Prisma.Sql): Promise<Row[]> {
    countStatement();
    const result = await this.pool.query({
      name: this.nameOf(sql.text),
      text: sql.text,
      values: sql.values,
      types: PRISMA_TYPES,
    });
    return result.rows as Row[];
  }

  private nameOf(text: string): string | undefined {
    let name = this.names.get(text);
    if (name === undefined && this.names.size < MAX_NAMED) {
      name = `dgw_prepared_${this.names.size}`;
      this.names.set(text, name);
    }
    return name;
  }
}
