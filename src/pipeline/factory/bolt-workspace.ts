/**
 * The git side of one bolt (DESIGN §2, §5): an integration branch and one worktree per build
 * task, under the home's `.factory/worktrees/<bolt>/`. Every operation is safe to repeat, so
 * a bolt killed anywhere resumes by calling it again.
 */
import { createHash } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { basename, join } from "node:path";
import { WorkError } from "../../common/index.js";
import type { Home } from "../../home/index.js";
import {
  createGit,
  type Git,
  grantWorktreeAccess,
  openPathForSandboxUser,
  type Sandbox,
} from "../../workspace/index.js";
import { DEFAULT_REGISTRY, vetInstallFiles } from "./vet-lockfile.js";

/** Variables the orchestrator's own install command may see; never the factory's secrets. */
const PROXY_ENV = /^(https?_proxy|HTTPS?_PROXY|no_proxy|NO_PROXY|npm_config_strict_ssl)$/;
const INSTALL_TIMEOUT_MS = 10 * 60_000;

export interface BoltWorkspace {
  git: Git;
  readonly root: string;
  readonly integrationBranch: string;
  readonly integrationPath: string;
  taskBranch(taskId: string): string;
  taskPath(taskId: string): string;
  /** The integration worktree, branched from main the first time. */
  ensureIntegration(): Promise<{ path: string; created: boolean }>;
  /** A task's worktree, branched from the integration branch's head the first time. */
  ensureTask(taskId: string): Promise<{ path: string; created: boolean }>;
  /** Back to the branch's last commit, untracked files removed (ignored ones, like node_modules, kept). */
  clean(path: string): Promise<void>;
  /** Whether install() finished for this worktree (a marker under the bolt's folder, outside git). */
  installed(path: string): boolean;
  /**
   * Installs the product's dependencies, with install scripts off: the factory's own step,
   * never an agent's command, but in the sandbox (with the network) all the same, since
   * what it reads (package.json, the lock file, .npmrc, node_modules) is the builders' work.
   */
  install(
    path: string,
    sandbox: Sandbox,
    signal: AbortSignal,
  ): Promise<{ command: string; ms: number } | undefined>;
}

/** Where a bolt's integration worktree lives (it may not exist: not yet, or collected). */
export function boltIntegrationPath(home: Home, boltId: string): string {
  return join(home.root, ".factory", "worktrees", boltId, "integration");
}

export function boltWorkspace(
  home: Home,
  boltId: string,
  env: NodeJS.ProcessEnv,
  onNotice?: (line: string) => void,
): BoltWorkspace {
  const { product } = home.config;
  const git = createGit({ repo: product.repo });
  const root = join(home.root, ".factory", "worktrees", boltId);
  const integrationBranch = `factory/${boltId}/integration`;
  const integrationPath = boltIntegrationPath(home, boltId);
  const taskBranch = (taskId: string) => `factory/${boltId}/${taskId}`;
  const taskPath = (taskId: string) => join(root, "tasks", taskId);
  const installMarker = (path: string) => join(root, "installed", basename(path));

  /** Ref locks a killed git left under this bolt's own branches (only ours hold those, under the lease). */
  function clearStaleRefLocks(): void {
    const dir = join(git.gitDir, "refs", "heads", "factory", boltId);
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir, { recursive: true, encoding: "utf8" }))
      if (name.endsWith(".lock")) rmSync(join(dir, name), { force: true });
  }

  async function ensure(path: string, branch: string, base: string) {
    clearStaleRefLocks();
    mkdirSync(join(path, ".."), { recursive: true, mode: 0o755 });
    for (const folder of await openPathForSandboxUser(join(path, "..")))
      onNotice?.(`note: let the sandbox user search ${folder} (chmod o+x), to reach the worktrees`);
    const result = await git.addWorktree(path, branch, base);
    git.clearStaleLocks(path);
    await grantWorktreeAccess(path);
    return { path, ...result };
  }

  return {
    git,
    root,
    integrationBranch,
    integrationPath,
    taskBranch,
    taskPath,
    ensureIntegration: () => ensure(integrationPath, integrationBranch, product.mainBranch),
    ensureTask: (taskId) => ensure(taskPath(taskId), taskBranch(taskId), integrationBranch),

    async clean(path) {
      git.clearStaleLocks(path);
      await git.run(["reset", "--hard", "--quiet", "HEAD"], { workTree: path });
      // Twice --force: nested repositories an agent made go too.
      await git.run(["clean", "-d", "--force", "--force", "--quiet"], { workTree: path });
      await grantWorktreeAccess(path);
    },

    // Installed, and from the lock file the worktree holds now (a merge can change it).
    installed: (path) =>
      existsSync(installMarker(path)) &&
      readFileSync(installMarker(path), "utf8") === lockHash(path),

    async install(path, sandbox, signal) {
      const command =
        product.commands.install ??
        (existsSync(join(path, "package-lock.json"))
          ? "npm ci --ignore-scripts --no-audit --no-fund"
          : undefined);
      const done = () => {
        mkdirSync(join(root, "installed"), { recursive: true, mode: 0o755 });
        writeFileSync(installMarker(path), lockHash(path));
      };
      if (!command) {
        done();
        return undefined;
      }
      const registry = env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY ?? DEFAULT_REGISTRY;
      vetInstallFiles(path, registry);
      // A node_modules the branch carries (a symlink out of the worktree, say) is never installed into.
      rmSync(join(path, "node_modules"), { recursive: true, force: true });
      const proxies = Object.fromEntries(
        Object.entries(env).filter(
          (entry): entry is [string, string] => PROXY_ENV.test(entry[0]) && entry[1] !== undefined,
        ),
      );
      const result = await sandbox.run({
        command,
        worktree: path,
        // Above the project's .npmrc, which is the builders' work: no scripts, no git program,
        // the registry the lock file was checked against, and a cache inside the sandbox.
        env: {
          ...proxies,
          npm_config_ignore_scripts: "true",
          npm_config_git: "/bin/false",
          npm_config_registry: registry,
          npm_config_cache: "/tmp/.npm",
          npm_config_update_notifier: "false",
        },
        network: true,
        timeoutMs: INSTALL_TIMEOUT_MS,
        signal,
      });
      if (result.exitCode !== 0) {
        const said = `${result.stderr}${result.stdout}`.trim().split("\n").slice(-5).join("\n");
        throw new WorkError("install-failed", `\`${command}\` failed in ${path}: ${said}`, {
          hint: "fix product.commands.install in factory.yaml, or the product's lock file",
        });
      }
      await grantWorktreeAccess(path);
      done();
      return { command, ms: result.ms };
    },
  };
}

function lockHash(path: string): string {
  const lock = join(path, "package-lock.json");
  const info = lstatSync(lock, { throwIfNoEntry: false });
  return info?.isFile() ? createHash("sha256").update(readFileSync(lock)).digest("hex") : "none";
}
