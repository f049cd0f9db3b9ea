/** Admin pages for accounts, the audit log and undelivered e-mail: /admin/users, /admin/audit, /admin/mail. */
import type { Connection } from 'mongoose';
import { listFailedMail } from '../../platform/outbox';
import { endSessionsOfUser } from '../../platform/session';
import { getUserModel } from '../accounts';
import { auditLogFor } from '../audit';
import { adminRouter } from './admin.routes';
import { createAdminService } from './admin.service';

export { type AdminService, createAdminService } from './admin.service';

/** The admin router on a connection. */
export function createAdmin(connection: Connection) {
  const audit = auditLogFor(connection);
  const admin = createAdminService({
    User: getUserModel(connection),
    audit,
    sessions: { endAllOf: (userId) => endSessionsOfUser(connection, userId) },
  });
  const mail = { listFailed: () => listFailedMail(connection) };
  return { service: admin, router: adminRouter({ admin, audit, mail }) };
}

