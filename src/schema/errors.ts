import {
  ConflictError,
  DeletionNotAllowedError,
  type DomainError,
  InvalidIdError,
  NotFoundError,
  ValidationError,
  WrapperStopTimeoutError,
} from '../services/errors.js';
import { builder } from './builder.js';

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  values: [
    'INVALID_ID',
    'NOT_FOUND',
    'CONFLICT',
    'DELETION_NOT_ALLOWED',
    'VALIDATION_FAILED',
    'WRAPPER_STOP_TIMEOUT',
  ] as const,
});

export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  fields: (t) => ({
    code: t.field({ type: ErrorCodeEnum, resolve: (e) => e.code }),
    message: t.exposeString('message'),
  }),
});

function errorType<T extends DomainError>(cls: new (...args: never[]) => T, name: string, description: string) {
  return builder.objectType(cls, {
    name,
    description,
    interfaces: [ErrorInterface] as never,
    isTypeOf: (value) => value instanceof cls,
  });
}

errorType(InvalidIdError, 'InvalidIdError', 'The id is not in the format this kind of entity uses.');
errorType(NotFoundError, 'NotFoundError', 'Nothing with this id exists in your workspace (or it is already deleted).');
errorType(ConflictError, 'ConflictError', 'The entity cannot be deleted in its current state.');
errorType(DeletionNotAllowedError, 'DeletionNotAllowedError', 'Deletion is switched off for this entity.');
builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input is not valid; `field` names the offending input field when there is one.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({ field: t.exposeString('field', { nullable: true }) }),
});
builder.objectType(WrapperStopTimeoutError, {
  name: 'WrapperStopTimeoutError',
  description:
    'The deletion committed, but the gateway instance running the wrapper process did not record it STOPPED in time.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof WrapperStopTimeoutError,
  fields: (t) => ({
    resourceId: t.exposeID('resourceId'),
    wrapperId: t.exposeID('wrapperId'),
    instanceId: t.exposeString('instanceId'),
  }),
});
