/* global fetch, document, HTMLElement, HTMLDialogElement, location, setInterval */
// Progressive enhancement only: warns before the session's idle time-out and offers to stay
// signed in (WCAG 2.2 SC 2.2.1 Timing Adjustable: warned before time expires, at least 20
// seconds to extend it with a simple action). Without JavaScript nothing changes, and a form
// posted after the time-out is kept until its user signs in again (kept-forms.ts).
//
// The server says how long the session has left (GET /account/session, which counts as activity,
// as any page does); this page times the rest itself. A timer checked every few seconds against
// the clock, rather than one long timeout, still fires on time after the tab was in the
// background or the computer asleep.

const STATUS_URL = '/account/session';
const CHECK_EVERY_MS = 5000;

/** The session's time left, or null when it has ended (the sign-in redirect) or cannot be read. */
async function readStatus() {
  try {
    const res = await fetch(STATUS_URL, {
      credentials: 'same-origin',
      redirect: 'manual',
      headers: { accept: 'application/json' },
    });
    if (res.type === 'opaqueredirect' || !res.ok) {
      return null;
    }
    return await res.json();
  } catch {
    return null;
  }
}

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

function element(tag, attributes = {}, text = '') {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    el.setAttribute(name, value);
  }
  if (text) {
    el.textContent = text;
  }
  return el;
}

/** The warning: a modal dialog, so focus moves into it and screen readers announce it. */
function buildDialog() {
  const dialog = element('dialog', {
    id: 'session-timeout',
    class: 'app-session-timeout',
    'aria-labelledby': 'session-timeout-heading',
    'aria-describedby': 'session-timeout-text',
  });
  dialog.style.maxWidth = '32rem';
  dialog.style.padding = '24px';
  dialog.style.border = '4px solid #005eb8';
  const heading = element('h2', { id: 'session-timeout-heading', class: 'nhsuk-heading-m' });
  const text = element('p', { id: 'session-timeout-text', class: 'nhsuk-body' });
  const kept = element(
    'p',
    { class: 'nhsuk-body' },
    'If you are signed out, anything you then save is kept until you sign in again.',
  );
  const stay = element(
    'button',
    { type: 'button', class: 'nhsuk-button', id: 'session-timeout-stay' },
    'Stay signed in',
  );
  stay.style.marginRight = '16px';
  const signIn = element(
    'a',
    { class: 'nhsuk-button', href: '/sign-in', id: 'session-timeout-sign-in' },
    'Sign in again',
  );
  const signOut = element(
    'a',
    { class: 'nhsuk-link', href: '/sign-out', id: 'session-timeout-sign-out' },
    'Sign out',
  );
  const actions = element('div');
  actions.append(stay, signIn, signOut);
  dialog.append(heading, text, kept, actions);
  document.body.append(dialog);
  return { dialog, heading, text, kept, stay, signIn, signOut };
}

function start(first) {
  const ui = buildDialog();
  // A live region outside the dialog, to confirm the session was kept after the dialog closes.
  const status = element('div', { class: 'nhsuk-u-visually-hidden', role: 'status', 'aria-live': 'polite' });
  document.body.append(status);
  let idleEndsAt = 0;
  let absoluteEndsAt = 0;
  let warningMs = 0;
  let returnFocusTo = null;
  let ended = false;
  let dismissed = false;

  const schedule = (s) => {
    const now = Date.now();
    idleEndsAt = now + s.idleSecondsLeft * 1000;
    absoluteEndsAt = now + s.absoluteSecondsLeft * 1000;
    warningMs = s.warningSeconds * 1000;
  };

  const close = () => {
    if (ui.dialog.open) {
      ui.dialog.close();
    }
    if (returnFocusTo instanceof HTMLElement) {
      returnFocusTo.focus();
    }
    returnFocusTo = null;
  };

  const open = () => {
    if (!ui.dialog.open) {
      returnFocusTo = document.activeElement;
      ui.dialog.showModal();
    }
  };

  const showWarning = (endsAt, canStay) => {
    const minutes = Math.max(1, Math.ceil((endsAt - Date.now()) / 60000));
    ui.heading.textContent = 'You will be signed out soon';
    ui.text.textContent = canStay
      ? `You have not used the service for a while. For your security you will be signed out in ${minutes} minute${minutes === 1 ? '' : 's'}, at ${timeFormat.format(endsAt)}, unless you choose to stay signed in.`
      : `For your security you will be signed out at ${timeFormat.format(endsAt)}, ${minutes} minute${minutes === 1 ? '' : 's'} from now, however busy you are. Save your work before then.`;
    ui.stay.hidden = !canStay;
    ui.signIn.hidden = true;
    ui.signOut.hidden = false;
    open();
  };

  const showEnded = () => {
    ended = true;
    ui.heading.textContent = 'You have been signed out';
    ui.text.textContent =
      'For your security you were signed out because you had not used the service for a while.';
    ui.kept.textContent =
      'Anything you save now is kept until you sign in again, and put back in its form for you to check.';
    ui.stay.hidden = true;
    ui.signOut.hidden = true;
    ui.signIn.hidden = false;
    ui.signIn.setAttribute(
      'href',
      `/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`,
    );
    open();
  };

  const check = () => {
    if (ended) {
      return;
    }
    const now = Date.now();
    const endsAt = Math.min(idleEndsAt, absoluteEndsAt);
    if (now >= endsAt) {
      showEnded();
    } else if (now >= endsAt - warningMs && !ui.dialog.open && !dismissed) {
      showWarning(endsAt, absoluteEndsAt > idleEndsAt);
    }
  };

  ui.stay.addEventListener('click', async () => {
    ui.stay.disabled = true;
    const s = await readStatus();
    ui.stay.disabled = false;
    if (s === null) {
      showEnded();
      return;
    }
    schedule(s);
    dismissed = false;
    close();
    status.textContent = 'You are still signed in.';
  });
  // Escape closes the warning as "not now": it comes back only when the time has run out.
  ui.dialog.addEventListener('cancel', () => {
    dismissed = true;
    returnFocusTo = null;
  });

  schedule(first);
  setInterval(check, CHECK_EVERY_MS);
  check();
}

if (typeof HTMLDialogElement === 'function') {
  readStatus().then((s) => {
    if (s !== null) {
      start(s);
    }
  });
}
