/** The security audit log: other features record what they changed here; admins read it at /admin/audit. */
export {
  type AuditEntry,
  type AuditEventInput,
  type AuditLog,
  type AuditPage,
  type AuditParty,
  auditLogFor,
  createAuditIndexes,
} from './audit.service';
