/**
 * Text for a terminal: control characters other than newline and tab are shown as U+FFFD.
 * Agents' words and commands' output reach the screen; an escape sequence in them must not
 * hide lines or rewrite what a person reads.
 */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, "\ufffd");
}
