import type { Quantity, Reference, Resource } from '@medplum/fhirtypes';
import { offsetMinutes } from '../test-dose-time.ts';
import { UCUM } from './codes.ts';

/** A reference to another exported resource ("Patient/<id>"), typed as the element wants it. */
export function ref<T extends Resource = Resource>(
  type: T['resourceType'],
  id: string,
  display?: string,
): Reference<T> {
  return display === undefined ? { reference: `${type}/${id}` } : { reference: `${type}/${id}`, display };
}

/** A UCUM quantity (https://ucum.org): mL, ug, ug/d, ug/mL. */
export function ucum(value: number, code: string, unit: string): Quantity {
  return { value, unit, system: UCUM, code };
}

export const millilitres = (v: number): Quantity => ucum(v, 'mL', 'mL');
export const micrograms = (v: number): Quantity => ucum(v, 'ug', 'microgram');
export const microgramsPerDay = (v: number): Quantity => ucum(v, 'ug/d', 'microgram/day');

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * A local wall-clock time in the service's zone as a FHIR instant with its offset
 * ("2026-07-01T09:30:00+01:00"): FHIR instants need a zone (R4 datatypes, instant).
 */
export function localInstant(date: string, time: string, timeZone: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // Two passes, as localDayStartMs does: the offset may change between guess and answer.
  let offset = offsetMinutes(wall, timeZone);
  offset = offsetMinutes(wall - offset * 60_000, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${date}T${twoDigits(hh)}:${twoDigits(mm)}:00${sign}${twoDigits(Math.floor(abs / 60))}:${twoDigits(abs % 60)}`;
}

/** The day after a YYYY-MM-DD date. */
export function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
