import type { Db } from '../storage/database.ts';
import { countPatients } from '../storage/patients.repository.ts';

export interface ServiceFigures {
  readonly patientsRegistered: number;
  readonly activeStaffAccounts: number;
  readonly staffByRole: Readonly<Record<string, number>>;
}

/** Counts only: no patient-identifiable data, so service managers can see them. */
export async function serviceFigures(db: Db): Promise<ServiceFigures> {
  const byRole = await db
    .selectFrom('users')
    .select(['role', (eb) => eb.fn.countAll<number>().as('n')])
    .where('disabled_at', 'is', null)
    .groupBy('role')
    .execute();
  const staffByRole: Record<string, number> = {};
  for (const r of byRole) {
    staffByRole[r.role] = r.n;
  }
  return {
    patientsRegistered: await countPatients(db),
    activeStaffAccounts: Object.values(staffByRole).reduce((a, b) => a + b, 0),
    staffByRole,
  };
}
