/**
 * The facts about one change that policies judge (DESIGN §8). Every fact a rule may name is
 * declared here twice, once as a TypeScript type for the collectors and once as a CEL type
 * for the rules engine, so a rule that names a fact that does not exist fails at load.
 * `factTypes` is the CEL side; `change-facts.test.ts` keeps the two in step.
 *
 * CEL has no null: a fact that was not measured is an empty list, an empty string, 0, or
 * `present: false` on its group, never a missing key.
 */

export type FileStatus = "added" | "modified" | "deleted" | "renamed";
export type RiskLevel = "low" | "medium" | "high";

export interface ChangedFile {
  path: string;
  status: FileStatus;
  /** For a rename, where it came from; "" otherwise. */
  from: string;
  additions: number;
  deletions: number;
  /** Binary files have no line counts. */
  binary: boolean;
}

export interface ChangeSummary {
  base: string;
  head: string;
  files: ChangedFile[];
  /** Paths added, modified (renames included, under their new name) and deleted. */
  added: string[];
  modified: string[];
  deleted: string[];
  /** Every path the change touches, both sides of a rename included. */
  paths: string[];
  lines_added: number;
  lines_deleted: number;
  /** Touched paths that match the protected globs (CI config, auth code, migrations, ...). */
  protected: string[];
  /** Touched paths that are infrastructure (Dockerfiles, IaC, deploy config). */
  infrastructure: string[];
}

/** A place in a file: what the evidence points at. */
export interface Finding {
  file: string;
  /** 1-based; 0 when the finding is about the whole file. */
  line: number;
  /** What was found, in words; never a secret's value. */
  message: string;
}

export interface TestFacts {
  /** Test files changed by the change (added, modified or deleted). */
  files_changed: string[];
  files_deleted: string[];
  /** `it.skip`, `describe.skip`, `xit`, `test.todo`, `{ skip: true }`, ... added. */
  skipped: Finding[];
  /** `.only` added: the rest of the suite stops running. */
  focused: Finding[];
  /** Per file, assertions (`expect(`, `assert.`, `t.is`, ...) fewer after than before. */
  assertions_removed: Finding[];
  /** A strict matcher replaced by a looser one (`toBe` → `toBeTruthy`, `strictEqual` → `ok`, ...). */
  loosened: Finding[];
  /** true when any of the above is non-empty. */
  weakened: boolean;
}

export interface Advisory {
  id: string;
  severity: "low" | "moderate" | "high" | "critical";
  title: string;
  url: string;
}

/** What the registry says about one package. */
export interface RegistryFacts {
  /** false when the registry did not answer: the rest is unknown, not clean. */
  checked: boolean;
  /** Why it was not checked ("" when checked). */
  error: string;
  exists: boolean;
  /** The version the change resolves to ("" if unknown). */
  version: string;
  /** Days since the package was first published (0 if it does not exist). */
  age_days: number;
  /** Days since the resolved version was published. */
  version_age_days: number;
  weekly_downloads: number;
  /** Install scripts of the resolved version: `preinstall`, `install`, `postinstall`. */
  install_scripts: string[];
  advisories: Advisory[];
  /** The most severe advisory's severity, "" when none. */
  max_severity: string;
}

export interface DependencyFacts {
  name: string;
  /** The range written in package.json. */
  spec: string;
  dev: boolean;
  /** A popular package this name is a near miss of ("" when none). */
  similar_to: string;
  /** Edit distance to `similar_to` (0 when none). */
  distance: number;
  registry: RegistryFacts;
}

export interface DependencyChanges {
  added: DependencyFacts[];
  removed: string[];
  /** Names whose range changed in package.json. */
  changed: string[];
  /** Packages new in the lock file only (transitive), by name. */
  lock_added: string[];
}

export interface SecretFinding extends Finding {
  /** The secretlint rule that matched, e.g. `@secretlint/secretlint-rule-aws`. */
  rule: string;
}

export interface CommandCheck {
  name: string;
  command: string;
  passed: boolean;
  exit_code: number;
  /** The end of its output, redacted. */
  output: string;
}

export interface AnalysisFacts {
  /** true when factory.yaml names type-check or lint commands for the product. */
  present: boolean;
  passed: boolean;
  checks: CommandCheck[];
}

export interface ArchitectureViolation {
  rule: string;
  severity: string;
  from: string;
  to: string;
}

