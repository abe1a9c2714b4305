import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inkIn, inkOutside, pdfPageImages, type BoxMm } from '../../test/support/pdf-images.ts';
import { pdfText } from '../../test/support/pdf-text.ts';
import type { PlainDate } from '../domain/calendar-date.ts';
import { documentContacts } from '../domain/document-contacts.ts';
import { emergencyCardPanels, type EmergencyCardFacts } from '../domain/emergency-card.ts';
import {
  CARD_LAYOUT,
  CardOverflowError,
  fitCardPanels,
  panelBoxes,
  renderEmergencyCardPdf,
} from './render-emergency-card-pdf.ts';

const issuedOn = '2026-12-07' as PlainDate;
export const CARD_FACTS: EmergencyCardFacts = {
  patientName: 'Ann Smith',
  nhsNumber: '4857773457',
  dateOfBirth: '1978-03-07' as PlainDate,
  pumpModel: 'SynchroMed II (8637)',
  pumpManufacturer: 'Medtronic',
  pumpSerial: 'NGP123456H',
  implantedOn: '2025-01-15' as PlainDate,
  drug: 'baclofen',
  concentrationMcgPerMl: 2000,
  doseMcgPerDay: 150,
  contacts: documentContacts({
    phone: '0113 496 0000',
    email: 'itb.service@example.org',
    adviceLine: { phone: '0113 496 0001', hours: 'Monday to Friday, 8am to 4pm' },
  }),
};

const render = (facts: EmergencyCardFacts) =>
  renderEmergencyCardPdf(emergencyCardPanels(facts, issuedOn), {
    patientName: facts.patientName,
    serviceName: 'Leeds ITB Service',
    issuedOn,
    createdAt: new Date('2026-12-07T10:00:00Z'),
  });

/** The longest values a record may reasonably hold, to prove they still fit. */
const LONG: EmergencyCardFacts = {
  ...CARD_FACTS,
  patientName: 'Bartholomew-Alexander Featherstonehaugh-Montgomery',
  pumpSerial: 'NGP1234567890ABCDEF',
  contacts: documentContacts(
    {
      phone: '+44 (0)113 496 0000 ext 12345',
      email: 'intrathecal.baclofen.service@leedsteachinghospitals.nhs.example.org',
      adviceLine: { phone: '0113 496 0001', hours: 'Monday to Friday, 8am to 4pm, except bank holidays' },
    },
    { label: 'on-call neurosurgery registrar via switchboard', phone: '0113 243 3144' },
  ),
};

describe('emergency card PDF', () => {
  it('is one A4 page with every panel inked inside its box and nothing outside the panels, marks and heading', async () => {
    for (const facts of [CARD_FACTS, LONG]) {
      const pdf = await render(facts);
      const pages = await pdfPageImages(pdf, 72);
      assert.equal(pages.length, 1);
      const page = pages[0];
      assert.ok(page);
      // A4 is 595.28 × 841.89 points; pdftoppm rounds each side to a whole pixel.
      assert.ok(Math.abs(page.width - 595.28) <= 1, `width ${page.width}`);
      assert.ok(Math.abs(page.height - 841.89) <= 1, `height ${page.height}`);
      const boxes = panelBoxes(emergencyCardPanels(facts, issuedOn));
      for (const box of boxes) {
        const pad = CARD_LAYOUT.paddingMm;
        const inner: BoxMm = {
          xMm: box.xMm + pad,
          yMm: box.yMm + pad,
          widthMm: box.widthMm - 2 * pad,
          heightMm: box.heightMm - 2 * pad,
        };
        assert.ok(inkIn(page, inner) > 200, `panel ${box.id} is blank`);
      }
      // Ink is allowed only inside the panels (text inside their padding), where the crop marks
      // go, and in the heading above the block; all of it inside the printable margin.
      const { originMm, panel, columns, rows, cropGapMm, cropLengthMm, printableMarginMm } = CARD_LAYOUT;
      const reach = cropGapMm + cropLengthMm + 0.5;
      const block: BoxMm = {
        xMm: originMm.x - reach,
        yMm: originMm.y - reach,
        widthMm: columns * panel.widthMm + 2 * reach,
        heightMm: rows * panel.heightMm + 2 * reach,
      };
      const heading: BoxMm = {
        xMm: originMm.x,
        yMm: printableMarginMm,
        widthMm: columns * panel.widthMm,
        heightMm: originMm.y - reach - printableMarginMm,
      };
      assert.equal(inkOutside(page, [block, heading]), 0, 'ink outside the card and its heading');
      assert.ok(block.xMm >= printableMarginMm && block.yMm >= printableMarginMm);
      assert.ok(block.xMm + block.widthMm <= 210 - printableMarginMm);
      assert.ok(block.yMm + block.heightMm <= 297 - printableMarginMm);
    }
  });

  it('keeps the text of each panel off its edges: the strip inside each fold and cut is blank', async () => {
    const page = (await pdfPageImages(await render(LONG), 150))[0];
    assert.ok(page);
    for (const box of panelBoxes(emergencyCardPanels(LONG, issuedOn))) {
      // From 0.6 mm inside the edge (clear of the fold line) to 2.5 mm (inside the 3 mm padding).
      const strips: BoxMm[] = [
        { xMm: box.xMm + 0.6, yMm: box.yMm + 0.6, widthMm: 1.9, heightMm: box.heightMm - 1.2 },
        { xMm: box.xMm + box.widthMm - 2.5, yMm: box.yMm + 0.6, widthMm: 1.9, heightMm: box.heightMm - 1.2 },
        { xMm: box.xMm + 0.6, yMm: box.yMm + box.heightMm - 2.5, widthMm: box.widthMm - 1.2, heightMm: 1.9 },
      ];
      for (const strip of strips) {
        assert.equal(inkIn(page, strip), 0, `text reaches the edge of panel ${box.id}`);
      }
    }
  });

  it('says the facts in its text', async () => {
    const text = pdfText(await render(CARD_FACTS)).replace(/\s+/g, ' ');
    for (const expected of [
      'I have an intrathecal baclofen (ITB) pump',
      'Name: Ann Smith',
      'NHS number: 485 777 3457',
      'Medtronic SynchroMed II (8637)',
      'Serial: NGP123456H',
      'Drug: Baclofen',
      'Concentration: 2,000 mcg/ml',
      'Daily dose: 150 mcg/day',
      'ITB team: 0113 496 0000',
      'Advice line: 0113 496 0001, Monday to Friday, 8am to 4pm',
      'Email: itb.service@example.org',
      'Out of hours: A&E or 999',
      'Itching without a rash',
      'Slow or shallow breathing',
      'Do not stop my baclofen suddenly',
    ]) {
      assert.ok(text.includes(expected), `missing "${expected}" in ${text}`);
    }
  });

  it('refuses text that cannot fit at the smallest size instead of cutting it off', async () => {
    const huge = { ...CARD_FACTS, patientName: 'Ann '.repeat(1000) };
    assert.throws(() => fitCardPanels(emergencyCardPanels(huge, issuedOn)), CardOverflowError);
    await assert.rejects(render(huge), CardOverflowError);
  });

  it('fits every panel of the usual and the longest card at a readable size', () => {
    for (const facts of [CARD_FACTS, LONG]) {
      for (const fit of fitCardPanels(emergencyCardPanels(facts, issuedOn))) {
        assert.ok(fit.usedPt <= fit.availablePt, fit.id);
        assert.ok(fit.fontSize >= 5, fit.id);
      }
    }
  });
});
