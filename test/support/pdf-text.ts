/**
 * Reads the visible text out of a PDF made by pdfkit with its standard fonts, so tests can check
 * what a letter says. Not a general PDF parser: it inflates each FlateDecode content stream,
 * reads the strings shown by Tj, TJ, ' and " (literal and <hex> strings, WinAnsi encoding),
 * puts a newline where the baseline moves and a space where a TJ gap or a new run on the same
 * line separates words. Pages are separated by a newline.
 */
import { inflateSync } from 'node:zlib';

/** WinAnsiEncoding bytes 0x80–0x9F, which differ from Latin-1. */
const WIN_ANSI_HIGH: Readonly<Record<number, string>> = {
  0x80: '€',
  0x82: '‚',
  0x83: 'ƒ',
  0x84: '„',
  0x85: '…',
  0x86: '†',
  0x87: '‡',
  0x88: 'ˆ',
  0x89: '‰',
  0x8a: 'Š',
  0x8b: '‹',
  0x8c: 'Œ',
  0x8e: 'Ž',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x96: '–',
  0x97: '—',
  0x98: '˜',
  0x99: '™',
  0x9a: 'š',
  0x9b: '›',
  0x9c: 'œ',
  0x9e: 'ž',
  0x9f: 'Ÿ',
};

export function decodeWinAnsi(bytes: readonly number[]): string {
  return bytes.map((b) => WIN_ANSI_HIGH[b] ?? String.fromCharCode(b)).join('');
}

/** The visible text of the PDF: one line per baseline, pages in order. */
export function pdfText(pdf: Buffer): string {
  return contentStreams(pdf)
    .map(textOfContentStream)
    .filter((t) => t !== '')
    .join('\n');
}

/** The decoded content streams (the ones that show text), in file order. */
export function contentStreams(pdf: Buffer): string[] {
  const s = pdf.toString('latin1');
  const streams: string[] = [];
  const streamKeyword = /(?<!end)stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = streamKeyword.exec(s)) !== null) {
    const start = m.index + m[0].length;
    const dict = s.slice(s.lastIndexOf(' obj', m.index), m.index);
    const direct = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
    const end = direct ? start + Number(direct[1]) : s.indexOf('endstream', start);
    if (end < start) {
      break;
    }
    streamKeyword.lastIndex = end;
    let data = pdf.subarray(start, end);
    if (/\/FlateDecode/.test(dict)) {
      try {
        data = inflateSync(data);
      } catch {
        continue;
      }
    } else if (/\/Filter/.test(dict)) {
      continue; // another filter: not something pdfkit uses for page content
    }
    const text = data.toString('latin1');
    if (/\bBT\b/.test(text) && /\bET\b/.test(text)) {
      streams.push(text);
    }
  }
  return streams;
}

type Operand = number | string | { readonly bytes: number[] } | Operand[] | { readonly dict: true };

function isBytes(o: Operand): o is { readonly bytes: number[] } {
  return typeof o === 'object' && 'bytes' in o;
}

const DELIMITERS = new Set(['(', ')', '<', '>', '[', ']', '{', '}', '/', '%']);

function isWhite(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t' || ch === '\f' || ch === '\0';
}

/** Reads a literal string starting just after its "(", returning the bytes and the index after ")". */
function readLiteral(s: string, from: number): { bytes: number[]; next: number } {
  const bytes: number[] = [];
  let depth = 1;
  let i = from;
  while (i < s.length) {
    const ch = s.charAt(i);
    if (ch === '\\') {
      const n = s.charAt(i + 1);
      const simple: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
      if (n in simple) {
        bytes.push(simple[n] ?? 0);
        i += 2;
      } else if (/[0-7]/.test(n)) {
        const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4))?.[0] ?? '0';
        bytes.push(parseInt(oct, 8) & 0xff);
        i += 1 + oct.length;
      } else if (n === '\r') {
        i += s.charAt(i + 2) === '\n' ? 3 : 2; // line continuation
      } else if (n === '\n') {
        i += 2;
      } else {
        bytes.push(n.charCodeAt(0));
        i += 2;
      }
      continue;
    }
    if (ch === '(') {
      depth++;
    } else if (ch === ')') {
      depth--;
      if (depth === 0) {
        return { bytes, next: i + 1 };
      }
    }
    bytes.push(ch.charCodeAt(0));
    i++;
  }
  return { bytes, next: i };
}

