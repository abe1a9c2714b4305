/**
 * Draws the emergency card (src/domain/emergency-card.ts) as a fold-out on one A4 page: six
 * credit-card panels (ISO/IEC 7810 ID-1, 85.6 × 54 mm) in two columns and three rows, crop marks
 * at the corners and the fold lines dashed, so the patient cuts the block out and folds it to
 * wallet size. Each panel's text is set at the largest size from 9 pt down to 5 pt that fits
 * inside its padding; text that would not fit even at 5 pt is refused (CardOverflowError),
 * never cut off. Standard Helvetica only, tagged (en-GB), like the letters.
 */
import PDFDocument from 'pdfkit';
import { formatPlainDate, type PlainDate } from '../domain/calendar-date.ts';
import type { CardLine, CardPanel } from '../domain/emergency-card.ts';
import { toWinAnsi } from './render-letter-pdf.ts';

const MM = 72 / 25.4;

/** The page and the card block in millimetres, for the drawing and for tests that check images. */
export const CARD_LAYOUT = {
  page: { widthMm: 210, heightMm: 297 },
  /** Nothing is drawn within this distance of the paper's edge (printers cannot print there). */
  printableMarginMm: 10,
  panel: { widthMm: 85.6, heightMm: 54 },
  columns: 2,
  rows: 3,
  /** The block's top-left corner. */
  originMm: { x: (210 - 2 * 85.6) / 2, y: 40 },
  /** Text keeps this far inside each panel's edge (the fold and the cut). */
  paddingMm: 3,
  /** Crop marks start this far outside the block and are this long. */
  cropGapMm: 2,
  cropLengthMm: 5,
} as const;

const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const MAX_SIZE = 9;
const MIN_SIZE = 5;
const STEP = 0.25;
const HEADING_SCALE = 1.2;
const BLUE = '#005eb8';
const RED = '#d5281b';

export class CardOverflowError extends Error {
  readonly panelId: string;
  constructor(panelId: string) {
    super(`The emergency card's "${panelId}" panel does not fit at the smallest print size`);
    this.name = 'CardOverflowError';
    this.panelId = panelId;
  }
}

export interface PanelBox {
  readonly id: string;
  /** The panel's edges in millimetres from the page's top-left corner. */
  readonly xMm: number;
  readonly yMm: number;
  readonly widthMm: number;
  readonly heightMm: number;
}

/** Where each panel sits on the page, in the order given (row by row). */
export function panelBoxes(panels: readonly CardPanel[]): PanelBox[] {
  const { originMm, panel, columns } = CARD_LAYOUT;
  return panels.map((p, i) => ({
    id: p.id,
    xMm: originMm.x + (i % columns) * panel.widthMm,
    yMm: originMm.y + Math.floor(i / columns) * panel.heightMm,
    widthMm: panel.widthMm,
    heightMm: panel.heightMm,
  }));
}

export interface PanelFit {
  readonly id: string;
  readonly fontSize: number;
  /** The height the text takes and the height inside the padding, in points. */
  readonly usedPt: number;
  readonly availablePt: number;
}

const INNER_WIDTH = (CARD_LAYOUT.panel.widthMm - 2 * CARD_LAYOUT.paddingMm) * MM;
const INNER_HEIGHT = (CARD_LAYOUT.panel.heightMm - 2 * CARD_LAYOUT.paddingMm) * MM;
const BULLET_INDENT = 2.2 * MM;
const LINE_GAP = 0.5;
const HEADING_GAP = 1.5;

function lineText(line: CardLine): string {
  return toWinAnsi(line.label === undefined ? line.text : `${line.label}: ${line.text}`);
}

function lineWidth(line: CardLine): number {
  return line.style === 'bullet' ? INNER_WIDTH - BULLET_INDENT : INNER_WIDTH;
}

/** The height of a panel's text at `size` points. */
function panelHeight(doc: PDFKit.PDFDocument, panel: CardPanel, size: number): number {
  let h = doc
    .font(BOLD)
    .fontSize(size * HEADING_SCALE)
    .heightOfString(toWinAnsi(panel.heading), { width: INNER_WIDTH, lineGap: LINE_GAP });
  h += HEADING_GAP;
  for (const line of panel.lines) {
    doc.font(line.style === 'bold' || line.style === 'warning' ? BOLD : FONT).fontSize(size);
    h += doc.heightOfString(lineText(line), { width: lineWidth(line), lineGap: LINE_GAP });
  }
  return h;
}

