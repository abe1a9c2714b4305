import { parseHTML } from 'linkedom';
import { isSecretField, type KeptFields } from '../../domain/kept-form.ts';

/** The few DOM calls used here (typed by hand: linkedom's types need the DOM's). */
interface El {
  readonly tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  hasAttribute(name: string): boolean;
  querySelectorAll(selector: string): Iterable<El>;
}
interface Doc {
  querySelector(selector: string): El | null;
}

export interface KeptFormForPage {
  readonly actionPath: string;
  readonly fields: KeptFields;
  /** The kept time as people read it ("14:05"). */
  readonly keptAtText: string;
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

const valuesOf = (fields: KeptFields, name: string): readonly string[] => {
  const v = fields[name];
  return v === undefined ? [] : typeof v === 'string' ? [v] : v;
};

/** Field types that never carry typed text back: secrets, files and buttons. */
const NOT_RESTORED = new Set(['password', 'file', 'submit', 'button', 'image', 'reset']);

/** Puts the kept values into the form's fields, as the browser would have shown them. */
function fillForm(form: El, fields: KeptFields): void {
  const used = new Map<string, number>();
  const next = (name: string): string | undefined => {
    const i = used.get(name) ?? 0;
    used.set(name, i + 1);
    return valuesOf(fields, name)[i];
  };
  for (const el of form.querySelectorAll('input, textarea, select')) {
    const name = el.getAttribute('name');
    if (name === null || isSecretField(name)) {
      continue;
    }
    const has = Object.hasOwn(fields, name);
    const tag = el.tagName.toLowerCase();
    if (tag === 'textarea') {
      if (has) {
        // linkedom writes a textarea's text out as it is held, so it is held escaped.
        el.textContent = escapeHtml(next(name) ?? '');
      }
    } else if (tag === 'select') {
      if (has) {
        const chosen = valuesOf(fields, name);
        for (const option of el.querySelectorAll('option')) {
          const value = option.getAttribute('value') ?? option.textContent ?? '';
          if (chosen.includes(value)) {
            option.setAttribute('selected', '');
          } else {
            option.removeAttribute('selected');
          }
        }
      }
    } else {
      const type = (el.getAttribute('type') ?? 'text').toLowerCase();
      if (NOT_RESTORED.has(type)) {
        continue;
      }
      if (type === 'checkbox' || type === 'radio') {
        // An unticked box is not posted, so a checkbox missing from the kept form was unticked;
        // a radio group missing from it had no choice, as the page had it.
        if (has || type === 'checkbox') {
          const on = valuesOf(fields, name).includes(el.getAttribute('value') ?? 'on');
          if (on) {
            el.setAttribute('checked', '');
          } else {
            el.removeAttribute('checked');
          }
        }
      } else if (has) {
        el.setAttribute('value', next(name) ?? '');
      }
    }
  }
}

function pathOf(action: string | null, pagePath: string): string {
  if (action === null || action === '') {
    return pagePath;
  }
  return action.split(/[?#]/)[0] ?? action;
}

function banner(restored: boolean, kept: KeptFormForPage): string {
  const lead = `You were signed out before your form was saved, so we kept what you typed at ${escapeHtml(kept.keptAtText)}.`;
  const body = restored
    ? `<p>${lead} It is back in the form below. Check it, then save it again.</p>`
    : `<p>${lead} The form has changed since, so it could not be put back. Here is what you typed:</p>` +
      `<dl class="nhsuk-summary-list">${Object.entries(kept.fields)
        .map(
          ([name, v]) =>
            `<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">${escapeHtml(name)}</dt>` +
            `<dd class="nhsuk-summary-list__value">${escapeHtml((typeof v === 'string' ? [v] : v).join(', '))}</dd></div>`,
        )
        .join('')}</dl>`;
  return (
    '<div class="nhsuk-notification-banner" role="region" aria-labelledby="kept-form-title" data-module="nhsuk-notification-banner" id="kept-form">' +
    '<div class="nhsuk-notification-banner__header"><h2 class="nhsuk-notification-banner__title" id="kept-form-title">Important</h2></div>' +
    `<div class="nhsuk-notification-banner__content"><p class="nhsuk-notification-banner__heading">We kept what you typed</p>${body}</div></div>`
  );
}

const FORMS = /<form\b[^>]*>[\s\S]*?<\/form>/gi;
const MAIN_OPENING = /<main\b[^>]*\bid="maincontent"[^>]*>/i;

const attributeOf = (openingTag: string, name: string): string | null => {
  const m = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(openingTag);
  return m?.[1]?.replace(/&amp;/g, '&') ?? null;
};

/** One form's HTML with the kept values in: only the form is parsed and written again. */
function filledForm(formHtml: string, fields: KeptFields): string {
  const { document } = parseHTML(`<!DOCTYPE html><html><body>${formHtml}</body></html>`) as unknown as {
    document: Doc;
  };
  const form = document.querySelector('form') as (El & { outerHTML: string }) | null;
  if (!form) {
    return formHtml;
  }
  fillForm(form, fields);
  return form.outerHTML;
}

/**
 * The page with the kept values put back into the form that posts where the kept form was
 * posted, and a banner saying so at the top of the main content. When no such form is on the
 * page the banner lists what was typed instead, so it is never lost. Only that form is parsed
 * and written again; the rest of the page is left exactly as rendered.
 */
export function restoreKeptForm(html: string, pagePath: string, kept: KeptFormForPage): string {
  let restored = false;
  const page = html.replace(FORMS, (formHtml) => {
    const opening = formHtml.slice(0, formHtml.indexOf('>') + 1);
    const method = (attributeOf(opening, 'method') ?? 'get').toLowerCase();
    if (
      restored ||
      method !== 'post' ||
      pathOf(attributeOf(opening, 'action'), pagePath) !== kept.actionPath
    ) {
      return formHtml;
    }
    restored = true;
    return filledForm(formHtml, kept.fields);
  });
  const main = MAIN_OPENING.exec(page);
  if (!main) {
    return html;
  }
  const at = main.index + main[0].length;
  return page.slice(0, at) + banner(restored, kept) + page.slice(at);
}
