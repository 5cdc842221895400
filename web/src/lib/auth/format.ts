// Display helpers for account and admin pages.

// Times read the same on every page: UTC with its label, like the boards' weeks and months.
export { formatDateTime } from "../points/format";

/** A short "Browser on OS" from a user-agent string. */
export function describeUserAgent(ua: string | null | undefined): string {
  if (!ua) return "Unknown device";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Firefox\//.test(ua)
      ? "Firefox"
      : /Chrome\//.test(ua)
        ? "Chrome"
        : /Safari\//.test(ua)
          ? "Safari"
          : /curl|node|undici|python|Go-http/i.test(ua)
            ? "Script"
            : "Browser";
  const os = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad/.test(ua)
      ? "iOS"
      : /Windows/.test(ua)
        ? "Windows"
        : /Mac OS X/.test(ua)
          ? "macOS"
          : /Linux/.test(ua)
            ? "Linux"
            : null;
  return os ? `${browser} on ${os}` : browser;
}

/** What the server's password rule asks (accounts/passwords.ts), said once for every password field. */
export const PASSWORD_HINT =
  "At least 10 characters mixing three of: lower case, upper case, digits, symbols. Or a passphrase of 16+ characters. Must not contain your username or the part of your e-mail before the “@”.";
