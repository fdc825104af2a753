// The command line's mistakes: one line naming the value and the fix, exit status 2.

/** A mistake on the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE_EXIT = 2;
