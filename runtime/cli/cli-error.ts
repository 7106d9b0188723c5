/** An error the CLI reports as one line on stderr, with a documented exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    /** 1: check failed; 2: usage or input error; 3: a service was unreachable. */
    readonly exitCode: 1 | 2 | 3 = 2,
  ) {
    super(message);
    this.name = "CliError";
  }
}
