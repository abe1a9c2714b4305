import type { Clock } from '../../src/services/clock.ts';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  #ms: number;
  constructor(iso = '2026-11-24T10:00:00.000Z') {
    this.#ms = Date.parse(iso);
  }
  now(): Date {
    return new Date(this.#ms);
  }
  advanceSeconds(s: number): void {
    this.#ms += s * 1000;
  }
  /** Moves on by `ms` and returns the clock, to pass it on in one expression. */
  advanceMs(ms: number): this {
    this.#ms += ms;
    return this;
  }
  set(iso: string): void {
    this.#ms = Date.parse(iso);
  }
}
