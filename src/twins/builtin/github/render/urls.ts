/**
 * The base URLs the github twin writes into its bodies (`apiUrl`/`htmlUrl`, default
 * api.github.com and github.com), never the twin's port, so journals stay identical from run
 * to run; and the JSON object every renderer returns.
 */
export interface Urls {
  api: string;
  html: string;
}

export type Json = Record<string, unknown>;