export interface ArchitectureFacts {
  /** true when the home has architecture rules. */
  present: boolean;
  violations: ArchitectureViolation[];
}

export interface ScenarioFacts {
  /** true when the change was judged by holdout scenarios (a bolt's `scenarios` stage). */
  present: boolean;
  satisfaction: number;
  threshold: number;
  satisfied: boolean;
  /** Ids of `must_pass` scenarios that failed a trajectory. */
  must_pass_failed: string[];
}

export interface EvaluationFacts {
  present: boolean;
  /** `approve` or `request_changes`; "" when absent. */
  verdict: string;
}

export interface CostFacts {
  present: boolean;
  usd: number;
  tokens: number;
}

export interface RiskFacts {
  /** The intent's risk ("" outside a bolt). */
  declared: string;
  /** The level the facts alone call for. */
  measured: RiskLevel;
  /** The higher of the two: the level approvals follow. */
  level: RiskLevel;
  /** Why `measured` is what it is. */
  reasons: string[];
}

export interface ChangeFacts {
  change: ChangeSummary;
  tests: TestFacts;
  dependencies: DependencyChanges;
  secrets: SecretFinding[];
  analysis: AnalysisFacts;
  architecture: ArchitectureFacts;
  scenarios: ScenarioFacts;
  evaluation: EvaluationFacts;
  cost: CostFacts;
  risk: RiskFacts;
}

/**
 * The CEL side of the same shape: type name → field → CEL type. The top-level variables a
 * rule can name are the fields of `ChangeFacts`.
 */
export const factTypes = {
  ChangedFile: {
    path: "string",
    status: "string",
    from: "string",
    additions: "int",
    deletions: "int",
    binary: "bool",
  },
  Change: {
    base: "string",
    head: "string",
    files: "list<ChangedFile>",
    added: "list<string>",
    modified: "list<string>",
    deleted: "list<string>",
    paths: "list<string>",
    lines_added: "int",
    lines_deleted: "int",
    protected: "list<string>",
    infrastructure: "list<string>",
  },
  Finding: { file: "string", line: "int", message: "string" },
  Tests: {
    files_changed: "list<string>",
    files_deleted: "list<string>",
    skipped: "list<Finding>",
    focused: "list<Finding>",
    assertions_removed: "list<Finding>",
    loosened: "list<Finding>",
    weakened: "bool",
  },
  Advisory: { id: "string", severity: "string", title: "string", url: "string" },
  Registry: {
    checked: "bool",
    error: "string",
    exists: "bool",
    version: "string",
    age_days: "int",
    version_age_days: "int",
    weekly_downloads: "int",
    install_scripts: "list<string>",
    advisories: "list<Advisory>",
    max_severity: "string",
  },
  Dependency: {
    name: "string",
    spec: "string",
    dev: "bool",
    similar_to: "string",
    distance: "int",
    registry: "Registry",
  },
  Dependencies: {
    added: "list<Dependency>",
    removed: "list<string>",
    changed: "list<string>",
    lock_added: "list<string>",
  },
  Secret: { file: "string", line: "int", message: "string", rule: "string" },
  CommandCheck: {
    name: "string",
    command: "string",
    passed: "bool",
    exit_code: "int",
    output: "string",
  },
  Analysis: { present: "bool", passed: "bool", checks: "list<CommandCheck>" },
  ArchitectureViolation: { rule: "string", severity: "string", from: "string", to: "string" },
  Architecture: { present: "bool", violations: "list<ArchitectureViolation>" },
  Scenarios: {
    present: "bool",
    satisfaction: "double",
    threshold: "double",
    satisfied: "bool",
    must_pass_failed: "list<string>",
  },
  Evaluation: { present: "bool", verdict: "string" },
  Cost: { present: "bool", usd: "double", tokens: "int" },
  Risk: { declared: "string", measured: "string", level: "string", reasons: "list<string>" },
} as const;

/** The variables a rule can name, with their CEL types. */
export const factVariables = {
  change: "Change",
  tests: "Tests",
  dependencies: "Dependencies",
  secrets: "list<Secret>",
  analysis: "Analysis",
  architecture: "Architecture",
  scenarios: "Scenarios",
  evaluation: "Evaluation",
  cost: "Cost",
  risk: "Risk",
} as const satisfies Record<keyof ChangeFacts, string>;
