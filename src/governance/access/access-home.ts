import type { Store } from "../../store/index.js";
import type { AuditLog } from "../audit/audit-log.js";

/** The part of an opened home access control needs: where principals live and where denials go. */
export interface AccessHome {
  store: Store;
  audit: AuditLog;
}
