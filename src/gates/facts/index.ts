/** The facts about a change that gates judge, and the collectors that read them from git. */
export * from "./change-facts.js";
export {
  type CollectGitFactsOptions,
  collectGitFacts,
  type GitFacts,
} from "./collect-git-facts.js";
export {
  type AddedDependency,
  type DependencyDiff,
  diffDependencies,
  type ManifestTexts,
  readDependencyDiff,
} from "./dependency-diff.js";
export { type DiffChangeOptions, diffChange, summarizeChange } from "./diff-change.js";
export { globToRegExp, matchesGlob, matchingPaths } from "./glob.js";
export { type DiffLine, type LineDiff, lineDiff } from "./line-diff.js";
export { type ChangeRepo, openChange } from "./open-repo.js";
export {
  type Blob,
  type ChangeContents,
  MAX_CONTENT_BYTES,
  readAt,
  readChangeContents,
} from "./read-change-contents.js";
export { type SecretScanFile, scanSecrets } from "./secret-scan.js";
export { type TestFileChange, testFacts } from "./test-facts.js";
export { isTestPath } from "./test-patterns.js";
