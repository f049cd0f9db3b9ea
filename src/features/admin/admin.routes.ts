import { Router } from 'express';
import { requireRight } from '../../platform/auth-guards';
import { noStore } from '../../platform/no-store';
import type { AuditLog } from '../audit';
import { adminController, type MailReport } from './admin.controller';
import type { AdminService } from './admin.service';

export function adminRouter(deps: { admin: AdminService; audit: AuditLog; mail: MailReport }): Router {
  const router = Router();
  const admin = adminController(deps);
  const manageUsers = requireRight('users.manage');

  router.get('/admin/users', manageUsers, noStore, admin.users);
  router.post('/admin/users/:id/role', manageUsers, admin.changeRole);
  router.post('/admin/users/:id/deactivate', manageUsers, admin.deactivate);
  router.post('/admin/users/:id/reactivate', manageUsers, admin.reactivate);
  router.get('/admin/audit', requireRight('audit.read'), noStore, admin.auditLog);
  router.get('/admin/mail', requireRight('audit.read'), noStore, admin.mail);
  return router;
}
