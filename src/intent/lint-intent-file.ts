/** Lints an intent on disk; the only part of src/intent that touches the file system. */
import { readFile, stat } from "node:fs/promises";
import { InputError } from "../common/index.js";
import { type IntentLintResult, lintIntent } from "./lint-intent.js";

/** @throws InputError `intent-not-found` (exit 2) when `path` is missing or is a directory. */
export async function lintIntentFile(path: string): Promise<IntentLintResult> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || info.isDirectory()) {
    throw new InputError(
      "intent-not-found",
      info ? `${path} is a directory, not an intent file` : `no intent file at ${path}`,
      {
        hint: info
          ? `name one file inside it, e.g. ${path.replace(/\/$/, "")}/<intent>.md`
          : "check the path; intents usually live in intents/<id>.md in the factory home",
      },
    );
  }
  return lintIntent(await readFile(path, "utf8"), path);
}
