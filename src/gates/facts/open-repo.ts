/**
 * The read-only git access the fact collectors need: the repository opened through the
 * workspace's runner (hooks and fsmonitor off, no user or system config), with revisions
 * resolved up front so a typo is an input error that names the revision.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../../common/index.js";
import { createGit, type Git } from "../../workspace/index.js";

export interface ChangeRepo {
  git: Git;
  /** The commit `head` branched from `base` at: the side the change is measured from. */
  mergeBase: string;
  /** `head`'s commit id. */
  head: string;
}

/** Opens `repoDir` and resolves the change `base...head`; throws InputError on bad input. */
export async function openChange(repoDir: string, base: string, head: string): Promise<ChangeRepo> {
  const repo = resolve(repoDir);
  if (!existsSync(repo) || !statSync(repo).isDirectory() || !existsSync(join(repo, ".git"))) {
    throw new InputError("not-a-repository", `${repo} is not a git repository`, {
      hint: "point at the product's git repository (the folder holding .git)",
    });
  }
  const git = createGit({ repo });
  const resolveRev = async (rev: string): Promise<string> => {
    // A revision starting with "-" would be read as an option.
    const id = rev.startsWith("-") ? undefined : await git.revParse(rev);
    if (!id) {
      throw new InputError("unknown-revision", `no commit named ${rev} in ${repo}`, {
        hint: "name a branch, tag or commit id that exists in the repository",
      });
    }
    return id;
  };
  const baseId = await resolveRev(base);
  const headId = await resolveRev(head);
  const found = await git.run(["merge-base", baseId, headId], { allowFail: true });
  const mergeBase = found.stdout.trim();
  if (found.code !== 0 || !mergeBase) {
    throw new InputError("no-merge-base", `${base} and ${head} share no history in ${repo}`, {
      hint: "compare a branch with the branch it was made from",
    });
  }
  return { git, mergeBase, head: headId };
}
