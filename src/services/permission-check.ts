import { isRole, roleHasPermission, type Permission } from '../domain/roles.ts';
import { AppError } from './app-error.ts';
import type { Actor } from './audit-service.ts';

/**
 * A clinical rule (who may give, confirm or sign) checked again in the service, so it holds for
 * every caller (pages, API, CLI, demo, jobs), not only where a route declared it.
 */
export function requirePermission(actor: Actor, permission: Permission, message: string): void {
  if (!(isRole(actor.role) && roleHasPermission(actor.role, permission))) {
    throw new AppError('FORBIDDEN', message);
  }
}
