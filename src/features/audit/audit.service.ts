import { type Connection, Types } from 'mongoose';
import { paginate } from '../../platform/database';
import { type AuditModel, type AuditRecord, getAuditModel } from './audit.model';

/** Who did it or whom it concerns: an id and the e-mail at the time, either may be unknown. */
export type AuditParty = { id?: string; email?: string };

export type AuditEventInput = {
  action: string;
  actor?: AuditParty;
  target?: AuditParty;
  ip?: string;
  details?: Record<string, string>;
};

export type AuditEntry = {
  id: string;
  at: Date;
  action: string;
  actorEmail?: string;
  targetEmail?: string;
  ip?: string;
  details: Record<string, string>;
};

export type AuditPage = { entries: AuditEntry[]; page: number; pages: number; total: number };

export type AuditLog = {
  record(event: AuditEventInput): Promise<void>;
  list(options: { page: number; perPage?: number }): Promise<AuditPage>;
};

const objectId = (id: string | undefined) => (id && Types.ObjectId.isValid(id) ? new Types.ObjectId(id) : undefined);

/** Leaves out what is unknown, so no field is ever stored as null. */
function toRecord(event: AuditEventInput, at: Date): Omit<AuditRecord, '_id'> {
  const record: Omit<AuditRecord, '_id'> = { at, action: event.action };
  const actorId = objectId(event.actor?.id);
  const targetId = objectId(event.target?.id);
  if (actorId) record.actorId = actorId;
  if (event.actor?.email) record.actorEmail = event.actor.email;
  if (targetId) record.targetId = targetId;
  if (event.target?.email) record.targetEmail = event.target.email;
  if (event.ip) record.ip = event.ip;
  if (event.details && Object.keys(event.details).length > 0) record.details = event.details;
  return record;
}

export function createAuditLog(deps: { AuditEvent: AuditModel; clock?: () => Date }): AuditLog {
  const { AuditEvent } = deps;
  const clock = deps.clock ?? (() => new Date());
  return {
    async record(event) {
      await AuditEvent.create(toRecord(event, clock()));
    },

    async list({ page, perPage = 50 }) {
      const { docs, page: current, pages, total } = await paginate(AuditEvent, {}, { page, perPage, sort: { at: -1, _id: -1 } });
      const entries = docs.map((d) => ({
        id: String(d._id),
        at: d.at,
        action: d.action,
        actorEmail: d.actorEmail,
        targetEmail: d.targetEmail,
        ip: d.ip,
        details: d.details ?? {},
      }));
      return { entries, page: current, pages, total };
    },
  };
}

/** The audit log on a connection: what other features call to record what they changed. */
export function auditLogFor(connection: Connection): AuditLog {
  return createAuditLog({ AuditEvent: getAuditModel(connection) });
}

export async function createAuditIndexes(connection: Connection): Promise<void> {
  await getAuditModel(connection).createIndexes();
}
