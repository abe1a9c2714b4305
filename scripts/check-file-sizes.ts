// Source files stay small enough to read at one sitting: over the TypeScript files in src/
// (tests and migrations left out), the median is at most MEDIAN_MAX lines and no file is over
// FILE_MAX. Prints the median and every file over the limit; exits 1 when either is broken.
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';

const MEDIAN_MAX = 150;
const FILE_MAX = 500;
const SHOW_LARGEST = 10;

const srcDir = join(import.meta.dirname, '..', 'src');

interface SourceFile {
  path: string;
  lines: number;
}

function isCounted(path: string): boolean {
  return path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.startsWith('src/storage/migrations/');
}

function lineCount(text: string): number {
  if (text === '') {
    return 0;
  }
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

const files: SourceFile[] = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
  .map((relative) => `src/${relative.split(sep).join('/')}`)
  .filter(isCounted)
  .map((path) => ({ path, lines: lineCount(readFileSync(join(srcDir, '..', path), 'utf8')) }))
  .sort((a, b) => b.lines - a.lines || a.path.localeCompare(b.path));

const middle = median(files.map((file) => file.lines).reverse());
const tooLong = files.filter((file) => file.lines > FILE_MAX);
const medianMet = middle <= MEDIAN_MAX;

console.log(
  `File sizes: ${String(files.length)} source files in src/ (tests and migrations left out), median ${String(middle)} lines (at most ${String(MEDIAN_MAX)}): ${medianMet ? 'met' : 'NOT MET'}`,
);
if (tooLong.length > 0) {
  console.log(`Files over ${String(FILE_MAX)} lines:`);
  for (const file of tooLong) {
    console.log(`  ${String(file.lines).padStart(5)}  ${file.path}`);
  }
}
if (!medianMet && tooLong.length === 0) {
  console.log(`Largest files:`);
  for (const file of files.slice(0, SHOW_LARGEST)) {
    console.log(`  ${String(file.lines).padStart(5)}  ${file.path}`);
  }
}
if (!medianMet || tooLong.length > 0) {
  process.exitCode = 1;
}
