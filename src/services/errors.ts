// Domain errors are values: services return them, the schema maps each class to a
// member of the mutation's result union, REST routes map them to status codes.

export type ErrorCode = 'INVALID_ID' | 'NOT_FOUND' | 'CONFLICT' | 'DELETION_NOT_ALLOWED' | 'VALIDATION_FAILED';

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

export const isDomainError = (value: unknown): value is DomainError => value instanceof DomainError;
