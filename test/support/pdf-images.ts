/**
 * Turns a PDF into greyscale page images with Debian's poppler-utils (`pdftoppm`, installed by
 * .ci/run), so tests check what a printer would put on paper: the number of pages, their size,
 * where ink falls. Images are read as binary PGM (P5), which needs no image library.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PageImage {
  readonly width: number;
  readonly height: number;
  readonly dpi: number;
  /** One byte a pixel, 0 black to 255 white, row by row. */
  readonly pixels: Uint8Array;
}

function parsePgm(data: Buffer, dpi: number): PageImage {
  // Header: "P5" width height maxval, separated by whitespace, then one whitespace byte.
  const tokens: string[] = [];
  let i = 0;
  while (tokens.length < 4) {
    while (/\s/.test(String.fromCharCode(data[i] ?? 32))) {
      i++;
    }
    let t = '';
    while (!/\s/.test(String.fromCharCode(data[i] ?? 32))) {
      t += String.fromCharCode(data[i] ?? 32);
      i++;
    }
    tokens.push(t);
  }
  if (tokens[0] !== 'P5' || tokens[3] !== '255') {
    throw new Error(`not an 8-bit PGM: ${tokens.join(' ')}`);
  }
  const width = Number(tokens[1]);
  const height = Number(tokens[2]);
  return { width, height, dpi, pixels: data.subarray(i + 1, i + 1 + width * height) };
}

/** Every page of the PDF as a greyscale image at `dpi`. */
export async function pdfPageImages(pdf: Buffer, dpi = 72): Promise<PageImage[]> {
  const dir = await mkdtemp(join(tmpdir(), 'itb-pdf-'));
  try {
    await writeFile(join(dir, 'in.pdf'), pdf);
    await run('pdftoppm', ['-r', String(dpi), '-gray', join(dir, 'in.pdf'), join(dir, 'page')]);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.pgm')).sort();
    return await Promise.all(files.map(async (f) => parsePgm(await readFile(join(dir, f)), dpi)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A rectangle in millimetres from the page's top-left corner. */
export interface BoxMm {
  readonly xMm: number;
  readonly yMm: number;
  readonly widthMm: number;
  readonly heightMm: number;
}

/** How many pixels inside the box are darker than `threshold` (light anti-aliasing ignored). */
export function inkIn(image: PageImage, box: BoxMm, threshold = 200): number {
  const px = image.dpi / 25.4;
  const x0 = Math.max(0, Math.round(box.xMm * px));
  const y0 = Math.max(0, Math.round(box.yMm * px));
  const x1 = Math.min(image.width, Math.round((box.xMm + box.widthMm) * px));
  const y1 = Math.min(image.height, Math.round((box.yMm + box.heightMm) * px));
  let count = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if ((image.pixels[y * image.width + x] ?? 255) < threshold) {
        count++;
      }
    }
  }
  return count;
}

/** Ink on the page outside every one of `allowed`. */
export function inkOutside(image: PageImage, allowed: readonly BoxMm[], threshold = 200): number {
  const px = image.dpi / 25.4;
  let count = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if ((image.pixels[y * image.width + x] ?? 255) >= threshold) {
        continue;
      }
      const xm = x / px;
      const ym = y / px;
      const inside = allowed.some(
        (b) => xm >= b.xMm && xm <= b.xMm + b.widthMm && ym >= b.yMm && ym <= b.yMm + b.heightMm,
      );
      if (!inside) {
        count++;
      }
    }
  }
  return count;
}
