/**
 * The one problem a vendor names when a request body fails its schema: the first zod issue,
 * followed into a union's likeliest branch (the one that got deepest into the value), so that the
 * answer names the field (`messages.0.content.0.text`) rather than the union around it.
 */
import type { z } from "zod";

export interface BodyProblem {
  path: (string | number)[];
  /** Without the path: `Field required`, `expected string, received number`. */
  message: string;
  missing: boolean;
  /** zod's issue code: `invalid_type`, `invalid_value`, `too_small`... */
  kind: string;
}

export function bodyProblem(error: z.ZodError, body: unknown): BodyProblem {
  let issue = error.issues[0] as z.core.$ZodIssue | undefined;
  const path: (string | number)[] = [];
  while (issue) {
    path.push(...issue.path.filter((p): p is string | number => typeof p !== "symbol"));
    if (issue.code !== "invalid_union" || issue.errors.length === 0) break;
    const branches = issue.errors.map((branch) => branch[0]).filter((i) => i !== undefined);
    const deepest = branches.reduce<z.core.$ZodIssue | undefined>(
      (best, next) => (!best || next.path.length > best.path.length ? next : best),
      undefined,
    );
    // No branch got anywhere: the value has none of the allowed types.
    if (!deepest || deepest.path.length === 0) {
      const expected = branches.flatMap((b) => (b.code === "invalid_type" ? [b.expected] : []));
      return {
        path,
        message: `Input should be ${expected.join(" or ") || "something else"}`,
        missing: valueAt(body, path) === undefined,
        kind: "invalid_type",
      };
    }
    issue = deepest;
  }
  if (!issue) return { path, message: "Invalid request body", missing: false, kind: "custom" };
  if (issue.code === "unrecognized_keys")
    return {
      path: [...path, issue.keys[0] ?? ""],
      message: "Extra inputs are not permitted",
      missing: false,
      kind: issue.code,
    };
  const missing = valueAt(body, path) === undefined;
  return {
    path,
    message: missing ? "Field required" : issue.message.replace(/^Invalid input: /, ""),
    missing,
    kind: issue.code,
  };
}

function valueAt(value: unknown, path: (string | number)[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
