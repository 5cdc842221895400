// Mail templates: subject, text and HTML per language. English is the fallback for unknown locales.

export type MailTemplate =
  | "confirm-email"
  | "confirm-new-email"
  | "reset-password"
  | "email-change-notice"
  | "ban-notice"
  | "appeal-decision";

export interface MailVars {
  username: string;
  /** Action link (confirm/reset) when the template has one. */
  link?: string;
  newEmail?: string;
  reason?: string;
  /** appeal-decision: what the appeal's reviewer decided. */
  decision?: "lifted" | "upheld";
  /** appeal-decision: the reviewer's note to the member, if any. */
  note?: string;
  /** appeal-decision: whether the account is still suspended after the decision. */
  suspended?: boolean;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

interface Copy {
  subject: string;
  greeting: string;
  /** Paragraphs; the link, when present, follows them as a button. */
  body: string[];
  action?: string;
  footer: string;
}

type Translations = Record<MailTemplate, (v: MailVars) => Copy>;

const en: Translations = {
  "confirm-email": (v) => ({
    subject: "Confirm your e-mail address",
    greeting: `Hello ${v.username},`,
    body: [
      "Welcome to Merit! Please confirm your e-mail address to finish signing up. The link works for 24 hours.",
    ],
    action: "Confirm e-mail",
    footer: "If you did not sign up, you can ignore this e-mail.",
  }),
  "confirm-new-email": (v) => ({
    subject: "Confirm your new e-mail address",
    greeting: `Hello ${v.username},`,
    body: ["Please confirm that this is your new e-mail address for Merit. The link works for 24 hours."],
    action: "Confirm new e-mail",
    footer: "If you did not ask for this change, you can ignore this e-mail.",
  }),
  "reset-password": (v) => ({
    subject: "Reset your password",
    greeting: `Hello ${v.username},`,
    body: ["Someone asked to reset the password of your Merit account. The link works for one hour, once."],
    action: "Choose a new password",
    footer: "If it was not you, ignore this e-mail: your password stays as it is.",
  }),
  "email-change-notice": (v) => ({
    subject: "Your e-mail address is being changed",
    greeting: `Hello ${v.username},`,
    body: [
      `A change of your Merit e-mail address to ${v.newEmail ?? "a new address"} was requested. It takes effect once the new address is confirmed.`,
    ],
    footer: "If this was not you, change your password and contact the administrators.",
  }),
  "ban-notice": (v) => ({
    subject: "Your account has been suspended",
    greeting: `Hello ${v.username},`,
    body: [
      `Your Merit account has been suspended. Reason: ${v.reason || "not given"}.`,
      "When you try to sign in you can file one appeal, which an administrator reviews.",
    ],
    footer: "This is an automatic message.",
  }),
  "appeal-decision": (v) => ({
    subject: v.decision === "lifted" ? "Your appeal was accepted" : "Your appeal was turned down",
    greeting: `Hello ${v.username},`,
    body: [
      v.decision === "lifted"
        ? "An administrator reviewed your appeal and lifted the suspension of your Merit account."
        : "An administrator reviewed your appeal and upheld the suspension of your Merit account.",
      ...(v.note ? [`Note from the administrator: ${v.note}`] : []),
      v.suspended
        ? v.decision === "lifted"
          ? "Another suspension of your account is still in force, so you cannot sign in yet."
          : "Your account stays suspended. This suspension cannot be appealed again."
        : "Your account is not suspended any more: you can sign in again.",
    ],
    footer: "This is an automatic message.",
  }),
};

const de: Translations = {
  "confirm-email": (v) => ({
    subject: "Bestätige deine E-Mail-Adresse",
    greeting: `Hallo ${v.username},`,
    body: [
      "Willkommen bei Merit! Bitte bestätige deine E-Mail-Adresse, um die Registrierung abzuschließen. Der Link ist 24 Stunden gültig.",
    ],
    action: "E-Mail bestätigen",
    footer: "Wenn du dich nicht registriert hast, kannst du diese E-Mail ignorieren.",
  }),
  "confirm-new-email": (v) => ({
    subject: "Bestätige deine neue E-Mail-Adresse",
    greeting: `Hallo ${v.username},`,
    body: [
      "Bitte bestätige, dass dies deine neue E-Mail-Adresse für Merit ist. Der Link ist 24 Stunden gültig.",
    ],
    action: "Neue E-Mail bestätigen",
    footer: "Wenn du diese Änderung nicht angefordert hast, ignoriere diese E-Mail.",
  }),
  "reset-password": (v) => ({
    subject: "Passwort zurücksetzen",
    greeting: `Hallo ${v.username},`,
    body: [
      "Jemand möchte das Passwort deines Merit-Kontos zurücksetzen. Der Link ist eine Stunde lang einmal gültig.",
    ],
    action: "Neues Passwort wählen",
    footer: "Wenn du das nicht warst, ignoriere diese E-Mail: dein Passwort bleibt unverändert.",
  }),
  "email-change-notice": (v) => ({
    subject: "Deine E-Mail-Adresse wird geändert",
    greeting: `Hallo ${v.username},`,
    body: [
      `Die Änderung deiner Merit-E-Mail-Adresse zu ${v.newEmail ?? "einer neuen Adresse"} wurde angefordert. Sie gilt, sobald die neue Adresse bestätigt ist.`,
    ],
    footer: "Wenn du das nicht warst, ändere dein Passwort und kontaktiere die Administratoren.",
  }),
  "ban-notice": (v) => ({
    subject: "Dein Konto wurde gesperrt",
    greeting: `Hallo ${v.username},`,
    body: [
      `Dein Merit-Konto wurde gesperrt. Grund: ${v.reason || "nicht angegeben"}.`,
      "Beim Anmelden kannst du einmal Einspruch einlegen; ein Administrator prüft ihn.",
    ],
    footer: "Dies ist eine automatische Nachricht.",
  }),
  "appeal-decision": (v) => ({
    subject:
      v.decision === "lifted" ? "Deinem Einspruch wurde stattgegeben" : "Dein Einspruch wurde abgelehnt",
    greeting: `Hallo ${v.username},`,
    body: [
      v.decision === "lifted"
        ? "Ein Administrator hat deinen Einspruch geprüft und die Sperre deines Merit-Kontos aufgehoben."
        : "Ein Administrator hat deinen Einspruch geprüft und die Sperre deines Merit-Kontos bestätigt.",
      ...(v.note ? [`Anmerkung des Administrators: ${v.note}`] : []),
      v.suspended
        ? v.decision === "lifted"
          ? "Eine andere Sperre deines Kontos gilt weiterhin, du kannst dich noch nicht anmelden."
          : "Dein Konto bleibt gesperrt. Gegen diese Sperre ist kein weiterer Einspruch möglich."
        : "Dein Konto ist nicht mehr gesperrt: du kannst dich wieder anmelden.",
    ],
    footer: "Dies ist eine automatische Nachricht.",
  }),
};

const LANGUAGES: Record<string, Translations> = { en, de };
export const MAIL_LANGUAGES = Object.keys(LANGUAGES);

/** The supported language for a locale such as "de-AT", else English. */
export function mailLanguage(locale: string | null | undefined): string {
  const lang = (locale ?? "").toLowerCase().split(/[-_]/)[0];
  return lang in LANGUAGES ? lang : "en";
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** What stands in a stored mail for its action link once the mail is out. */
export const LINK_REMOVED = "[link removed once sent]";

/**
 * A rendered mail with its action link replaced (text and HTML), or null when it has none: the copy
 * the outbox keeps once the mail is out, so no live link stays stored in clear.
 */
export function withoutLink(mail: RenderedMail, link: string | undefined): RenderedMail | null {
  if (!link) return null;
  return {
    ...mail,
    text: mail.text.replaceAll(link, LINK_REMOVED),
    html: mail.html.replaceAll(escapeHtml(link), escapeHtml(LINK_REMOVED)).replaceAll(link, LINK_REMOVED),
  };
}

/** Renders a template in the user's language (English fallback) as text + HTML. */
export function renderMail(
  template: MailTemplate,
  locale: string | null | undefined,
  vars: MailVars,
): RenderedMail {
  const copy = LANGUAGES[mailLanguage(locale)][template](vars);
  const text = [
    copy.greeting,
    "",
    ...copy.body.flatMap((p) => [p, ""]),
    ...(vars.link && copy.action ? [`${copy.action}: ${vars.link}`, ""] : []),
    copy.footer,
    "",
    "-- Merit",
  ].join("\n");
  const button =
    vars.link && copy.action
      ? `<p><a href="${escapeHtml(vars.link)}" style="display:inline-block;padding:10px 18px;background:#2f5bea;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(copy.action)}</a></p>
<p style="font-size:12px;color:#666">${escapeHtml(vars.link)}</p>`
      : "";
  const html = `<!doctype html>
<html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#222;max-width:560px;margin:auto">
<p>${escapeHtml(copy.greeting)}</p>
${copy.body.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n")}
${button}
<p style="font-size:12px;color:#666">${escapeHtml(copy.footer)}</p>
</body></html>`;
  return { subject: copy.subject, text, html };
}
