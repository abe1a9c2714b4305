// The pages' one style for dates, date-times and NHS numbers (template-filters.ts), as worked
// examples: UK dates "7 March 2026", date-times "7 March 2026, 14:05" in the service's time zone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import nunjucks from 'nunjucks';
import { dateFilters, nhsNumberFilter } from './template-filters.ts';
import { configureTemplates, TEMPLATE_DIRS } from './views.ts';

const { ukDate, ukDateTime } = dateFilters('Europe/London');

describe('ukDate', () => {
  const examples: readonly [unknown, string, string][] = [
    ['2026-03-07', '7 March 2026', 'a plain calendar date, as it is'],
    ['2026-03-07T14:05:00Z', '7 March 2026', 'an instant, on its London date'],
    ['2026-06-30T23:30:00Z', '1 July 2026', 'late evening UTC in summer is the next day in London'],
    ['2026-12-31T23:30:00Z', '31 December 2026', 'in winter London is on UTC'],
    ['2026-02-30', '2026-02-30', 'no such day: shown as stored, not moved to March'],
    ['not a date', 'not a date', 'text that is no date is shown unchanged'],
    [null, '', 'nothing for no value'],
    [undefined, '', 'nothing for an undefined value'],
  ];
  for (const [value, expected, why] of examples) {
    it(`${JSON.stringify(value)} → "${expected}" (${why})`, () => {
      assert.equal(ukDate(value), expected);
    });
  }
});

describe('ukDateTime', () => {
  const examples: readonly [unknown, string, string][] = [
    ['2026-03-07T14:05:00Z', '7 March 2026, 14:05', 'GMT: the time as stored'],
    ['2026-07-07T14:05:00Z', '7 July 2026, 15:05', 'BST: an hour ahead of UTC'],
    ['2026-03-29T00:59:00Z', '29 March 2026, 00:59', 'a minute before the clocks go forward'],
    ['2026-03-29T01:00:00Z', '29 March 2026, 02:00', 'the clocks have gone forward'],
    ['2026-01-05T00:05:00.000Z', '5 January 2026, 00:05', 'just after midnight, 24-hour clock'],
    ['2026-03-07', '7 March 2026', 'a plain date has no time to show'],
    ['garbage', 'garbage', 'text that is no time is shown unchanged'],
    [null, '', 'nothing for no value'],
  ];
  for (const [value, expected, why] of examples) {
    it(`${JSON.stringify(value)} → "${expected}" (${why})`, () => {
      assert.equal(ukDateTime(value), expected);
    });
  }

  it('never uses the "at" or the 12-hour styles', () => {
    const shown = ukDateTime('2026-11-24T15:00:00Z');
    assert.equal(shown, '24 November 2026, 15:00');
    assert.doesNotMatch(shown, / at |pm|am/);
  });
});

describe('nhsNumber', () => {
  const examples: readonly [unknown, string][] = [
    ['9434765919', '943 476 5919'],
    ['943 476 5919', '943 476 5919'],
    ['943-476-5919', '943 476 5919'],
    ['12345', '12345'],
    [null, ''],
  ];
  for (const [value, expected] of examples) {
    it(`${JSON.stringify(value)} → "${expected}"`, () => {
      assert.equal(nhsNumberFilter(value), expected);
    });
  }
});

describe('the filters the pages call', () => {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([...TEMPLATE_DIRS]), {
    autoescape: true,
  });
  configureTemplates(env, 'Europe/London');
  const render = (template: string, value: string) => env.renderString(template, { value });

  it('gives one date-time style under both names, dateTime (the older) and ukDateTime', () => {
    // dateTime used to give "7 July 2026 at 15:05": a second style beside "7 July 2026, 15:05".
    assert.equal(render('{{ value | dateTime }}', '2026-07-07T14:05:00Z'), '7 July 2026, 15:05');
    assert.equal(render('{{ value | ukDateTime }}', '2026-07-07T14:05:00Z'), '7 July 2026, 15:05');
  });

  it('gives UK dates from plain dates and instants, and NHS numbers in 3-3-4', () => {
    assert.equal(render('{{ value | ukDate }}', '2026-03-07'), '7 March 2026');
    assert.equal(render('{{ value | plainDate }}', '2026-03-07'), '7 March 2026');
    assert.equal(render('{{ value | nhsNumber }}', '9434765919'), '943 476 5919');
  });
});
