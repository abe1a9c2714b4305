import { LETTER_COMMON } from '../../test/support/referral-fixtures.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentStreams, pdfText, textOfContentStream } from '../../test/support/pdf-text.ts';
import { formatPlainDate, type PlainDate } from '../domain/calendar-date.ts';
import {
  acknowledgementLetter,
  adviceLetter,
  appointmentLetter,
  type LetterCommon,
  type LetterContent,
} from '../domain/referral-letters.ts';
import { renderLetterPdf, toWinAnsi } from './render-letter-pdf.ts';

const date = (s: string): PlainDate => s as PlainDate;
const createdAt = new Date('2026-03-03T09:00:00Z');

const common: LetterCommon = { ...LETTER_COMMON, signedBy: 'Dr Tom Hughes' };

const letters: [string, LetterContent][] = [
  [
    'acknowledgement',
    acknowledgementLetter({
      ...common,
      priority: 'urgent',
      targetDate: date('2026-03-06'),
      targetDays: 14,
      advice: 'Please stop tizanidine a week before.',
    }),
  ],
  [
    'advice',
    adviceLetter({
      ...common,
      outcome: 'not-accepted',
      advice:
        'Increase oral baclofen to 20mg three times a day (£ cost is low – “first line”).\n\nReview in 3 months.',
      redirectTo: null,
      redirectMethod: null,
    }),
  ],
  [
    'redirect',
    adviceLetter({
      ...common,
      outcome: 'redirected',
      advice: 'Physio first.',
      redirectTo: 'Leeds Spasticity Clinic',
      redirectMethod: 'e-rs',
    }),
  ],
  [
    'appointment',
    appointmentLetter({
      ...common,
      appointment: {
        date: date('2026-03-24'),
        time: '14:30',
        clinic: 'Clinic 4',
        clinician: 'Dr Tom Hughes',
      },
    }),
  ],
];

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Every string the letter should show, as it should read in the PDF. */
function expectedTexts(letter: LetterContent): string[] {
  return [
    ...letter.from,
    ...letter.to,
    formatPlainDate(letter.date),
    letter.reference,
    letter.salutation,
    letter.title,
    ...letter.blocks.flatMap((b) =>
      b.kind === 'facts' ? (b.facts ?? []).map((f) => `${f.label}: ${f.value}`) : [b.text ?? ''],
    ),
    ...letter.signOff,
  ];
}

describe('renderLetterPdf', () => {
  for (const [name, letter] of letters) {
    it(`${name}: is a PDF that says everything in the letter`, async () => {
      const pdf = await renderLetterPdf(letter, { createdAt });
      assert.equal(pdf.subarray(0, 8).toString('latin1'), '%PDF-1.7');
      assert.match(pdf.subarray(-6).toString('latin1'), /%%EOF\s*$/);
      const text = squash(pdfText(pdf));
      for (const expected of expectedTexts(letter)) {
        assert.ok(text.includes(squash(expected)), `PDF text has "${expected}"`);
      }
    });
  }

  it('puts the parts of the letter in reading order', async () => {
    const [, letter] = letters[0]!;
    const text = squash(pdfText(await renderLetterPdf(letter, { createdAt })));
    const order = [
      'Leeds Intrathecal Baclofen Service',
      'Dr Asha Patel GP',
      '3 March 2026',
      'NHS number 485 777 3457, UBRN 1234 5678 9012',
      'Dear Dr Asha Patel',
      'Referral accepted',
      'Patient: Jane Smith',
      'We have given the referral urgent priority.',
      'Yours sincerely',
    ];
    const positions = order.map((s) => text.indexOf(s));
    assert.ok(
      positions.every((p, i) => p >= 0 && (i === 0 || p > (positions[i - 1] ?? -1))),
      `order ${JSON.stringify(positions)}`,
    );
  });

  it('gives the same bytes for the same letter and creation date', async () => {
    const [, letter] = letters[1]!;
    const a = await renderLetterPdf(letter, { createdAt });
    const b = await renderLetterPdf(letter, { createdAt });
    assert.ok(a.equals(b));
    const c = await renderLetterPdf(letter, { createdAt: new Date('2026-03-04T09:00:00Z') });
    assert.ok(!a.equals(c));
  });

  it('sets the title, author, creation date, language and tagging', async () => {
    const [, letter] = letters[3]!;
    const raw = (await renderLetterPdf(letter, { createdAt })).toString('latin1');
    assert.match(raw, /\(Your appointment\)/);
    assert.match(raw, /\(Leeds Intrathecal Baclofen Service\)/);
    assert.match(raw, /\(D:20260303090000Z\)/);
    assert.match(raw, /\/Lang \(en-GB\)/);
    assert.match(raw, /\/StructTreeRoot \d+ 0 R/);
    assert.match(raw, /\/DisplayDocTitle true/);
    assert.match(raw, /\/MediaBox \[0 0 595\.28 841\.89\]/);
    for (const tag of ['Document', 'H1', 'H2', 'P']) {
      assert.match(raw, new RegExp(`/S /${tag}\\b`));
    }
  });

  it('uses only the standard Helvetica fonts, embedding none', async () => {
    const [, letter] = letters[0]!;
    const raw = (await renderLetterPdf(letter, { createdAt })).toString('latin1');
    const fonts = [...raw.matchAll(/\/BaseFont \/([\w-]+)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(fonts)].sort(), ['Helvetica', 'Helvetica-Bold']);
    assert.doesNotMatch(raw, /\/FontFile/);
  });

  it('runs a long letter onto more pages, numbering them and keeping every word', async () => {
    const long = Array.from(
      { length: 14 },
      (_, i) =>
        `Point ${i + 1}. ` +
        'We advise a slow titration with weekly reviews of tone and function. '.repeat(6),
    ).join('\n\n');
    const letter = adviceLetter({
      ...common,
      outcome: 'not-accepted',
      advice: long,
      redirectTo: null,
      redirectMethod: null,
    });
    const pdf = await renderLetterPdf(letter, { createdAt });
    const raw = pdf.toString('latin1');
    const pages = Number(/\/Type \/Pages[\s\S]*?\/Count (\d+)/.exec(raw)?.[1]);
    assert.ok(pages >= 2, `${pages} pages`);
    const lines = pdfText(pdf).split('\n');
    const footers = lines.filter((line) => / Page \d+ of \d+$/.test(line));
    assert.deepEqual(
      footers,
      Array.from(
        { length: pages },
        (_, i) => `NHS number 485 777 3457, UBRN 1234 5678 9012. Page ${i + 1} of ${pages}`,
      ),
    );
    // Without the footers, a paragraph split by a page break reads on.
    const text = squash(lines.filter((line) => !footers.includes(line)).join('\n'));
    for (const expected of expectedTexts(letter)) {
      assert.ok(text.includes(squash(expected)), `PDF text has "${expected.slice(0, 40)}…"`);
    }
    // Marked content is balanced on every page, so the tags survive the page breaks.
    for (const stream of contentStreams(pdf)) {
      assert.equal(stream.match(/\bB(DC|MC)\b/g)?.length, stream.match(/\bEMC\b/g)?.length);
    }
  });

  it('shows names with letters outside Windows-1252 without their accents, not as garbage', async () => {
    const letter = appointmentLetter({
      ...common,
      patient: { ...common.patient, name: 'Zoë Dvořák-Łukasz' },
      appointment: {
        date: date('2026-03-24'),
        time: '09:00',
        clinic: 'Clinic 4',
        clinician: 'Dr Tom Hughes',
      },
    });
    const text = squash(pdfText(await renderLetterPdf(letter, { createdAt })));
    assert.ok(text.includes('Dear Zoë Dvorák-Lukasz'));
  });
});