function readHex(s: string, from: number): { bytes: number[]; next: number } {
  const close = s.indexOf('>', from);
  const end = close === -1 ? s.length : close;
  let hex = s.slice(from, end).replace(/\s+/g, '');
  if (hex.length % 2 === 1) {
    hex += '0';
  }
  const bytes: number[] = [];
  for (let i = 0; i < hex.length; i += 2) {
    bytes.push(parseInt(hex.slice(i, i + 2), 16));
  }
  return { bytes, next: end + 1 };
}

/** TJ adjustments are in thousandths of a text unit; a gap this wide reads as a space. */
const SPACE_GAP = 200;

export function textOfContentStream(s: string): string {
  let out = '';
  let lineY: number | null = null; // baseline of the last text shown
  let y = 0; // current baseline
  let lineStartY = 0; // baseline set by the last Tm/Td, for Td's relative moves
  const stack: Operand[] = [];
  const arrays: Operand[][] = [];

  const push = (o: Operand): void => {
    const top = arrays.at(-1);
    if (top) {
      top.push(o);
    } else {
      stack.push(o);
    }
  };

  const show = (text: string): void => {
    if (text === '') {
      return;
    }
    if (lineY !== null) {
      if (Math.abs(y - lineY) > 0.5) {
        out += '\n';
      } else if (!/\s$/.test(out) && !/^\s/.test(text)) {
        out += ' ';
      }
    }
    lineY = y;
    out += text;
  };

  const newLine = (): void => {
    y = lineStartY - 1; // any move down: the exact leading does not matter here
    lineStartY = y;
  };

  const operator = (op: string): void => {
    const num = (i: number): number => {
      const o = stack.at(i);
      return typeof o === 'number' ? o : 0;
    };
    switch (op) {
      case 'BT':
        // pdfkit starts a text object for each run and places it with Tm; the baseline
        // comparison with the previous run tells a new line from more of the same line.
        y = 0;
        lineStartY = 0;
        break;
      case 'Tm':
        y = num(-1);
        lineStartY = y;
        break;
      case 'Td':
      case 'TD':
        y = lineStartY + num(-1);
        lineStartY = y;
        break;
      case 'T*':
        newLine();
        break;
      case 'Tj': {
        const o = stack.at(-1);
        if (o !== undefined && isBytes(o)) {
          show(decodeWinAnsi(o.bytes));
        }
        break;
      }
      case "'":
      case '"': {
        newLine();
        const o = stack.at(-1);
        if (o !== undefined && isBytes(o)) {
          show(decodeWinAnsi(o.bytes));
        }
        break;
      }
      case 'TJ': {
        const arr = stack.at(-1);
        if (Array.isArray(arr)) {
          let text = '';
          for (const part of arr) {
            if (typeof part === 'number') {
              if (part < -SPACE_GAP && !text.endsWith(' ')) {
                text += ' ';
              }
            } else if (isBytes(part)) {
              text += decodeWinAnsi(part.bytes);
            }
          }
          show(text);
        }
        break;
      }
      default:
        break;
    }
    stack.length = 0;
  };

  let i = 0;
  while (i < s.length) {
    const ch = s.charAt(i);
    if (isWhite(ch)) {
      i++;
    } else if (ch === '%') {
      const eol = s.slice(i).search(/[\r\n]/);
      i = eol === -1 ? s.length : i + eol;
    } else if (ch === '(') {
      const { bytes, next } = readLiteral(s, i + 1);
      push({ bytes });
      i = next;
    } else if (ch === '<' && s.charAt(i + 1) === '<') {
      push({ dict: true });
      i += 2;
    } else if (ch === '>' && s.charAt(i + 1) === '>') {
      i += 2;
    } else if (ch === '<') {
      const { bytes, next } = readHex(s, i + 1);
      push({ bytes });
      i = next;
    } else if (ch === '[') {
      arrays.push([]);
      i++;
    } else if (ch === ']') {
      const done = arrays.pop() ?? [];
      push(done);
      i++;
    } else {
      let j = i + 1;
      while (j < s.length && !isWhite(s.charAt(j)) && !DELIMITERS.has(s.charAt(j))) {
        j++;
      }
      const token = s.slice(i, j);
      i = j;
      if (token.startsWith('/')) {
        push(token);
      } else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(token)) {
        push(Number(token));
      } else if (arrays.length === 0) {
        operator(token);
      }
    }
  }
  return out;
}
