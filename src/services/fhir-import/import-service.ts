import { randomUUID } from 'node:crypto';
import {
  decideEntry,
  parsePatientBundle,
  type EntryDecision,
  type ImportBundleType,
  type RegisteredPerson,
} from '../../domain/fhir-import/patient-bundle.ts';
import type { ImportIssue, PatientCandidate } from '../../domain/fhir-import/patient-entry.ts';
import type { Db } from '../../storage/database.ts';
import { isUniqueViolation } from '../../storage/database-errors.ts';
import {
  findPatientByNhsNumber,
  findPatientsBornOn,
  insertPatient,
} from '../../storage/patients.repository.ts';
import { AppError } from '../app-error.ts';
import { actorEvent, appendAudit, type Actor } from '../audit-service.ts';
import { todayIn, type Clock } from '../clock.ts';
import { requirePermission } from '../permission-check.ts';
import { structureIssues } from './structure.ts';

export interface FhirImportDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly timeZone: string;
}

export type EntryOutcome = 'created' | 'matched' | 'rejected' | 'not-saved';

/** One entry's answer: what happened to it and why. */
export interface ImportEntryReport {
  readonly index: number;
  readonly fullUrl: string | null;
  readonly nhsNumber: string | null;
  /** `not-saved`: a clean entry of a transaction that another entry's problem stopped. */
  readonly outcome: EntryOutcome;
  readonly patientId: string | null;
  readonly issues: readonly ImportIssue[];
}

export interface ImportReport {
  readonly bundleType: ImportBundleType | null;
  /** Whether anything was saved: false for a refused transaction. */
  readonly saved: boolean;
  readonly entryCount: number;
  readonly created: number;
  readonly matched: number;
  readonly rejected: number;
  readonly entries: readonly ImportEntryReport[];
  /** Every problem and warning, the bundle's own first, then by entry. */
  readonly issues: readonly ImportIssue[];
}

interface Decided {
  readonly candidate: PatientCandidate;
  readonly decision: EntryDecision;
}

function person(p: RegisteredPerson): RegisteredPerson {
  return {
    id: p.id,
    nhsNumber: p.nhsNumber,
    givenName: p.givenName,
    familyName: p.familyName,
    dateOfBirth: p.dateOfBirth,
  };
}

/**
 * Registers or matches the patients of a FHIR Bundle by NHS number (patient-bundle.ts has the
 * rules). Everything is decided, then saved, in one database transaction with one `fhir.import`
 * audit row naming who imported and how many were matched and created (and each registration's
 * own `patient.create` row, as the form writes). A transaction with any problem saves nothing
 * but that audit row; a batch saves its clean entries.
 */
