import type { EvidenceDatabase, Figure } from './figure.ts';

/**
 * Builds figures against their targets, so every section states a target the same way and the
 * `met` flag can never disagree with the target text printed beside it.
 */
export function figures(section: string, database: EvidenceDatabase) {
  const make = (name: string, value: number, unit: string, target: string, met: boolean): Figure => ({
    section,
    name,
    database,
    value,
    unit,
    target,
    met: Number.isFinite(value) && met,
  });
  return {
    exactly: (name: string, value: number, unit: string, wanted: number): Figure =>
      make(name, value, unit, `= ${String(wanted)}`, value === wanted),
    atMost: (name: string, value: number, unit: string, limit: number): Figure =>
      make(name, value, unit, `≤ ${String(limit)}${unit === '%' ? ' %' : ''}`, value <= limit),
    atLeast: (name: string, value: number, unit: string, limit: number): Figure =>
      make(name, value, unit, `≥ ${String(limit)}`, value >= limit),
    /** A yes/no guarantee: value 1 when it held, 0 when it did not. */
    holds: (name: string, held: boolean): Figure => make(name, held ? 1 : 0, 'yes=1', '= 1', held),
  };
}

/** A section that threw: one failed figure, so the run cannot pass on a guarantee it never measured. */
export function sectionFailed(section: string, database: EvidenceDatabase): Figure {
  return figures(section, database).holds('section ran to completion', false);
}
