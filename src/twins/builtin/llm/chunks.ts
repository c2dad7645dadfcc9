/**
 * How an answer is cut into stream deltas: text at word boundaries, a few words a delta, and a
 * tool call's JSON in arbitrary slices, as the vendors send them (a slice can end inside a key).
 */

/** Words grouped into deltas of about `size` characters; joined, they are the text. */
export function textDeltas(text: string, size = 16): string[] {
  const words = text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
  const deltas: string[] = [];
  let current = "";
  for (const word of words) {
    if (current && current.length + word.length > size) {
      deltas.push(current);
      current = "";
    }
    current += word;
  }
  if (current) deltas.push(current);
  return deltas;
}

/** JSON text in at least three slices (when it has three characters), at most 16 each. */
export function jsonDeltas(json: string): string[] {
  const characters = Array.from(json);
  const size = Math.max(1, Math.min(16, Math.ceil(characters.length / 3)));
  const deltas: string[] = [];
  for (let at = 0; at < characters.length; at += size)
    deltas.push(characters.slice(at, at + size).join(""));
  return deltas;
}