describe('toWinAnsi', () => {
  const cases: [string, string][] = [
    ['plain ASCII', 'plain ASCII'],
    ['Zoë Siân Müller', 'Zoë Siân Müller'],
    ['£5 – “quoted” ‘single’ • € … ™', '£5 – “quoted” ‘single’ • € … ™'],
    ['Dvořák', 'Dvorák'],
    ['Łódź', 'Lódz'],
    ['Ŝtefan Ğül', 'Stefan Gül'],
    ['tab\there', 'tab here'],
    ['line\r\nbreak', 'line\nbreak'],
    ['emoji 😀 and 中文', 'emoji ? and ??'],
    ['non\u2011breaking\u2212minus', 'non-breaking-minus'],
  ];
  for (const [input, expected] of cases) {
    it(JSON.stringify(input), () => {
      assert.equal(toWinAnsi(input), expected);
    });
  }
});

describe('pdfText on hand-made content', () => {
  const cases: [string, string, string][] = [
    ['a literal string', 'BT /F1 11 Tf 1 0 0 1 72 700 Tm (Hello world) Tj ET', 'Hello world'],
    [
      'escapes in literal strings',
      String.raw`BT 1 0 0 1 72 700 Tm (a \(b\) c\\d \101\102 e\
f) Tj ET`,
      'a (b) c\\d AB ef',
    ],
    ['nested brackets', 'BT 1 0 0 1 72 700 Tm (f(x) = (y)) Tj ET', 'f(x) = (y)'],
    ['a hex string in WinAnsi', 'BT 1 0 0 1 72 700 Tm <48e9a3209620939495> Tj ET', 'Hé£ – “”•'],
    [
      'TJ with kerning and a word gap',
      'BT 1 0 0 1 72 700 Tm [<4865> 10 (llo) -600 (there)] TJ ET',
      'Hello there',
    ],
    [
      'runs on one baseline join, a new baseline starts a line',
      'BT 1 0 0 1 72 700 Tm (Label: ) Tj ET BT 1 0 0 1 110 700 Tm (value) Tj ET BT 1 0 0 1 72 686 Tm (next) Tj ET',
      'Label: value\nnext',
    ],
    [
      'Td and T* move to new lines',
      'BT 72 700 Td (one) Tj 0 -14 Td (two) Tj T* (three) Tj ET',
      'one\ntwo\nthree',
    ],
    ["the ' operator starts a line", "BT 72 700 Td (one) Tj (two) ' ET", 'one\ntwo'],
    [
      'marked content and other operators are ignored',
      '/P <</MCID 0>> BDC q 1 0 0 -1 0 841.89 cm BT /F1 11 Tf 1 0 0 1 72 700 Tm (kept) Tj ET Q EMC % comment (not text) Tj',
      'kept',
    ],
  ];
  for (const [name, stream, expected] of cases) {
    it(name, () => {
      assert.equal(textOfContentStream(stream), expected);
    });
  }
});
