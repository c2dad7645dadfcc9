/** Where things live inside a factory home (DESIGN §1). */
export const homeLayout = {
  config: "factory.yaml",
  folders: ["intents", "scenarios", "policies", "pipelines", "twins"],
  stateDir: ".factory",
  stateDb: ".factory/state.db",
} as const;
