import type { Kysely } from 'kysely';

/**
 * Caseload imports from a spreadsheet (services/caseload-import/): the uploaded rows kept
 * server-side between the dry run and the confirmation, and what each committed row created.
 * New tables only, so every existing row stays valid. Written against Kysely<unknown> so it
 * stays frozen in time. Never edit once released: add a new file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('caseload_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    // SHA-256 of the file as uploaded, hex: names the file in the audit trail.
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    // 'xlsx' or 'csv'.
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    // JSON: the header row as read, and the data rows [{ rowNumber, cells }] (domain cells.ts).
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('rows', 'text', (c) => c.notNull())
    // 'staged' until confirmed once ('committed'); a staged import past expires_at cannot be.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('committed_at', 'text')
    .addColumn('committed_by', 'text', (c) => c.references('users.id'))
    // JSON counts of the commit (patients created or matched, pumps, appointments), null before.
    .addColumn('summary', 'text')
    .execute();
  await db.schema
    .createIndex('caseload_imports_uploader_idx')
    .on('caseload_imports')
    .columns(['uploaded_by', 'uploaded_at'])
    .execute();

  await db.schema
    .createTable('caseload_import_records')
    .addColumn('import_id', 'text', (c) => c.notNull().references('caseload_imports.id'))
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    // 1 when the import registered the patient; 0 when it matched a registered one.
    .addColumn('patient_created', 'integer', (c) => c.notNull())
    .addColumn('pump_id', 'text', (c) => c.notNull().references('pumps.id'))
    .addColumn('prescription_id', 'text', (c) => c.notNull().references('prescriptions.id'))
    .addColumn('refill_id', 'text', (c) => c.notNull().references('refills.id'))
    .addColumn('appointment_id', 'text', (c) => c.references('pump_appointments.id'))
    .addPrimaryKeyConstraint('caseload_import_records_pk', ['import_id', 'row_number'])
    .execute();
  await db.schema
    .createIndex('caseload_import_records_pump_idx')
    .on('caseload_import_records')
    .column('pump_id')
    .execute();
}
