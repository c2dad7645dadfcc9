/**
 * The product is tested from a copy of the worktree: the runs cannot change the worktree a
 * builder or a user keeps, and the copy can belong to the sandbox user without touching theirs.
 */
import { chmod, cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { grantWorktreeAccess } from "../../workspace/index.js";

export interface ProductCopy {
  path: string;
  remove(): Promise<void>;
}

export async function copyProduct(worktree: string): Promise<ProductCopy> {
  const dir = await mkdtemp(join(tmpdir(), "df-scenarios-"));
  // The sandbox user must reach the copy through this folder.
  await chmod(dir, 0o755);
  const path = join(dir, "product");
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    // Not `.git`: the product's history is no input of a scenario, and a worktree's link would dangle.
    await cp(worktree, path, {
      recursive: true,
      filter: (source) => source !== join(worktree, ".git"),
    });
    await grantWorktreeAccess(path);
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, remove };
}
