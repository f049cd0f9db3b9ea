import { modelOn } from '../../platform/database/models';
import { type Connection, type Model, Schema, type Types } from 'mongoose';

/**
 * One security event, written once and never changed. Who and whom are copied in (id and
 * e-mail at the time) rather than joined later: the log must read right even after an account
 * changes its e-mail, and neither database should need `$lookup` to show it.
 */
export type AuditRecord = {
  _id: Types.ObjectId;
  at: Date;
  /** `<thing>.<pastTense>`, e.g. `login.failed`; shown through `admin:audit.actions.<action>` */
  action: string;
  actorId?: Types.ObjectId;
  actorEmail?: string;
  targetId?: Types.ObjectId;
  targetEmail?: string;
  ip?: string;
  /** small facts about the event, e.g. `{ from: 'learner', to: 'trainer' }` */
  details?: Record<string, string>;
};
export type AuditModel = Model<AuditRecord>;

const auditSchema = new Schema<AuditRecord>(
  {
    at: { type: Date, required: true },
    action: { type: String, required: true, maxlength: 64 },
    actorId: { type: Schema.Types.ObjectId },
    actorEmail: { type: String, maxlength: 254 },
    targetId: { type: Schema.Types.ObjectId },
    targetEmail: { type: String, maxlength: 254 },
    ip: { type: String, maxlength: 64 },
    details: { type: Schema.Types.Mixed },
  },
  { collection: 'audit_events', versionKey: false },
);
// the log is listed newest first with _id as the tie-break: the index has both, so the sort is read from it
auditSchema.index({ at: -1, _id: -1 });
auditSchema.index({ targetId: 1, at: -1 });

export function getAuditModel(connection: Connection): AuditModel {
  return modelOn<AuditRecord>(connection, 'AuditEvent', auditSchema);
}
