import { describe, expect, it } from "vitest";
import { defaultInfrastructurePaths, defaultProtectedPaths } from "../../home/config-schema.js";
import { matchesGlob, matchingPaths } from "./glob.js";

describe("matchesGlob", () => {
  it.each([
    [".github/workflows/ci.yml", ".github/**", true],
    [".github", ".github/**", false],
    ["src/.github/x", ".github/**", false],
    ["src/auth/login.ts", "**/auth/**", true],
    ["auth/login.ts", "**/auth/**", true],
    ["src/author/x.ts", "**/auth/**", false],
    ["a.js", "**/*.{js,ts}", true],
    ["deep/er/a.ts", "**/*.{js,ts}", true],
    ["a.tsx", "**/*.{js,ts}", false],
    ["Dockerfile", "Dockerfile", true],
    ["app/Dockerfile", "Dockerfile", false],
    ["app/Dockerfile", "**/Dockerfile", true],
    ["docker-compose.prod.yml", "docker-compose*.yml", true],
    ["a/docker-compose.yml", "docker-compose*.yml", false],
    ["src/a.ts", "src/*.ts", true],
    ["src/x/a.ts", "src/*.ts", false],
    ["a1.txt", "a?.txt", true],
    ["a12.txt", "a?.txt", false],
    ["v1.sql", "v[0-9].sql", true],
    ["va.sql", "v[!0-9].sql", true],
    ["v1.sql", "v[!0-9].sql", false],
    ["a+b(c).txt", "a+b(c).txt", true],
    ["axb.txt", "a.b.txt", false],
    [".env.local", ".env*", true],
    ["db/schema.sql", "db/**/*.sql", true],
    ["db/x/y/schema.sql", "db/**/*.sql", true],
    ["dbx/schema.sql", "db/**/*.sql", false],
    ["src/app.config.js", "**/*.config.*", true],
  ])("%s against %s is %s", (path, glob, expected) => {
    expect(matchesGlob(path, glob)).toBe(expected);
  });

  it("matches the default protected and infrastructure paths as documented", () => {
    const paths = [
      ".github/workflows/ci.yml",
      "src/server/oauth.ts",
      "db/migrations/001.sql",
      "src/app.ts",
      "infra/main.tf",
      "services/api/Dockerfile",
      "README.md",
    ];
    expect(matchingPaths(paths, defaultProtectedPaths)).toEqual([
      ".github/workflows/ci.yml",
      "src/server/oauth.ts",
      "db/migrations/001.sql",
    ]);
    expect(matchingPaths(paths, defaultInfrastructurePaths)).toEqual([
      "infra/main.tf",
      "services/api/Dockerfile",
    ]);
  });
});
