/** The format version, checked first so a newer file is refused with a clear reason. */
import { SUPPORTED_VERSIONS } from "../intent-schema.js";
import { diagnosticAt, type IntentRule } from "./rule-context.js";

const READS = SUPPORTED_VERSIONS.join(", ");

export const versionRule: IntentRule = (context) => {
  const version = context.raw.version;
  if ((SUPPORTED_VERSIONS as readonly unknown[]).includes(version)) return [];
  const missing = version === undefined;
  return [
    diagnosticAt(
      context,
      ["version"],
      {
        rule: "version",
        severity: "error",
        message: missing
          ? `missing "version"; this darkfactory reads intent version ${READS}`
          : `intent version ${JSON.stringify(version)} is not supported; this darkfactory reads version ${READS}`,
        hint: missing
          ? `add "version: ${SUPPORTED_VERSIONS.at(-1)}" as the first field`
          : `write "version: ${SUPPORTED_VERSIONS.at(-1)}", or upgrade darkfactory if the file was written for a newer one`,
      },
      { key: missing },
    ),
  ];
};
