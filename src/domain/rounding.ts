/**
 * Rounds to two decimals, half away from zero, as a number (for JSON, the command line and
 * comparisons at 0.01). The tiny nudge puts a value stored just below a half back on it (1.005
 * is held as 1.00499…), which toFixed alone would round down; rounding the magnitude keeps
 * +1.005 and −1.005 alike.
 */
export function roundTo2(value: number): number {
  const scaled = Math.round(Math.abs(value) * 100 + 1e-9) / 100;
  return value < 0 ? -scaled : scaled;
}
