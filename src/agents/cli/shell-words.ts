/** Quotes argv for the sandbox's `/bin/sh -c`, so no word of a prompt is read as shell syntax. */

/** `exec` replaces the shell, so the tool is the process the sandbox times and kills. */
export function shellCommand(argv: string[]): string {
  return `exec ${argv.map(quote).join(" ")}`;
}

/** Single quotes keep everything literal; a single quote itself becomes '\''. */
export function quote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
