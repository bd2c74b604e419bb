import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  Transaction,
} from '@prisma/driver-adapter-utils';

/** Counts the SQL statements sent on behalf of the current async scope (one GraphQL request). */
export const statementCounter = new AsyncLocalStorage<{ count: number }>();

/** Counts one statement sent outside Prisma (PreparedStatements). */
export const countStatement = () => {
  const store = statementCounter.getStore();
  if (store) store.count++;
};

const bump = countStatement;

function countingQueryable<T extends Pick<SqlDriverAdapter, 'queryRaw' | 'executeRaw'>>(target: T): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (prop === 'queryRaw' || prop === 'executeRaw') {
        return (...args: unknown[]) => {
          bump();
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      }
      if (prop === 'startTransaction') {
        return async (...args: unknown[]) =>
          countingQueryable(
            (await (value as (...a: unknown[]) => Promise<Transaction>).apply(obj, args)) as Transaction,
          );
      }
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}

export function countStatements(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return new Proxy(factory, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (prop === 'connect') return async () => countingQueryable(await obj.connect());
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}