/**
 * Whether every word of the panel fits across its line: a word wider than the line (a long email
 * address) would run over the panel's edge, as pdfkit does not break inside a word that starts a
 * continued run.
 */
function wordsFit(doc: PDFKit.PDFDocument, panel: CardPanel, size: number): boolean {
  const fits = (text: string, font: string, fontSize: number, width: number) =>
    text.split(/\s+/).every((word) => doc.font(font).fontSize(fontSize).widthOfString(word) <= width);
  if (!fits(toWinAnsi(panel.heading), BOLD, size * HEADING_SCALE, INNER_WIDTH)) {
    return false;
  }
  return panel.lines.every((line) => {
    const font = line.style === 'plain' || line.style === 'bullet' ? FONT : BOLD;
    const labelFits =
      line.label === undefined || fits(toWinAnsi(`${line.label}:`), BOLD, size, lineWidth(line));
    return labelFits && fits(toWinAnsi(line.text), font, size, lineWidth(line));
  });
}

function fitIn(doc: PDFKit.PDFDocument, panel: CardPanel): PanelFit {
  for (let size = MAX_SIZE; size >= MIN_SIZE; size -= STEP) {
    const used = panelHeight(doc, panel, size);
    if (used <= INNER_HEIGHT && wordsFit(doc, panel, size)) {
      return { id: panel.id, fontSize: size, usedPt: used, availablePt: INNER_HEIGHT };
    }
  }
  throw new CardOverflowError(panel.id);
}

/** The print size of each panel; throws CardOverflowError when one cannot fit. */
export function fitCardPanels(panels: readonly CardPanel[]): PanelFit[] {
  const doc = new PDFDocument({ size: 'A4', autoFirstPage: true });
  return panels.map((p) => fitIn(doc, p));
}

export interface CardDocumentInfo {
  readonly patientName: string;
  readonly serviceName: string;
  readonly issuedOn: PlainDate;
  /** The document's creation date; fixing it makes the output byte-for-byte repeatable. */
  readonly createdAt?: Date;
}

