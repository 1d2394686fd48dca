// Every line a verifier prints passes through here: passwords must never reach a terminal, a CI log
// or an incident channel, whichever source they came from.

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]*@/gi;

/** Hides the password part of any URL, and every occurrence of each known secret (raw and URL-encoded). */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text.replace(URL_CREDENTIALS, "$1:***@");
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join("***");
  }
  return out;
}

/** A URL fit for display: user and host kept, password replaced. */
export function displayUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = "***";
  return copy.href;
}
