import type { Db } from '../storage/database.ts';
import { countPatients } from '../storage/patients.repository.ts';
import { countActiveUsersByRole } from '../storage/users.repository.ts';

export interface ServiceFigures {
  readonly patientsRegistered: number;
  readonly activeStaffAccounts: number;
  readonly staffByRole: Readonly<Record<string, number>>;
}

/** Counts only: no patient-identifiable data, so service managers can see them. */
export async function serviceFigures(deps: { readonly db: Db }): Promise<ServiceFigures> {
  const staffByRole = await countActiveUsersByRole(deps.db);
  return {
    patientsRegistered: await countPatients(deps.db),
    activeStaffAccounts: Object.values(staffByRole).reduce((a, b) => a + b, 0),
    staffByRole,
  };
}
