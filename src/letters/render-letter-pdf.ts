/**
 * Lays a letter out as an A4 PDF in the usual NHS letter shape: the service's address top right,
 * the recipient top left (where a window envelope shows it), then the date, reference,
 * salutation, title, body and sign-off. Uses only the PDF standard Helvetica fonts, so nothing
 * is read from disk or fetched. The PDF is tagged (structure tree, reading order, en-GB) so
 * screen readers can read it, and the same content and createdAt give the same bytes.
 */
import PDFDocument from 'pdfkit';
import { formatPlainDate } from '../domain/calendar-date.ts';
import type { LetterBlock, LetterContent } from '../domain/referral-letters.ts';

export interface RenderLetterOptions {
  /** The document's creation date; fixing it makes the output byte-for-byte repeatable. */
  readonly createdAt?: Date;
}

const MM = 72 / 25.4;
const PAGE = { width: 595.28, height: 841.89 }; // A4 in points
const MARGIN = { top: 20 * MM, bottom: 22 * MM, left: 20 * MM, right: 20 * MM };
/** Top of the recipient block: about where a DL window envelope shows the address. */
const RECIPIENT_TOP = 50 * MM;
const FROM_WIDTH = 75 * MM;
const RECIPIENT_WIDTH = 85 * MM;
const BODY_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const SIZE = { body: 11, small: 9.5, title: 14, heading: 12 };
const LINE_GAP = 2;
const PARAGRAPH_GAP = 8;

/** Unicode characters outside Latin-1 that the standard fonts' WinAnsi encoding still has. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
/** Letters with no Unicode decomposition to a plain Latin letter. */
const FALLBACK: Readonly<Record<string, string>> = {
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  Ŀ: 'L',
  ŀ: 'l',
  '\u2010': '-',
  '\u2011': '-',
  '\u2212': '-',
  '\u2032': "'",
  '\u2033': '"',
};

function encodable(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch);
}

/**
 * The standard PDF fonts only have the Windows-1252 characters, and pdfkit writes anything else
 * as broken bytes, so other letters lose their accents ("Dvořák" becomes "Dvorak"), line breaks
 * are kept, other control characters become spaces and anything left becomes "?".
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch === '\n' || encodable(ch)) {
      out += ch;
      continue;
    }
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
      out += ch === '\r' ? '' : ' ';
      continue;
    }
    const base = ch.normalize('NFKD').replace(/\p{M}/gu, '');
    if (base !== '' && Array.from(base).every(encodable)) {
      out += base;
    } else {
      out += FALLBACK[ch] ?? '?';
    }
  }
  return out;
}

/**
 * Document info strings may be any Unicode, but pdfkit also copies them into the XMP metadata
 * without XML escaping, so the characters that would break that XML are replaced.
 */
function infoText(text: string): string {
  return text.replace(/&/g, 'and').replace(/[<>]/g, '').replace(/\s+/g, ' ').trim();
}

export function renderLetterPdf(content: LetterContent, options: RenderLetterOptions = {}): Promise<Buffer> {
  const serviceName = content.from[0] ?? '';
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    bufferPages: true,
    font: FONT,
    info: {
      Title: infoText(content.title),
      Author: infoText(serviceName),
      Subject: infoText(content.reference),
      CreationDate: options.createdAt ?? new Date(),
    },
  });

  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    doc.on('error', reject);
  });

  try {
    layOut(doc, content);
    doc.end();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  return finished;
}

