import nunjucks from 'nunjucks';

/** Nunjucks' own `{{ value }}` with autoescape on (runtime.suppressValue): nothing for null or
 * undefined, text marked safe as it is, anything else escaped. */
const suppressValue = (
  nunjucks.runtime as unknown as { suppressValue: (value: unknown, autoescape: boolean) => unknown }
).suppressValue;

function output(value: unknown): string {
  return String(suppressValue(value, true));
}

export interface TextSummaryRow {
  readonly key?: { readonly text?: unknown };
  readonly value?: { readonly text?: unknown };
}

/**
 * The NHS.UK summary list's markup for rows of plain text (no actions, no HTML values): the
 * template global `textSummaryList(rows)`, taking rows of the macro's shape, { key: { text },
 * value: { text } }. The patient page shows its record with it. Written here rather than as a
 * template: the component macro's nested includes dominate the page's template time
 * (docs/performance.md), and a template loop still sets seven loop variables a row. templates.test.ts checks the output matches the NHS.UK macro's.
 */
export function textSummaryList(
  rows: readonly (TextSummaryRow | null | undefined)[] | null | undefined,
): nunjucks.runtime.SafeString {
  let html = '<dl class="nhsuk-summary-list">';
  // Like the template loop it replaces: no rows, or an empty row, render as nothing in them.
  for (const row of rows ?? []) {
    html +=
      '\n  <div class="nhsuk-summary-list__row">' +
      `\n    <dt class="nhsuk-summary-list__key">${output(row?.key?.text)}</dt>` +
      `\n    <dd class="nhsuk-summary-list__value">${output(row?.value?.text)}</dd>` +
      '\n  </div>';
  }
  return new nunjucks.runtime.SafeString(`${html}\n</dl>`);
}
