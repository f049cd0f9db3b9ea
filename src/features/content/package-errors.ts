import type { z } from 'zod';

/**
 * Stable codes for what can be wrong with a module package. `message` stays an English sentence for
 * the command line; pages translate `code` with `params` (locales/<lng>/admin-content.json).
 */
export const PACKAGE_ERROR_CODES = [
  // files
  'fileMissing', 'fileEmpty', 'notUtf8', 'unexpectedFile', 'yamlSyntax',
  'lessonFileMissing', 'lessonNotListed', 'unknownLanguage',
  'mediaBadName', 'mediaNotAccepted', 'mediaWrongExtension', 'mediaTooLarge', 'mediaSvgUnsafe',
  // lesson Markdown
  'headingLevel1', 'imageNoAlt', 'imageNotMedia', 'linkNotAllowed', 'lessonLinkUnknown', 'mediaRefMissing',
  // YAML fields
  'missing', 'empty', 'notText', 'notNumber', 'notWholeNumber', 'notBoolean', 'notList', 'notLocalized', 'notMapping',
  'tooSmall', 'tooLarge', 'tooFew', 'tooMany', 'tooLong', 'badId', 'unknownFields', 'notOneOf', 'invalid',
  'duplicateLessonId', 'duplicateQuestionId', 'duplicateOptionId', 'duplicateTermId', 'duplicateModuleId',
  'noCorrectOption', 'tooManyCorrect', 'trueFalseOptions', 'notEnoughQuestions',
  // worksheet.yaml
  'duplicateStepId', 'duplicateFieldId', 'duplicateColumnId', 'fieldNeedsOptions', 'fieldNeedsColumns', 'fieldPartNotAllowed',
  'unknownFrom', 'fromTypeMismatch', 'worksheetRequiredMissing',
] as const;
export type PackageErrorCode = (typeof PACKAGE_ERROR_CODES)[number];
export type PackageErrorParams = Record<string, string | number>;

/**
 * One precise problem: which file, where in it, and what is wrong. `code` and `params` say the same
 * as `message` in a form every language can phrase; code never branches on `message`.
 */
export type PackageError = {
  file: string;
  line?: number;
  field?: string;
  message: string;
  code?: PackageErrorCode;
  params?: PackageErrorParams;
};

/** A problem with a stable code; `extra` carries line and field. */
export function packageError(
  file: string,
  code: PackageErrorCode,
  message: string,
  params?: PackageErrorParams,
  extra: { line?: number; field?: string } = {},
): PackageError {
  const e: PackageError = { file, message, code };
  if (extra.line !== undefined) e.line = extra.line;
  if (extra.field) e.field = extra.field;
  if (params) e.params = params;
  return e;
}

/** Fields whose value is a text per language: a wrong shape there reads "must have en, es and fr texts". */
const LOCALIZED_FIELDS = new Set(['title', 'summary', 'prompt', 'text', 'explanation', 'term', 'definition', 'label', 'hint', 'intro', 'example']);

type Coded = { code: PackageErrorCode; params?: PackageErrorParams };

function sizeCode(origin: unknown, kind: 'small' | 'big', bound: unknown): Coded {
  const n = Number(bound);
  if (origin === 'string') return kind === 'small' ? { code: 'empty' } : { code: 'tooLong', params: { max: n } };
  if (origin === 'array') return kind === 'small' ? { code: 'tooFew', params: { min: n } } : { code: 'tooMany', params: { max: n } };
  return kind === 'small' ? { code: 'tooSmall', params: { min: n } } : { code: 'tooLarge', params: { max: n } };
}

const TYPE_CODES: Record<string, PackageErrorCode> = {
  string: 'notText',
  number: 'notNumber',
  int: 'notWholeNumber',
  boolean: 'notBoolean',
  array: 'notList',
};

/** The stable code of a zod issue from the content schemas (custom issues carry theirs in `params.code`). */
export function codeOfIssue(issue: z.core.$ZodIssue): Coded {
  const hasInput = 'input' in issue && issue.input !== undefined;
  const last = issue.path[issue.path.length - 1];
  switch (issue.code) {
    case 'invalid_type':
      if (!hasInput) return { code: 'missing' };
      if (issue.expected === 'object') return { code: typeof last === 'string' && LOCALIZED_FIELDS.has(last) ? 'notLocalized' : 'notMapping' };
      return { code: TYPE_CODES[issue.expected] ?? 'invalid' };
    case 'invalid_union':
      return hasInput ? { code: 'notText' } : { code: 'missing' };
    case 'too_small':
      return sizeCode(issue.origin, 'small', issue.minimum);
    case 'too_big':
      return sizeCode(issue.origin, 'big', issue.maximum);
    case 'invalid_format':
      return { code: 'badId' };
    case 'unrecognized_keys':
      return { code: 'unknownFields', params: { keys: issue.keys.join(', ') } };
    case 'invalid_value':
      return { code: 'notOneOf', params: { values: issue.values.map(String).join(', ') } };
    case 'custom': {
      const { code, ...params } = (issue.params ?? {}) as { code?: string } & PackageErrorParams;
      if (code && (PACKAGE_ERROR_CODES as readonly string[]).includes(code)) {
        return Object.keys(params).length > 0 ? { code: code as PackageErrorCode, params } : { code: code as PackageErrorCode };
      }
      return { code: 'invalid' };
    }
    default:
      return { code: 'invalid' };
  }
}

/** `steps[0].fields[2].from`: where in a YAML document a problem is, as the error lists it. */
export function fieldPath(p: PropertyKey[]): string {
  return p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}
