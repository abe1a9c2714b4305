import type { PlainDate } from '../calendar-date.ts';
import type { Origin } from '../dose-change.ts';
import type { DoseProgramme } from '../dose-programme.ts';
import type { PatientInput } from '../patient.ts';
import type { PumpModel } from '../pump-device.ts';
import type { PumpRules } from '../pump-rules.ts';
import type { RefillPlan } from '../refill-arithmetic.ts';
import type { RowProblem } from './problems.ts';

/*
 * The shapes a caseload row's checks work with, apart from the checks themselves, so the row's
 * own checks (row-checks.ts) and the checks against the register (register-checks.ts) can both
 * use them.
 */

/** What the database already holds that a row may clash with, loaded by the service. */
export interface RegisteredFacts {
  /** By NHS number: the patient, and whether they have a pump in service. */
  readonly patients: ReadonlyMap<
    string,
    { readonly id: string; readonly dateOfBirth: string; readonly pumpInService: boolean }
  >;
  /** `modelId serial` of every registered pump. */
  readonly serials: ReadonlySet<string>;
}

/** What a row's own checks depend on, besides its cells and the column mapping. */
export interface RowContentContext {
  /** The service's calendar day (the domain reads no clock). */
  readonly today: PlainDate;
  readonly rules: PumpRules;
}

export interface CaseloadCheckContext extends RowContentContext {
  readonly registered: RegisteredFacts;
}

/** One checked row, ready to save: the entities the commit writes. */
export interface CaseloadRecord {
  readonly rowNumber: number;
  readonly patient: PatientInput;
  /** A registered patient (same NHS number and date of birth, no pump in service) given the pump. */
  readonly existingPatientId: string | null;
  readonly pump: {
    readonly modelId: string;
    readonly reservoirMl: number;
    readonly serialNumber: string;
    readonly implantedOn: PlainDate;
    readonly implantDateGiven: boolean;
    readonly origin: Origin;
    readonly alarmMl: number;
  };
  readonly prescription: {
    readonly concentrationMcgPerMl: number;
    readonly doseMcgPerDay: number;
    readonly programme: DoseProgramme;
  };
  readonly fill: { readonly filledOn: PlainDate; readonly fillMl: number; readonly plan: RefillPlan };
  readonly nextRefillOn: PlainDate | null;
}

/**
 * A row checked on its own (every check but those against the register): the same cells, mapping,
 * day and rules give the same result, so a commit may reuse the dry run's (register-checks.ts).
 */
export interface RowContent {
  readonly rowNumber: number;
  readonly problems: readonly RowProblem[];
  /** The row ready to save, but for the register; null when its content has an error. */
  readonly draft: Omit<CaseloadRecord, 'existingPatientId'> | null;
  /** A valid patient's NHS number and date of birth, for the register check. */
  readonly patient: { readonly nhsNumber: string; readonly dateOfBirth: string } | null;
  /** A known model with a serial, for the register check. */
  readonly pump: { readonly model: PumpModel; readonly serial: string } | null;
}
