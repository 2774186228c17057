// What a CLI command may touch of the outside world: passed in, so tests can run commands in-process.
export type Writable = { write(text: string): unknown };

export type CliContext = {
  stdout: Writable;
  stderr: Writable;
  stdin: NodeJS.ReadableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
  now: () => Date;
};

export type CommandContext = CliContext & {
  /** Sets the process exit code for this invocation (0 unless a command says otherwise). */
  setExitCode(code: number): void;
};