function layOut(doc: PDFKit.PDFDocument, content: LetterContent): void {
  const root = doc.struct('Document');
  doc.addStructure(root);
  const add = (type: string, draw: () => void): void => {
    root.add(doc.struct(type, {}, draw));
  };

  // From: top right, right-aligned, service name in bold.
  const fromX = PAGE.width - MARGIN.right - FROM_WIDTH;
  const [serviceName = '', ...fromRest] = content.from;
  add('P', () => {
    doc.font(BOLD).fontSize(SIZE.body);
    doc.text(toWinAnsi(serviceName), fromX, MARGIN.top, {
      width: FROM_WIDTH,
      align: 'right',
      lineGap: LINE_GAP,
    });
    if (fromRest.length > 0) {
      doc.font(FONT).fontSize(SIZE.small);
      doc.text(toWinAnsi(fromRest.join('\n')), fromX, doc.y, {
        width: FROM_WIDTH,
        align: 'right',
        lineGap: LINE_GAP,
      });
    }
  });
  const fromBottom = doc.y;

  // To: top left, where a window envelope shows it.
  add('P', () => {
    doc.font(FONT).fontSize(SIZE.body);
    doc.text(toWinAnsi(content.to.join('\n')), MARGIN.left, Math.max(RECIPIENT_TOP, fromBottom + 12), {
      width: RECIPIENT_WIDTH,
      lineGap: LINE_GAP,
    });
  });

  doc.x = MARGIN.left;
  doc.y += 24;
  add('P', () => {
    body(doc, formatPlainDate(content.date));
  });
  add('P', () => {
    body(doc, content.reference, { bold: true });
  });
  doc.y += PARAGRAPH_GAP;
  add('P', () => {
    body(doc, content.salutation);
  });
  keepWithNext(doc, SIZE.title * 4);
  add('H1', () => {
    doc.font(BOLD).fontSize(SIZE.title);
    doc.text(toWinAnsi(content.title), MARGIN.left, doc.y, {
      width: BODY_WIDTH,
      lineGap: LINE_GAP,
      paragraphGap: PARAGRAPH_GAP,
    });
  });

  for (const block of content.blocks) {
    drawBlock(doc, block, add);
  }

  // Sign-off: the closing, room for a signature, then the name and service, kept together.
  const [closing, ...signer] = content.signOff;
  doc.y += PARAGRAPH_GAP;
  keepWithNext(doc, lineHeight(doc) * (signer.length + 1) + 40);
  if (closing !== undefined) {
    add('P', () => {
      body(doc, closing);
    });
    doc.y += 28;
  }
  if (signer.length > 0) {
    add('P', () => {
      const [name = '', ...rest] = signer;
      doc.font(BOLD).fontSize(SIZE.body);
      doc.text(toWinAnsi(name), MARGIN.left, doc.y, { width: BODY_WIDTH, lineGap: LINE_GAP });
      if (rest.length > 0) {
        doc.font(FONT);
        doc.text(toWinAnsi(rest.join('\n')), MARGIN.left, doc.y, { width: BODY_WIDTH, lineGap: LINE_GAP });
      }
    });
  }
  root.end();

  drawPageFooters(doc, content.reference);
}

function drawBlock(
  doc: PDFKit.PDFDocument,
  block: LetterBlock,
  add: (type: string, draw: () => void) => void,
): void {
  switch (block.kind) {
    case 'heading':
      doc.y += 4;
      keepWithNext(doc, SIZE.heading + lineHeight(doc) * 3);
      add('H2', () => {
        doc.font(BOLD).fontSize(SIZE.heading);
        doc.text(toWinAnsi(block.text ?? ''), MARGIN.left, doc.y, {
          width: BODY_WIDTH,
          lineGap: LINE_GAP,
          paragraphGap: 4,
        });
      });
      return;
    case 'paragraph':
      add('P', () => {
        body(doc, block.text ?? '', { paragraphGap: PARAGRAPH_GAP });
      });
      return;
    case 'facts': {
      const facts = block.facts ?? [];
      keepWithNext(doc, lineHeight(doc) * Math.min(facts.length, 4));
      for (const fact of facts) {
        add('P', () => {
          doc.font(BOLD).fontSize(SIZE.body);
          doc.text(`${toWinAnsi(fact.label)}: `, MARGIN.left, doc.y, {
            width: BODY_WIDTH,
            lineGap: LINE_GAP,
            continued: true,
          });
          doc.font(FONT).text(toWinAnsi(fact.value), { lineGap: LINE_GAP });
        });
      }
      doc.y += PARAGRAPH_GAP;
      return;
    }
  }
}

/** Body text across the page from the left margin. */
function body(
  doc: PDFKit.PDFDocument,
  text: string,
  style: { bold?: boolean; paragraphGap?: number } = {},
): void {
  doc
    .font(style.bold === true ? BOLD : FONT)
    .fontSize(SIZE.body)
    .text(toWinAnsi(text), MARGIN.left, doc.y, {
      width: BODY_WIDTH,
      lineGap: LINE_GAP,
      paragraphGap: style.paragraphGap ?? 0,
    });
}

function lineHeight(doc: PDFKit.PDFDocument): number {
  return doc.fontSize(SIZE.body).currentLineHeight(true) + LINE_GAP;
}

/** Starts a new page when less than `height` is left, so headings and sign-offs are not stranded. */
function keepWithNext(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > doc.page.maxY()) {
    doc.addPage();
  }
}

/**
 * "Page 1 of 2" and the reference on every page, so loose pages can be matched to the patient.
 * Marked as a pagination artifact, so screen readers skip it.
 */
function drawPageFooters(doc: PDFKit.PDFDocument, reference: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing below the margin would otherwise start a new page
    const y = PAGE.height - bottom + 8 * MM;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.font(FONT).fontSize(SIZE.small).fillColor('#4c6272');
    doc.text(toWinAnsi(`${reference}. Page ${i + 1 - range.start} of ${range.count}`), MARGIN.left, y, {
      width: BODY_WIDTH,
      align: 'center',
      lineBreak: false,
    });
    doc.endMarkedContent();
    doc.fillColor('black');
    doc.page.margins.bottom = bottom;
  }
}
