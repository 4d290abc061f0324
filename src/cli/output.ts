/** Where the CLI writes; main() uses the console, tests capture lines. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const CONSOLE_OUTPUT: Output = {
  out: (l) => console.log(l),
  err: (l) => console.error(l),
};
