/** The factory.yaml that `factory init` writes when no example is asked for. */
export const factoryYamlTemplate = `# darkfactory home. Humans write here; agents never see this folder.
version: 1

product:
  # The product's git repository, relative to this file or absolute.
  repo: ../product
  main_branch: main
  commands:
    install: npm ci --ignore-scripts
    test: npm test

# Which driver plays each role: llm (our tool loop), cli (claude, codex, ...) or script.
agents: {}
#  builder:
#    driver: llm
#    provider: anthropic
#    model: claude-sonnet-5-5
#    api_key_env: ANTHROPIC_API_KEY   # the variable's name, never the key

budgets:
  bolt: { usd: 10, tokens: 2000000, wall_time: 2h }
  task: { usd: 2, tokens: 400000, wall_time: 30m, steps: 60 }

risk:
  default: medium
  approvals:          # stages that wait for a person, per risk level
    low: []
    medium: [release]
    high: [plan, release]

secrets:
  env: []             # variables whose values are secrets (beyond *_TOKEN, *_KEY, ...)
`;
