/**
 * The seeded advisories, shaped after real GitHub advisories (titles, ranges, CWEs); their
 * numeric ids (given by `initialNpmState`) and scores are fixture data, not a copy of the live
 * database.
 */
import type { NpmAdvisory } from "./state.js";

const HIGH_NETWORK = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";

export const ADVISORIES: Array<Omit<NpmAdvisory, "id">> = [
  {
    package: "lodash",
    url: "https://github.com/advisories/GHSA-35jh-r3h4-6jhm",
    title: "Command Injection in lodash",
    severity: "high",
    vulnerable_versions: "<4.17.21",
    cwe: ["CWE-77", "CWE-94"],
    cvss: { score: 7.2, vectorString: "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H" },
  },
  {
    package: "lodash",
    url: "https://github.com/advisories/GHSA-p6mc-m468-83gw",
    title: "Prototype Pollution in lodash",
    severity: "high",
    vulnerable_versions: ">=3.7.0 <4.17.19",
    cwe: ["CWE-770", "CWE-1321"],
    cvss: { score: 7.4, vectorString: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H" },
  },
  {
    package: "express",
    url: "https://github.com/advisories/GHSA-rv95-896h-c2vc",
    title: "Express.js Open Redirect in malformed URLs",
    severity: "moderate",
    vulnerable_versions: "<4.19.2",
    cwe: ["CWE-601", "CWE-1286"],
    cvss: { score: 6.1, vectorString: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N" },
  },
  {
    package: "axios",
    url: "https://github.com/advisories/GHSA-wf5p-g6vw-rhxx",
    title: "Axios Cross-Site Request Forgery Vulnerability",
    severity: "moderate",
    vulnerable_versions: ">=0.8.1 <0.28.0 || >=1.0.0 <1.6.0",
    cwe: ["CWE-352"],
    cvss: { score: 6.5, vectorString: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N" },
  },
  {
    package: "event-stream",
    url: "https://github.com/advisories/GHSA-mh6f-8j2x-4483",
    title: "Critical severity vulnerability that affects event-stream and flatmap-stream",
    severity: "critical",
    vulnerable_versions: "=3.3.6",
    cwe: ["CWE-506"],
    cvss: { score: 9.8, vectorString: HIGH_NETWORK },
  },
  {
    package: "flatmap-stream",
    url: "https://github.com/advisories/GHSA-9x64-5r7x-2q53",
    title: "Malicious Package in flatmap-stream",
    severity: "critical",
    vulnerable_versions: "*",
    cwe: ["CWE-506"],
    cvss: { score: 0, vectorString: null },
  },
  {
    package: "ua-parser-js",
    url: "https://github.com/advisories/GHSA-pjwm-rvh2-c87w",
    title: "Embedded malware in ua-parser-js",
    severity: "critical",
    vulnerable_versions: "=0.7.29 || =0.8.0 || =1.0.0",
    cwe: ["CWE-829", "CWE-912"],
    cvss: { score: 0, vectorString: null },
  },
];
