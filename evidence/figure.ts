/**
 * One measured figure of the evidence suite, printed against its target. A section measures one
 * guarantee (crash durability, races, fuzzing, …) on one database and returns its figures; the
 * runner prints them all and exits non-zero when any target is missed.
 */
export type EvidenceDatabase = 'sqlite' | 'postgres';

export interface Figure {
  readonly section: string;
  readonly name: string;
  readonly database: EvidenceDatabase;
  /** The measured value, in `unit`. */
  readonly value: number;
  readonly unit: string;
  /** The target as people read it, e.g. "= 0" or "≤ 20 %". */
  readonly target: string;
  readonly met: boolean;
}

export interface SectionOptions {
  /** Reduced runs in CI within minutes; full is the size the targets are stated for. */
  readonly size: 'reduced' | 'full';
  readonly database: EvidenceDatabase;
  /** The PostgreSQL server to use when `database` is postgres. */
  readonly postgresUrl: string;
  /** Progress lines for the operator (stderr), never the figures themselves. */
  readonly log: (line: string) => void;
}

export type Section = (options: SectionOptions) => Promise<readonly Figure[]>;
