/** The access side of the SQLite store: principals, their tokens and the votes at human gates. */
import { InputError } from "../../common/index.js";
import type { AccessToken, ApprovalVote, Principal, Store } from "../contract.js";
import type { ProgressDeps } from "./progress.js";

interface PrincipalRow {
  name: string;
  kind: Principal["kind"];
  roles: string;
  created_at: number;
  disabled: number;
}
interface TokenRow {
  id: string;
  principal: string;
  hash: string;
  created_at: number;
  revoked_at: number | null;
}
interface VoteRow {
  bolt_id: string;
  node_id: string;
  visit: number;
  principal: string;
  decision: ApprovalVote["decision"];
  commit_sha: string;
  at: number;
}

type AccessMethods = Pick<
  Store,
  | "addPrincipal"
  | "getPrincipal"
  | "listPrincipals"
  | "updatePrincipal"
  | "addToken"
  | "findTokenByHash"
  | "revokeToken"
  | "listTokens"
  | "addApprovalVote"
  | "listApprovalVotes"
>;

const toPrincipal = (row: PrincipalRow): Principal => ({
  name: row.name,
  kind: row.kind,
  roles: JSON.parse(row.roles) as string[],
  createdAt: row.created_at,
  disabled: row.disabled !== 0,
});
const toToken = (row: TokenRow): AccessToken => ({
  id: row.id,
  principal: row.principal,
  hash: row.hash,
  createdAt: row.created_at,
  ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
});
const toVote = (row: VoteRow): ApprovalVote => ({
  boltId: row.bolt_id,
  nodeId: row.node_id,
  visit: row.visit,
  principal: row.principal,
  decision: row.decision,
  commit: row.commit_sha,
  at: row.at,
});

function principalNotFound(name: string): InputError {
  return new InputError("principal-not-found", `no principal named ${name}`, {
    hint: "list them with `factory principal list`",
  });
}

export function createAccessMethods({
  db,
  write,
  now,
  appendAuditNow,
}: ProgressDeps): AccessMethods {
  const s = {
    getPrincipal: db.prepare<[string], PrincipalRow>("SELECT * FROM principals WHERE name = ?"),
    insertPrincipal: db.prepare(
      "INSERT INTO principals (name, kind, roles, created_at, disabled) VALUES (?, ?, ?, ?, 0)",
    ),
    listPrincipals: db.prepare<[], PrincipalRow>("SELECT * FROM principals ORDER BY name"),
    setRoles: db.prepare("UPDATE principals SET roles = ? WHERE name = ?"),
    setDisabled: db.prepare("UPDATE principals SET disabled = ? WHERE name = ?"),
    getToken: db.prepare<[string], TokenRow>("SELECT * FROM access_tokens WHERE id = ?"),
    tokenByHash: db.prepare<[string], TokenRow>("SELECT * FROM access_tokens WHERE hash = ?"),
    insertToken: db.prepare(
      "INSERT INTO access_tokens (id, principal, hash, created_at) VALUES (?, ?, ?, ?)",
    ),
    revokeToken: db.prepare(
      "UPDATE access_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
    ),
    getVote: db.prepare<[string, string, number, string], VoteRow>(
      "SELECT * FROM approval_votes WHERE bolt_id = ? AND node_id = ? AND visit = ? AND principal = ?",
    ),
    insertVote: db.prepare(
      "INSERT INTO approval_votes (bolt_id, node_id, visit, principal, decision, commit_sha, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    listVotes: db.prepare<[string, string, number], VoteRow>(
      "SELECT * FROM approval_votes WHERE bolt_id = ? AND node_id = ? AND visit = ? ORDER BY at, rowid",
    ),
  };

  return {
    async addPrincipal(input) {
      return write(() => {
        if (s.getPrincipal.get(input.name)) {
          throw new InputError("principal-exists", `a principal named ${input.name} exists`, {
            hint: "choose another name, or change its roles",
          });
        }
        s.insertPrincipal.run(input.name, input.kind, JSON.stringify(input.roles), now());
        return toPrincipal(s.getPrincipal.get(input.name) as PrincipalRow);
      });
    },

    async getPrincipal(name) {
      const row = s.getPrincipal.get(name);
      return row ? toPrincipal(row) : undefined;
    },

    async listPrincipals() {
      return s.listPrincipals.all().map(toPrincipal);
    },

    async updatePrincipal(name, change) {
      return write(() => {
        if (!s.getPrincipal.get(name)) throw principalNotFound(name);
        if (change.roles) s.setRoles.run(JSON.stringify(change.roles), name);
        if (change.disabled !== undefined) s.setDisabled.run(change.disabled ? 1 : 0, name);
        return toPrincipal(s.getPrincipal.get(name) as PrincipalRow);
      });
    },

    async addToken(input) {
      return write(() => {
        if (!s.getPrincipal.get(input.principal)) throw principalNotFound(input.principal);
        s.insertToken.run(input.id, input.principal, input.hash, now());
        return toToken(s.getToken.get(input.id) as TokenRow);
      });
    },

    async findTokenByHash(hash) {
      const row = s.tokenByHash.get(hash);
      return row ? toToken(row) : undefined;
    },

    async revokeToken(id) {
      return write(() => {
        if (!s.getToken.get(id)) {
          throw new InputError("token-not-found", `no token with id ${id}`, {
            hint: "list them with `factory token list`",
          });
        }
        s.revokeToken.run(now(), id);
        return toToken(s.getToken.get(id) as TokenRow);
      });
    },

    async listTokens(filter = {}) {
      const rows = filter.principal
        ? db
            .prepare<[string], TokenRow>(
              "SELECT * FROM access_tokens WHERE principal = ? ORDER BY created_at, id",
            )
            .all(filter.principal)
        : db.prepare<[], TokenRow>("SELECT * FROM access_tokens ORDER BY created_at, id").all();
      return rows.map(toToken);
    },

    async addApprovalVote(vote, audit) {
      return write(() => {
        if (s.getVote.get(vote.boltId, vote.nodeId, vote.visit, vote.principal)) {
          throw new InputError(
            "already-voted",
            `${vote.principal} has already voted at ${vote.nodeId} of bolt ${vote.boltId}`,
            { hint: "one principal counts once; another approver must vote" },
          );
        }
        const at = now();
        s.insertVote.run(
          vote.boltId,
          vote.nodeId,
          vote.visit,
          vote.principal,
          vote.decision,
          vote.commit,
          at,
        );
        if (audit) appendAuditNow(audit.drafts, audit.seal);
        return { ...vote, at };
      });
    },

    async listApprovalVotes(boltId, nodeId, visit) {
      return s.listVotes.all(boltId, nodeId, visit).map(toVote);
    },
  };
}
