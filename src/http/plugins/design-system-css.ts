import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * The NHS.UK stylesheet as this service serves it. nhsuk-frontend's CSS loads the Frutiger
 * fonts from the NHS's own site (assets.nhs.uk) and ships no font files; the pages' CSP allows
 * fonts from this service only (font-src 'self'), so as shipped every page logged CSP
 * violations and fell back to Arial after a refused fetch. Here the font addresses point at
 * /assets/fonts/, served from NHS_FONTS_DIR when the organisation has the files; without them
 * the @font-face rules are left out, so the pages use the design system's own fallback (Arial)
 * with nothing refused.
 */

/** The font files the stylesheet names, the only names /assets/fonts/ serves. */
export const NHS_FONT_FILES: readonly string[] = [
  'FrutigerLTW01-55Roman.woff2',
  'FrutigerLTW01-55Roman.woff',
  'FrutigerLTW01-65Bold.woff2',
  'FrutigerLTW01-65Bold.woff',
];

const EXTERNAL_FONT = /url\(["']?https:\/\/assets\.nhs\.uk\/fonts\/([\w.-]+)["']?\)/g;
const FONT_FACE = /@font-face\{[^}]*\}/g;
// The source map is not served; the comment would only send browsers' tools to a 404.
const SOURCE_MAP = /\/\*# sourceMappingURL=[^*]*\*\/\s*$/;

/** The stylesheet with its fonts served here (`fontsServed`) or left out. */
export function designSystemCss(css: string, fontsServed: boolean): string {
  const withoutMap = css.replace(SOURCE_MAP, '');
  if (fontsServed) {
    return withoutMap.replace(EXTERNAL_FONT, (_m, file: string) => `url(/assets/fonts/${file})`);
  }
  return withoutMap.replace(FONT_FACE, (rule) => (rule.includes('https://') ? '' : rule));
}

const FONT_TYPES: Readonly<Record<string, string>> = { woff2: 'font/woff2', woff: 'font/woff' };

/** Serves the stylesheet, and the font files from `fontsDir` when one is set. */
export async function registerDesignSystemCss(
  app: FastifyInstance,
  cssFile: string,
  fontsDir: string | null,
): Promise<void> {
  const css = designSystemCss(await readFile(cssFile, 'utf8'), fontsDir !== null);
  app.get('/assets/nhsuk-frontend.min.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css),
  );
  if (fontsDir === null) {
    return;
  }
  app.get<{ Params: { file: string } }>('/assets/fonts/:file', async (request, reply) => {
    const file = request.params.file;
    if (!NHS_FONT_FILES.includes(file)) {
      reply.callNotFound();
      return reply;
    }
    let body: Buffer;
    try {
      body = await readFile(join(fontsDir, file));
    } catch {
      reply.callNotFound();
      return reply;
    }
    const ext = file.slice(file.lastIndexOf('.') + 1);
    return reply
      .type(FONT_TYPES[ext] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=86400')
      .send(body);
  });
}
