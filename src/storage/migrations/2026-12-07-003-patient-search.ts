import { sql, type Kysely } from 'kysely';
import type { SqlDialectName } from '../dialect-name.ts';

/**
 * Patient search and the patient overview's banner:
 * - `patient_search_terms`: every term a patient's names are found by (the normalising rules of
 *   src/domain/patient-search-key.ts: "O'BRIEN-SMITH" is kept as obriensmith, briensmith and
 *   smith), indexed, so a name search reads a range of the index instead of every name in the
 *   register. PostgreSQL compares the terms in the "C" collation, code point by code point as
 *   SQLite does, so one range query answers on both.
 * - `patients.hospital_number_key`: the hospital number in capitals without spaces
 *   ("RR8 123456" is RR8123456), indexed.
 * - `patients.allergies`, `patients.alerts`: what the banner on every patient page shows.
 * Existing rows are backfilled. The rules are copied here as they stand today, so this migration
 * stays frozen in time; a later change to the rules adds a migration that rebuilds the terms.
 * Never edit once released: add a new file.
 */

function atoms(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((a) => a !== '');
}

function terms(name: string): string[] {
  const a = atoms(name);
  return [...new Set(a.map((_, i) => a.slice(i).join('')))];
}

function hospitalKey(text: string | null): string | null {
  const key = (text ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  return key === '' ? null : key;
}

interface Tables {
  patients: {
    id: string;
    given_name: string;
    family_name: string;
    hospital_number: string | null;
    hospital_number_key: string | null;
  };
  patient_search_terms: { patient_id: string; part: string; term: string };
}

const BATCH = 500;

export async function up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  await db.schema.alterTable('patients').addColumn('hospital_number_key', 'text').execute();
  await db.schema.alterTable('patients').addColumn('allergies', 'text').execute();
  await db.schema.alterTable('patients').addColumn('alerts', 'text').execute();
  await db.schema
    .createIndex('patients_hospital_number_key_idx')
    .on('patients')
    .column('hospital_number_key')
    .execute();

  const termType = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  await db.schema
    .createTable('patient_search_terms')
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('part', 'text', (c) => c.notNull())
    .addColumn('term', termType, (c) => c.notNull())
    .addPrimaryKeyConstraint('patient_search_terms_pk', ['patient_id', 'part', 'term'])
    .execute();
  await db.schema
    .createIndex('patient_search_terms_term_idx')
    .on('patient_search_terms')
    .columns(['term', 'patient_id'])
    .execute();

  await backfillPatientSearch(db);
}

/** Search terms and hospital number keys for the patients registered before this migration. */
export async function backfillPatientSearch(db: Kysely<unknown>): Promise<void> {
  const t = db as unknown as Kysely<Tables>;
  let after = '';
  for (;;) {
    const rows = await t
      .selectFrom('patients')
      .select(['id', 'given_name', 'family_name', 'hospital_number'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) {
      break;
    }
    const values = rows.flatMap((r) => [
      ...terms(r.given_name).map((term) => ({ patient_id: r.id, part: 'given', term })),
      ...terms(r.family_name).map((term) => ({ patient_id: r.id, part: 'family', term })),
    ]);
    for (let i = 0; i < values.length; i += BATCH) {
      await t
        .insertInto('patient_search_terms')
        .values(values.slice(i, i + BATCH))
        .execute();
    }
    for (const r of rows) {
      const key = hospitalKey(r.hospital_number);
      if (key !== null) {
        await t.updateTable('patients').set({ hospital_number_key: key }).where('id', '=', r.id).execute();
      }
    }
    after = rows.at(-1)?.id ?? after;
  }
}
