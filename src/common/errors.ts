/**
 * One error family for the whole factory. The CLI maps `exitCode` to the process exit
 * status (DESIGN §11) and prints `message` and `hint` without a stack trace.
 */
export type ExitCode = 1 | 2 | 3;

export interface FactoryErrorOptions {
  /** What the user can do about it, printed under the message. */
  hint?: string;
  cause?: unknown;
  /** True when the same call may succeed later (IO, locks, a busy service). */
  isRetryable?: boolean;
}

export class FactoryError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  readonly isRetryable: boolean;

  constructor(
    code: string,
    message: string,
    exitCode: ExitCode,
    options: FactoryErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.isRetryable = options.isRetryable ?? false;
  }
}

/** Bad input or usage: a file that does not parse, a missing argument, a wrong home. Exit 2. */
export class InputError extends FactoryError {
  constructor(code: string, message: string, options?: FactoryErrorOptions) {
    super(code, message, 2, options);
  }
}

/** The work was attempted and failed (a store that cannot be opened, a chain that broke). Exit 1. */
export class WorkError extends FactoryError {
  constructor(code: string, message: string, options?: FactoryErrorOptions) {
    super(code, message, 1, options);
  }
}

export function isFactoryError(error: unknown): error is FactoryError {
  return error instanceof FactoryError;
}
