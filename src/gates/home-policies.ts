import { defaultPolicyPath, policyFiles } from "./rules/index.js";

/**
 * The policy files a home's changes are judged by: its `policies/*.yaml`, or the shipped
 * default when it has none, so a home without policies is never a home without gates.
 */
export function homePolicies(homeRoot: string): string[] {
  const files = policyFiles(homeRoot);
  return files.length > 0 ? files : [defaultPolicyPath];
}