export function renderEmergencyCardPdf(
  panels: readonly CardPanel[],
  info: CardDocumentInfo,
): Promise<Buffer> {
  if (panels.length !== CARD_LAYOUT.columns * CARD_LAYOUT.rows) {
    return Promise.reject(
      new RangeError(`An emergency card has ${CARD_LAYOUT.columns * CARD_LAYOUT.rows} panels`),
    );
  }
  let fits: PanelFit[];
  try {
    fits = fitCardPanels(panels);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    font: FONT,
    info: {
      Title: `ITB emergency card`,
      Author: info.serviceName.replace(/[&<>]/g, ' '),
      CreationDate: info.createdAt ?? new Date(),
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
    const root = doc.struct('Document');
    doc.addStructure(root);
    drawInstructions(doc, root, info);
    panelBoxes(panels).forEach((box, i) => {
      const panel = panels[i];
      const fit = fits[i];
      if (panel && fit) {
        drawPanel(doc, root, panel, box, fit.fontSize);
      }
    });
    root.end();
    drawMarks(doc);
    doc.end();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  return finished;
}

function drawInstructions(
  doc: PDFKit.PDFDocument,
  root: PDFKit.PDFStructureElement,
  info: CardDocumentInfo,
): void {
  const x = CARD_LAYOUT.originMm.x * MM;
  const width = CARD_LAYOUT.columns * CARD_LAYOUT.panel.widthMm * MM;
  root.add(
    doc.struct('H1', {}, () => {
      doc.font(BOLD).fontSize(13).fillColor('black');
      doc.text(toWinAnsi(`ITB emergency card: ${info.patientName}`), x, 12 * MM, {
        width,
        height: 16,
        ellipsis: true,
      });
    }),
  );
  root.add(
    doc.struct('P', {}, () => {
      doc.font(FONT).fontSize(9);
      doc.text(
        toWinAnsi(
          `Issued on ${formatPlainDate(info.issuedOn)} by ${info.serviceName}. Print at actual size, not fitted to the page. ` +
            'Cut out along the corner marks, fold along the dashed lines so the front is on top, and carry it with you.',
        ),
        x,
        19 * MM,
        { width },
      );
    }),
  );
}

function drawPanel(
  doc: PDFKit.PDFDocument,
  root: PDFKit.PDFStructureElement,
  panel: CardPanel,
  box: PanelBox,
  size: number,
): void {
  const pad = CARD_LAYOUT.paddingMm * MM;
  const left = box.xMm * MM + pad;
  let y = box.yMm * MM + pad;
  const sect = doc.struct('Sect');
  root.add(sect);
  sect.add(
    doc.struct('H2', {}, () => {
      doc
        .font(BOLD)
        .fontSize(size * HEADING_SCALE)
        .fillColor(BLUE);
      doc.text(toWinAnsi(panel.heading), left, y, { width: INNER_WIDTH, lineGap: LINE_GAP });
    }),
  );
  y = doc.y + HEADING_GAP;
  for (const line of panel.lines) {
    sect.add(
      doc.struct('P', {}, () => {
        drawLine(doc, line, left, y, size);
      }),
    );
    y = doc.y;
  }
  doc.fillColor('black');
}

function drawLine(doc: PDFKit.PDFDocument, line: CardLine, left: number, y: number, size: number): void {
  const options = { width: lineWidth(line), lineGap: LINE_GAP };
  if (line.style === 'bullet') {
    doc.font(FONT).fontSize(size).fillColor('black');
    doc.circle(left + BULLET_INDENT / 3, y + size * 0.45, size * 0.12).fill();
    doc.text(toWinAnsi(line.text), left + BULLET_INDENT, y, options);
    return;
  }
  if (line.label !== undefined) {
    doc.font(BOLD).fontSize(size).fillColor('black');
    doc.text(`${toWinAnsi(line.label)}: `, left, y, { ...options, continued: true });
    doc.font(FONT).text(toWinAnsi(line.text), options);
    return;
  }
  doc
    .font(line.style === 'plain' ? FONT : BOLD)
    .fontSize(size)
    .fillColor(line.style === 'warning' ? RED : 'black');
  doc.text(toWinAnsi(line.text), left, y, options);
}

/** Crop marks outside the block's corners and fold ends; dashed fold lines inside. Artifacts. */
function drawMarks(doc: PDFKit.PDFDocument): void {
  const { originMm, panel, columns, rows, cropGapMm, cropLengthMm } = CARD_LAYOUT;
  const x0 = originMm.x * MM;
  const y0 = originMm.y * MM;
  const x1 = x0 + columns * panel.widthMm * MM;
  const y1 = y0 + rows * panel.heightMm * MM;
  const gap = cropGapMm * MM;
  const len = cropLengthMm * MM;
  doc.markContent('Artifact', { type: 'Layout' });
  doc.lineWidth(0.5).strokeColor('black').undash();
  const xs = Array.from({ length: columns + 1 }, (_, i) => x0 + i * panel.widthMm * MM);
  const ys = Array.from({ length: rows + 1 }, (_, i) => y0 + i * panel.heightMm * MM);
  for (const x of xs) {
    doc
      .moveTo(x, y0 - gap)
      .lineTo(x, y0 - gap - len)
      .stroke();
    doc
      .moveTo(x, y1 + gap)
      .lineTo(x, y1 + gap + len)
      .stroke();
  }
  for (const y of ys) {
    doc
      .moveTo(x0 - gap, y)
      .lineTo(x0 - gap - len, y)
      .stroke();
    doc
      .moveTo(x1 + gap, y)
      .lineTo(x1 + gap + len, y)
      .stroke();
  }
  // The fold lines, and a fine outline so the cut is visible where the marks are trimmed.
  doc.lineWidth(0.4).strokeColor('#768692').dash(3, { space: 2 });
  for (const x of xs.slice(1, -1)) {
    doc.moveTo(x, y0).lineTo(x, y1).stroke();
  }
  for (const y of ys.slice(1, -1)) {
    doc.moveTo(x0, y).lineTo(x1, y).stroke();
  }
  doc
    .undash()
    .lineWidth(0.25)
    .strokeColor('#aeb7bd')
    .rect(x0, y0, x1 - x0, y1 - y0)
    .stroke();
  doc.endMarkedContent();
  doc.strokeColor('black');
}
