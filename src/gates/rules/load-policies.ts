/**
 * Reads policy files in the three usual steps: YAML and schema, then every CEL expression
 * type-checked against the facts, then rules that need all files (unique ids). A rule that
 * names a fact that does not exist is a load error, never a rule that quietly stays false.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  closestWord,
  type LocatedYaml,
  parseLocatedYaml,
  zodIssuesToDiagnostics,
} from "../../common/index.js";
import { factVariables } from "../facts/change-facts.js";
import { factEnvironment, factFieldNames } from "./fact-environment.js";
import {
  type LoadedRule,
  type PolicyIssue,
  type PolicyLoad,
  type PolicyRule,
  policyFileSchema,
} from "./policy-schema.js";

/** `<home>/policies/*.yaml` and `*.yml`, sorted; [] when the folder does not exist. */
export function policyFiles(homeRoot: string): string[] {
  return yamlFilesIn(join(homeRoot, "policies"));
}

function yamlFilesIn(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Load and type-check policy files: a list of files, or a folder whose `*.yaml` files are
 * read. No files means no rules, which is not an error (the caller warns).
 */
export function loadPolicies(files: string[] | string): PolicyLoad {
  const paths = typeof files === "string" ? yamlFilesIn(files) : files;
  const issues: PolicyIssue[] = [];
  const policies: LoadedRule[] = [];
  const seen = new Map<string, LoadedRule>();
  for (const file of paths) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      issues.push({
        file,
        line: 1,
        column: 1,
        message: `cannot read the policy file: ${(error as Error).message}`,
      });
      continue;
    }
    const loaded = parsePolicyFile(text, file);
    if (!loaded.ok) {
      issues.push(...loaded.issues);
      continue;
    }
    for (const rule of loaded.policies) {
      const first = seen.get(rule.id);
      if (first) {
        issues.push({
          file,
          rule: rule.id,
          line: rule.line,
          column: 1,
          message: `rule id "${rule.id}" is already used in ${first.file}:${first.line}`,
          hint: "give each rule an id of its own across all policy files",
        });
        continue;
      }
      seen.set(rule.id, rule);
      policies.push(rule);
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, policies };
}

/** One policy file's text: its rules, or every problem found in it. */
export function parsePolicyFile(text: string, file: string): PolicyLoad {
  const source = parseLocatedYaml(text, file);
  if (source.syntaxIssues.length > 0) {
    return { ok: false, issues: source.syntaxIssues.map(({ rule: _, path: __, ...d }) => d) };
  }
  if (source.value === undefined || source.value === null) {
    return {
      ok: false,
      issues: [
        {
          file,
          line: 1,
          column: 1,
          message: "the policy file is empty",
          hint: "start it with `version: 1` and a `rules:` list, or delete it",
        },
      ],
    };
  }
  const parsed = policyFileSchema.safeParse(source.value);
  if (!parsed.success) {
    const ids = ruleIds(source.value);
    return {
      ok: false,
      issues: zodIssuesToDiagnostics(parsed.error.issues, source, policyFileSchema).map((d) => {
        const index = /^rules\.(\d+)/.exec(d.path ?? "")?.[1];
        const rule = index === undefined ? undefined : ids[Number(index)];
        return {
          file,
          ...(rule ? { rule } : {}),
          line: d.line,
          column: d.column,
          message: d.message,
          ...(d.hint ? { hint: d.hint } : {}),
        };
      }),
    };
  }
  const issues: PolicyIssue[] = [];
  const policies: LoadedRule[] = [];
  parsed.data.rules.forEach((rule, index) => {
    const problems = [
      ...checkExpression(source, text, rule, index, "when"),
      ...checkExpression(source, text, rule, index, "evidence"),
    ];
    issues.push(...problems);
    if (problems.length > 0) return;
    policies.push({
      id: rule.id,
      file,
      line: source.locate(["rules", index]).line,
      description: rule.description ?? "",
      when: rule.when,
      decision: rule.decision,
      message: rule.message,
      evidence: rule.evidence ?? "",
    });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, policies };
}

function ruleIds(value: unknown): (string | undefined)[] {
  const rules = (value as { rules?: unknown }).rules;
  if (!Array.isArray(rules)) return [];
  return rules.map((r) => {
    const id = (r as { id?: unknown } | null)?.id;
    return typeof id === "string" ? id : undefined;
  });
}

function checkExpression(
  source: LocatedYaml,
  text: string,
  rule: PolicyRule,
  index: number,
  key: "when" | "evidence",
): PolicyIssue[] {
  const expression = rule[key];
  if (expression === undefined) return [];
  const path = ["rules", index, key];
  const result = factEnvironment().check(expression);
  if (!result.valid) {
    const error = result.error;
    const summary = error?.summary ?? error?.message ?? "the expression is not valid CEL";
    const offset = error?.range?.start ?? 0;
    return [
      {
        file: source.file,
        rule: rule.id,
        ...positionIn(source, text, path, expression, offset),
        message: `rule "${rule.id}": ${key}: ${summary}`,
        hint: hintFor(summary),
      },
    ];
  }
  const type = result.type ?? "dyn";
  const wrongType =
    key === "when"
      ? type !== "bool" && `must be true or false, but this expression is a ${type}`
      : !/^list(<.*>)?$/.test(type) && `must be a list, but this expression is a ${type}`;
  if (!wrongType) return [];
  return [
    {
      file: source.file,
      rule: rule.id,
      ...source.locate(path),
      message: `rule "${rule.id}": ${key} ${wrongType}`,
      hint:
        key === "when"
          ? "compare it, e.g. `secrets.size() > 0`"
          : 'build a list, e.g. `secrets.map(s, s.file + ":" + string(s.line))`',
    },
  ];
}

/**
 * The file position of offset `offset` in the expression: exact when the expression's text
 * up to there stands verbatim on the value's first line (a one-line plain or quoted
 * scalar); otherwise the key's position, since block and folded scalars move characters.
 */
function positionIn(
  source: LocatedYaml,
  text: string,
  path: (string | number)[],
  expression: string,
  offset: number,
): { line: number; column: number } {
  const start = source.locate(path);
  const lineText = text.split(/\r?\n/)[start.line - 1] ?? "";
  const quoted = lineText[start.column - 1] === '"' || lineText[start.column - 1] === "'";
  const from = start.column - 1 + (quoted ? 1 : 0);
  const prefix = expression.slice(0, offset);
  if (lineText.slice(from, from + prefix.length) === prefix && from + offset <= lineText.length) {
    return { line: start.line, column: from + offset + 1 };
  }
  return source.locate(path, { key: true });
}

function hintFor(summary: string): string {
  const unknown = /^(?:Unknown variable|No such key): (\S+)/.exec(summary)?.[1];
  if (unknown) {
    const suggestion = closestWord(unknown, factFieldNames());
    return suggestion
      ? `no fact is called "${unknown}"; did you mean "${suggestion}"?`
      : `no fact is called "${unknown}"; the facts are ${Object.keys(factVariables).join(", ")}`;
  }
  return "see the CEL language definition: https://github.com/google/cel-spec";
}
