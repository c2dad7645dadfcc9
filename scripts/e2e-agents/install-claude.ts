/** Claude Code, pinned, installed once into a cache folder outside node_modules. */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

/**
 * The newest release whose package.json allows Node 20 (`engines.node` >=18.0.0); 2.1.198
 * and later need Node 22. It ships a native binary per platform as an optional dependency,
 * which its postinstall copies over `bin/claude.exe`; we run the platform package's own
 * binary, so an install without scripts works too.
 */
export const CLAUDE_CODE_VERSION = "2.1.197";

export interface InstalledTool {
  version: string;
  /** The folder to mount read-only into the sandbox. */
  folder: string;
  binary: string;
  /** False when it was already in the cache. */
  installed: boolean;
}

/** `$XDG_CACHE_HOME/darkfactory/agents`, else `~/.cache/darkfactory/agents`. */
export function agentsCache(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "darkfactory", "agents");
}

export async function installClaudeCode(cache = agentsCache()): Promise<InstalledTool> {
  const folder = join(cache, `claude-code-${CLAUDE_CODE_VERSION}`);
  const platform = `${process.platform}-${process.arch}`;
  const binary = join(folder, "node_modules", "@anthropic-ai", `claude-code-${platform}`, "claude");
  const manifest = join(folder, "node_modules", "@anthropic-ai", "claude-code", "package.json");
  const present = () =>
    existsSync(binary) &&
    existsSync(manifest) &&
    (JSON.parse(readFileSync(manifest, "utf8")) as { version?: string }).version ===
      CLAUDE_CODE_VERSION;
  if (present()) return { version: CLAUDE_CODE_VERSION, folder, binary, installed: false };
  await mkdir(folder, { recursive: true });
  const spec = `@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}`;
  await promisify(execFile)(
    "npm",
    [
      "install",
      "--prefix",
      folder,
      "--no-save",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      spec,
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  if (!present())
    throw new Error(
      `npm installed ${spec} into ${folder}, but there is no native binary for ${platform} at ${binary}`,
    );
  return { version: CLAUDE_CODE_VERSION, folder, binary, installed: true };
}
