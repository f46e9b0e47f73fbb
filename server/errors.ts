/**
 * Errors of the services the admin routes call (feeds, moderation). Each maps to one HTTP answer:
 * `InputError` → 400 (its message names the field), `NotFoundError` → 404, `ConflictError` → 409.
 */
import { fieldPath } from './field-path.js';

/** Input that does not pass validation; `field` names the key as the input spelled it ("sources[0].accounts[2]"). */
export class InputError extends Error {
  readonly status = 400;
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'InputError';
  }
}

/** An unknown feed, post, announcement or audit entry. */
export class NotFoundError extends Error {
  readonly status = 404;
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** A request that contradicts what is stored (a feed id already taken). */
export class ConflictError extends Error {
  readonly status = 409;
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** A zod issue, as much of it as naming its field needs. */
interface Issue {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  /** The unknown keys of an `unrecognized_keys` issue. */
  keys?: readonly string[];
}

/**
 * The first issue of a zod error as an `InputError` naming its field; an unknown key is named
 * itself ("colour: is not a known field"). `whole` names the input when the issue is about all of it.
 */
export function inputErrorOf(issues: readonly Issue[], whole = '(body)'): InputError {
  const issue = issues[0]!;
  if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
    return new InputError(fieldPath([...issue.path, issue.keys[0]!]), 'is not a known field');
  }
  return new InputError(fieldPath(issue.path) || whole, issue.message);
}
