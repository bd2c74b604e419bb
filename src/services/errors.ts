// Domain errors are values: services return them, the schema maps each class to a
// member of the mutation's result union, REST routes map them to status codes.

export type ErrorCode =
  | 'INVALID_ID'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'DELETION_NOT_ALLOWED'
  | 'VALIDATION_FAILED'
  | 'WRAPPER_STOP_TIMEOUT';

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
}

export class InvalidIdError extends DomainError {
  override readonly name = 'InvalidIdError';
  readonly code = 'INVALID_ID' as const;
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
  readonly code = 'NOT_FOUND' as const;
}

export class ConflictError extends DomainError {
  override readonly name = 'ConflictError';
  readonly code = 'CONFLICT' as const;
}

export class DeletionNotAllowedError extends DomainError {
  override readonly name = 'DeletionNotAllowedError';
  readonly code = 'DELETION_NOT_ALLOWED' as const;
}

export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  readonly code = 'VALIDATION_FAILED' as const;
  constructor(
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

/**
 * The deletion committed, but the instance that runs the wrapper process did not record it
 * STOPPED in time. The stop stays requested: that instance finishes it when it catches up.
 */
export class WrapperStopTimeoutError extends DomainError {
  override readonly name = 'WrapperStopTimeoutError';
  readonly code = 'WRAPPER_STOP_TIMEOUT' as const;
  constructor(
    readonly resourceId: string,
    readonly wrapperId: string,
    readonly instanceId: string,
    timeoutMs: number,
  ) {
    super(
      `Resource ${resourceId} is deleted, but its wrapper ${wrapperId} runs on instance "${instanceId}", ` +
        `which did not confirm the stop within ${timeoutMs} ms; the stop stays requested and is finished ` +
        'when that instance is back',
    );
  }
}

export const isDomainError = (value: unknown): value is DomainError => value instanceof DomainError;
