/**
 * Signing in to the pages as a person does — the form's CSRF token and cookie, then the
 * username and password — so the fault section can ask for a page as well as the API.
 */

function cookiePairs(res: Response): string[] {
  return res.headers.getSetCookie().map((line) => line.split(';')[0] ?? '');
}

/** The Cookie header of a signed-in session. */
export async function signIn(baseUrl: string, username: string, password: string): Promise<string> {
  const form = await fetch(`${baseUrl}/sign-in`, { signal: AbortSignal.timeout(15_000) });
  const html = await form.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (form.status !== 200 || !csrf) {
    throw new Error(`GET /sign-in answered ${String(form.status)} without a CSRF token`);
  }
  const res = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookiePairs(form).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, username, password, next: '/' }).toString(),
    signal: AbortSignal.timeout(15_000),
  });
  await res.arrayBuffer();
  const session = cookiePairs(res).find((pair) => pair.startsWith('itb_session='));
  if (res.status !== 303 || !session) {
    throw new Error(`POST /sign-in answered ${String(res.status)} without a session cookie`);
  }
  return session;
}

/** A page's status (0 when no answer) and whether its text names the database being unavailable. */
export async function getPage(
  baseUrl: string,
  path: string,
  cookie: string,
): Promise<{ status: number; text: string }> {
  try {
    const res = await fetch(`${baseUrl}${path}`, {
      headers: { cookie },
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
    return { status: res.status, text: await res.text() };
  } catch {
    return { status: 0, text: '' };
  }
}