export async function importPatientBundle(
  deps: FhirImportDeps,
  actor: Actor,
  raw: unknown,
): Promise<ImportReport> {
  requirePermission(actor, 'patient:write', 'Your role does not allow registering patients');
  const parsed = parsePatientBundle(raw, todayIn(deps.clock, deps.timeZone));
  const issues: ImportIssue[] = [...parsed.issues];
  const entries = Array.isArray((raw as { entry?: unknown } | null)?.entry)
    ? (raw as { entry: unknown[] }).entry
    : [];
  // The independent structural check, for entries that passed the register's own checks.
  const badStructure = new Set<number>();
  for (const c of parsed.candidates) {
    const found = structureIssues((entries[c.index] as { resource?: unknown }).resource, c.index);
    if (found.length > 0) {
      badStructure.add(c.index);
      issues.push(...found);
    }
  }
  const candidates = parsed.candidates.filter((c) => !badStructure.has(c.index));
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const decided: Decided[] = [];
      // Registrations decided so far count as registered for the entries after them, so two
      // entries for one person under two NHS numbers are caught as the form would catch them.
      const pending: RegisteredPerson[] = [];
      for (const candidate of candidates) {
        const { input } = candidate;
        const registered = await findPatientByNhsNumber(trx, input.nhsNumber);
        const sameDay = registered
          ? []
          : [
              ...(await findPatientsBornOn(trx, input.dateOfBirth)).map(person),
              ...pending.filter((p) => p.dateOfBirth === input.dateOfBirth),
            ];
        const decision = decideEntry(candidate, registered && person(registered), sameDay);
        if (decision.kind === 'create') {
          pending.push({
            id: `entry ${String(candidate.index)}`,
            nhsNumber: input.nhsNumber,
            givenName: input.givenName,
            familyName: input.familyName,
            dateOfBirth: input.dateOfBirth,
          });
        }
        if (decision.kind === 'conflict') {
          issues.push(...decision.issues);
        } else if (decision.kind === 'matched') {
          issues.push(...decision.warnings);
        }
        decided.push({ candidate, decision });
      }
      const errors = issues.filter((i) => i.severity === 'error');
      const save =
        parsed.bundleType === 'batch' || (parsed.bundleType === 'transaction' && errors.length === 0);
      const at = deps.clock.now().toISOString();
      const ids = new Map<number, string>();
      if (save) {
        for (const { candidate, decision } of decided) {
          if (decision.kind === 'create') {
            const id = randomUUID();
            await insertPatient(trx, id, candidate.input, actor.userId, at);
            await appendAudit(
              trx,
              deps.clock,
              actorEvent(actor, {
                action: 'patient.create',
                outcome: 'success',
                entityType: 'patient',
                entityId: id,
                patientId: id,
                details: { via: 'fhir-import' },
              }),
            );
            ids.set(candidate.index, id);
          }
        }
      }
      const report = buildReport(parsed.bundleType, parsed.entryCount, save, decided, ids, issues);
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'fhir.import',
          outcome: report.saved ? 'success' : 'failure',
          details: {
            bundleType: report.bundleType,
            entries: report.entryCount,
            created: report.created,
            matched: report.matched,
            rejected: report.rejected,
            saved: report.saved,
            // Who the importer learnt is registered, without a row each.
            matchedPatientIds: report.entries.flatMap((e) =>
              e.outcome === 'matched' && e.patientId !== null ? [e.patientId] : [],
            ),
          },
        }),
      );
      return report;
    });
  } catch (err) {
    // Someone registered one of these NHS numbers while the import ran: nothing was saved.
    if (isUniqueViolation(err, 'patients_nhs_number_key')) {
      throw new AppError(
        'DUPLICATE_NHS_NUMBER',
        'A patient in this bundle was registered by someone else while it was imported; nothing was saved. Send the bundle again.',
      );
    }
    throw err;
  }
}

function buildReport(
  bundleType: ImportBundleType | null,
  entryCount: number,
  save: boolean,
  decided: readonly Decided[],
  ids: ReadonlyMap<number, string>,
  issues: readonly ImportIssue[],
): ImportReport {
  const byIndex = new Map(decided.map((d) => [d.candidate.index, d]));
  const nhsOf = new Map(decided.map((d) => [d.candidate.index, d.candidate.input.nhsNumber]));
  const entries: ImportEntryReport[] = [];
  for (let index = 0; index < entryCount; index++) {
    const own = issues.filter((i) => i.index === index);
    const d = byIndex.get(index);
    const failed = own.some((i) => i.severity === 'error') || !d;
    const outcome: EntryOutcome = failed
      ? 'rejected'
      : !save
        ? 'not-saved'
        : d.decision.kind === 'matched'
          ? 'matched'
          : 'created';
    entries.push({
      index,
      fullUrl: d?.candidate.fullUrl ?? null,
      nhsNumber: nhsOf.get(index) ?? null,
      outcome,
      patientId:
        outcome === 'created'
          ? (ids.get(index) ?? null)
          : outcome === 'matched' && d?.decision.kind === 'matched'
            ? d.decision.patientId
            : null,
      issues: own,
    });
  }
  const count = (o: EntryOutcome) => entries.filter((e) => e.outcome === o).length;
  return {
    bundleType,
    saved: save && (count('created') > 0 || count('matched') > 0 || bundleType === 'transaction'),
    entryCount,
    created: count('created'),
    matched: count('matched'),
    rejected: count('rejected'),
    entries,
    issues: [...issues].sort((a, b) => (a.index ?? -1) - (b.index ?? -1)),
  };
}
