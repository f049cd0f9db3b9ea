/** Admin pages for accounts, the audit log and undelivered e-mail: /admin/users, /admin/audit, /admin/mail. */
import type { Connection } from 'mongoose';
import { listFailedMail } from '../../platform/outbox';
import { sessionsPortOn, type UserModel } from '../accounts';
import type { AuditLog } from '../audit';
import { adminRouter } from './admin.routes';
import { createAdminService } from './admin.service';

export { type AdminService, createAdminService } from './admin.service';

/** The admin router on a connection, with the shared user model and audit log built in createApp. */
export function createAdmin(deps: { connection: Connection; User: UserModel; audit: AuditLog }) {
  const { connection, audit } = deps;
  const admin = createAdminService({
    User: deps.User,
    audit,
    sessions: sessionsPortOn(connection),
  });
  const mail = { listFailed: () => listFailedMail(connection) };
  return { service: admin, router: adminRouter({ admin, audit, mail }) };
}

