/** Fault profiles from YAML files, every problem with its line and column. */
import { readFileSync } from "node:fs";
import { InputError, parseLocatedYaml, zodIssuesToDiagnostics } from "../common/index.js";
import { type FaultProfile, faultProfileSchema } from "./runtime/faults.js";

export function loadFaultProfile(file: string): FaultProfile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError("faults-unreadable", `cannot read ${file}: ${(error as Error).message}`, {
      hint: "pass a YAML file with `rules:`",
    });
  }
  const source = parseLocatedYaml(text, file);
  const first =
    source.syntaxIssues[0] ??
    (() => {
      const parsed = faultProfileSchema.safeParse(source.value ?? {});
      return parsed.success
        ? undefined
        : zodIssuesToDiagnostics(parsed.error.issues, source, faultProfileSchema)[0];
    })();
  if (first) {
    throw new InputError(
      "faults-invalid",
      `${file}:${first.line}:${first.column}: ${first.message}`,
      first.hint ? { hint: first.hint } : {},
    );
  }
  return faultProfileSchema.parse(source.value ?? {});
}
