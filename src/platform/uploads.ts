import type { RequestHandler } from 'express';
import multer from 'multer';

/**
 * Why an upload was not received. `TOO_LARGE` is the file over its limit, `NOT_ALLOWED` a file the
 * route's filter refused, `MALFORMED` everything a client can get wrong about the multipart body
 * itself: two files, unexpected fields, a truncated body, a missing boundary, bad headers.
 */
export type UploadRefusal = 'TOO_LARGE' | 'NOT_ALLOWED' | 'MALFORMED';

export type UploadOptions = {
  /** the form field that carries the file */
  field: string;
  maxFileBytes: number;
  /** the other form fields the route reads (CSRF token included) */
  maxFields: number;
  maxFieldBytes: number;
  /** true when the file is of a kind the route takes, judged by its name and declared type */
  accept?: (file: { originalname: string; mimetype: string }) => boolean;
};

class NotAllowed extends Error {}

/**
 * The one way a route receives a multipart upload: into memory (never a temporary file), within
 * limits, and with every failure turned into `res.locals.uploadRefusal` for the route to explain
 * beside its form. Nothing a client sends in the body becomes a server error; the CSRF check that
 * runs next still decides first whether the request is answered at all (a body cut short carries
 * no token and gets 403).
 */
export function receiveUpload(options: UploadOptions): RequestHandler {
  const { accept } = options;
  const upload = multer({
    storage: multer.memoryStorage(),
    defParamCharset: 'utf8',
    limits: {
      fileSize: options.maxFileBytes,
      files: 1,
      fields: options.maxFields,
      parts: options.maxFields + 1,
      fieldSize: options.maxFieldBytes,
      fieldNameSize: 100,
      headerPairs: 20,
    },
    fileFilter: accept ? (_req, file, done) => (accept(file) ? done(null, true) : done(new NotAllowed())) : undefined,
  }).single(options.field);
  return (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (err) {
        res.locals.uploadRefusal = refusalOf(err) satisfies UploadRefusal;
        // a refused body may have been read only in part: what multer kept of it is not to be trusted
        req.file = undefined;
        if (!req.body || typeof req.body !== 'object') req.body = {};
      }
      next();
    });
  };
}

/**
 * A multipart form's route: the upload received (above), then the CSRF token checked among the
 * fields multer has just read (`verifyCsrf`, see platform/security.ts: `protect` let it through
 * unparsed). Routes with a file upload use this, never multer directly.
 */
export function multipartForm(options: UploadOptions, verifyCsrf: RequestHandler): RequestHandler[] {
  return [receiveUpload(options), verifyCsrf];
}

function refusalOf(err: unknown): UploadRefusal {
  if (err instanceof NotAllowed) return 'NOT_ALLOWED';
  if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') return 'TOO_LARGE';
  return 'MALFORMED';
}

export function uploadRefusal(locals: Record<string, unknown>): UploadRefusal | undefined {
  return locals.uploadRefusal as UploadRefusal | undefined;
}
