export { AccessDeniedError } from "./access/access-denied-error.js";
export type { AccessHome } from "./access/access-home.js";
export {
  type AccessAction,
  accessActions,
  accessRoles,
  isAccessRole,
  roleAllows,
  rolesAllowed,
} from "./access/actions.js";
export {
  castApprovalVote,
  type QuorumRequirement,
  quorumRequirement,
  tallyVotes,
  type VoteInput,
  type VoteTally,
} from "./access/approvals.js";
export { authorize, type Denial, denyAccess } from "./access/authorize.js";
export { principalKind, principalName } from "./access/principal-name.js";
export {
  addPrincipal,
  BOOTSTRAP_ROLES,
  bootstrapAdmin,
  createToken,
  listPrincipals,
  listTokens,
  revokeToken,
  updatePrincipal,
} from "./access/principals.js";
export { type ResolvePrincipalOptions, resolvePrincipal } from "./access/resolve-principal.js";
export { hashToken, newToken, TOKEN_PREFIX } from "./access/tokens.js";
export {
  type AuditCheckpointOptions,
  type AuditEvent,
  type AuditLog,
  type AuditLogOptions,
  createAuditLog,
} from "./audit/audit-log.js";
export { canonicalJson } from "./audit/canonical-json.js";
export {
  CHECKPOINT_ACTION,
  type CheckpointData,
  type CheckpointSummary,
  checkpointPayload,
} from "./audit/checkpoint.js";
export { type AuditExportSummary, auditExportLines, verifyAuditExport } from "./audit/export.js";
export { GENESIS_HASH, hashAuditEntry, sealAuditEntry } from "./audit/seal.js";
export { verifyAuditLog } from "./audit/verify-audit-log.js";
export {
  type AuditAnchor,
  type AuditBreak,
  type AuditFault,
  type AuditVerification,
  parseAuditAnchor,
} from "./audit/verify-chain.js";
export {
  type BuildProvenanceInput,
  buildProvenance,
  type InTotoStatement,
  PROVENANCE_BUILD_TYPE,
  type ProvenanceHome,
} from "./provenance/build-provenance.js";
export {
  type DsseEnvelope,
  type EnvelopeVerification,
  IN_TOTO_PAYLOAD_TYPE,
  pae,
  signEnvelope,
  verifyEnvelope,
} from "./provenance/dsse.js";
export {
  createRedactor,
  type Redactor,
  type RedactorOptions,
  secretValuesFromEnv,
} from "./redact.js";
export {
  keyIdOf,
  type LoadSigningKeyOptions,
  loadOrCreateSigningKey,
  parseVerifyingKey,
  readVerifyingKey,
  type SigningKey,
  type VerifyingKey,
} from "./signing/signing-key.js";
