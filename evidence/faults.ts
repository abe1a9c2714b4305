import type { Section } from './figure.ts';
import { postgresFaults } from './faults-postgres.ts';
import { sqliteFaults } from './faults-sqlite.ts';

/**
 * Faults: what each database's own failures look like from outside. PostgreSQL is a separate
 * server that can be unreachable or end connections (faults-postgres.ts); SQLite is a file whose
 * file system can be read-only or full (faults-sqlite.ts). docs/evidence.md says which faults
 * are simulated how, and which cannot be here.
 */
export const faultsSection: Section = async (options) =>
  options.database === 'postgres' ? postgresFaults(options) : sqliteFaults(options);
