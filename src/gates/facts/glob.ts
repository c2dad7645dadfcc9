/**
 * Path globs for factory.yaml's protected and infrastructure paths. Node 20's `path.matchesGlob`
 * is experimental and prints a warning, so this is a small matcher of our own.
 *
 * Patterns are anchored at the repository root: `**` crosses folders (`**\/` also matches
 * none), `*` and `?` stay inside one segment, `{a,b}` picks one of the alternatives and
 * `[abc]` one character. Dotfiles match like any other name: a guard should not miss `.env`.
 */

const cache = new Map<string, RegExp>();

/** The regular expression a glob stands for. */
export function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  const regex = new RegExp(`^${translate(glob)}$`);
  cache.set(glob, regex);
  return regex;
}

/** True when `path` (relative, `/`-separated) matches `glob`. */
export function matchesGlob(path: string, glob: string): boolean {
  return globToRegExp(glob).test(path);
}

/** The paths that match any of the globs, in their original order. */
export function matchingPaths(paths: readonly string[], globs: readonly string[]): string[] {
  return paths.filter((path) => globs.some((glob) => matchesGlob(path, glob)));
}

function translate(glob: string): string {
  let out = "";
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const atStart = i === 0 || glob[i - 1] === "/";
        i++;
        if (atStart && glob[i + 1] === "/") {
          i++;
          out += "(?:.*/)?";
        } else {
          out += ".*";
        }
      } else {
        out += "[^/]*";
      }
    } else if (c === "?") {
      out += "[^/]";
    } else if (c === "{") {
      depth++;
      out += "(?:";
    } else if (c === "}" && depth > 0) {
      depth--;
      out += ")";
    } else if (c === "," && depth > 0) {
      out += "|";
    } else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end === -1) {
        out += "\\[";
      } else {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\");
        out += `[${body}]`;
        i = end;
      }
    } else if (c === "\\" && i + 1 < glob.length) {
      i++;
      out += escapeChar(glob.charAt(i));
    } else {
      out += escapeChar(c);
    }
  }
  // An unclosed brace is a literal: close the groups so the expression still compiles.
  return out + ")".repeat(depth);
}

const escapeChar = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
