/**
 * The one error type the app raises on purpose. `messageKey` is an i18n key in the `errors`
 * namespace, so the same error reads right in every language; `code` is stable for tools.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messageKey: string;

  constructor(status: number, code: string, messageKey: string, options?: { cause?: unknown }) {
    super(code, options);
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.messageKey = messageKey;
  }
}

export class BadRequestError extends AppError {
  constructor(messageKey = 'errors:badRequest', options?: { cause?: unknown }) {
    super(400, 'BAD_REQUEST', messageKey, options);
  }
}
export class UnauthorizedError extends AppError {
  constructor(messageKey = 'errors:unauthorized') {
    super(401, 'UNAUTHORIZED', messageKey);
  }
}
export class ForbiddenError extends AppError {
  constructor(messageKey = 'errors:forbidden', code = 'FORBIDDEN') {
    super(403, code, messageKey);
  }
}
export class NotFoundError extends AppError {
  constructor(messageKey = 'errors:notFound') {
    super(404, 'NOT_FOUND', messageKey);
  }
}
export class ConflictError extends AppError {
  constructor(messageKey = 'errors:conflict') {
    super(409, 'CONFLICT', messageKey);
  }
}
export class TooManyRequestsError extends AppError {
  constructor(messageKey = 'errors:tooManyRequests') {
    super(429, 'TOO_MANY_REQUESTS', messageKey);
  }
}
