/** Intent: the schema, parser and linter for the Markdown files where people say what to build. */
export {
  type Intent,
  type IntentFrontMatter,
  intentSchema,
} from "./intent-schema.js";
export { type IntentLintResult, lintIntent } from "./lint-intent.js";
export { lintIntentFile } from "./lint-intent-file.js";
export { parseIntent } from "./parse-intent.js";
