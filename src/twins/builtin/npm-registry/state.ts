/** The npm twin's state: packages with their versions, and advisories. */

/** One day in milliseconds; fixture ages and download windows count in days. */
export const DAY = 86_400_000;

export interface NpmVersion {
  version: string;
  /** Epoch ms. */
  publishedAt: number;
  description: string;
  license: string;
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
  deprecated?: string;
  /** The package's index.js. */
  index: string;
}

export interface NpmPackage {
  name: string;
  description: string;
  distTags: Record<string, string>;
  versions: NpmVersion[];
  /** Downloads in the last seven days. */
  weeklyDownloads: number;
  maintainers: Array<{ name: string; email: string }>;
  keywords: string[];
  rev: string;
}

export interface NpmAdvisory {
  id: number;
  package: string;
  url: string;
  title: string;
  severity: "low" | "moderate" | "high" | "critical";
  vulnerable_versions: string;
  cwe: string[];
  cvss: { score: number; vectorString: string | null };
}

export interface NpmRegistryState {
  packages: Record<string, NpmPackage>;
  advisories: NpmAdvisory[];
}
