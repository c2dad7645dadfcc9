export {
  type AuditEvent,
  type AuditLog,
  type AuditLogOptions,
  createAuditLog,
} from "./audit/audit-log.js";
export { canonicalJson } from "./audit/canonical-json.js";
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
  createRedactor,
  type Redactor,
  type RedactorOptions,
  secretValuesFromEnv,
} from "./redact.js";
