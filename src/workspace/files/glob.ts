/** A small glob matcher for `search`: `*`, `**`, `?` and `{a,b}`, against `/`-separated paths. */

function escapeChar(char: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(char) ? `\\${char}` : char;
}

export function globToRegExp(glob: string): RegExp {
  let source = "";
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === "*" && glob[i + 1] === "*") {
      const slash = glob[i + 2] === "/";
      source += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else if (char === "{") {
      braces++;
      source += "(?:";
    } else if (char === "}" && braces > 0) {
      braces--;
      source += ")";
    } else if (char === "," && braces > 0) source += "|";
    else source += escapeChar(char);
  }
  return new RegExp(`^${source}${")".repeat(braces)}$`);
}

/** A predicate on worktree-relative paths; a glob without `/` matches the base name. */
export function globMatcher(glob: string): (path: string) => boolean {
  const regex = globToRegExp(glob);
  if (glob.includes("/")) return (path) => regex.test(path);
  return (path) => regex.test(path.slice(path.lastIndexOf("/") + 1));
}
