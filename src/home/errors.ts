import { type Diagnostic, InputError } from "../common/index.js";

export class HomeNotFoundError extends InputError {
  constructor(
    message: string,
    hint = "create one with `factory init [dir]`, or pass --home <dir>",
  ) {
    super("home-not-found", message, { hint });
  }
}

/** factory.yaml exists but is wrong; the diagnostics say where. */
export class ConfigInvalidError extends InputError {
  readonly diagnostics: Diagnostic[];
  constructor(file: string, diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    super("config-invalid", `${file} has ${errors} error${errors === 1 ? "" : "s"}`, {
      hint: "fix the problems listed above; `factory init` shows a valid file",
    });
    this.diagnostics = diagnostics;
  }
}
