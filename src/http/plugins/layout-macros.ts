import type nunjucks from 'nunjucks';

/**
 * The macros every page may call, by the name a page calls them: the NHS.UK components the
 * pages use and this service's own partials (`textSummaryList` is a function, in
 * text-summary-list.ts).
 */
export const LAYOUT_MACROS: readonly { readonly file: string; readonly name: string }[] = [
  ...[
    ['error-summary', 'errorSummary'],
    ['input', 'input'],
    ['button', 'button'],
    ['radios', 'radios'],
    ['checkboxes', 'checkboxes'],
    ['date-input', 'dateInput'],
    ['textarea', 'textarea'],
    ['summary-list', 'summaryList'],
    ['tables', 'table'],
    ['inset-text', 'insetText'],
    ['warning-callout', 'warningCallout'],
    ['notification-banner', 'notificationBanner'],
    ['fieldset', 'fieldset'],
    ['pagination', 'pagination'],
  ].map(([component = '', name = '']) => ({ file: `nhsuk/components/${component}/macro.njk`, name })),
  { file: 'partials/forms.njk', name: 'csrf' },
];

/**
 * Makes the layout's macros globals, loaded once at start-up, instead of `{% from … import … %}`
 * lines in the layout. Nunjucks runs an imported file again on every import to collect its
 * macros, so the layout’s fifteen imports would run fifteen files on every page. An import without `with context` runs the file
 * in a fresh, empty context of its own, so the macros it yields are the same every time; loading
 * them once gives the same macros. Macros look up globals when called, not when defined, and do
 * not write to the context they were made in (their frames are not top level).
 * templates.test.ts compares each with the macro imported afresh, for every example of it that
 * nhsuk-frontend publishes; the page tests render every page with them.
 */
export function addLayoutMacros(env: nunjucks.Environment): void {
  for (const { file, name } of LAYOUT_MACROS) {
    const template = env.getTemplate(file, true) as nunjucks.Template & {
      getExported(cb: (err: Error | null, exported: Record<string, unknown>) => void): void;
    };
    let macro: unknown;
    template.getExported((err, exported) => {
      if (err) {
        throw err;
      }
      macro = exported[name];
    });
    if (typeof macro !== 'function') {
      throw new Error(`layout macros: ${file} has no macro ${name}`);
    }
    env.addGlobal(name, macro);
  }
}
