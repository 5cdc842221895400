// The copy of a mail the outbox keeps once it is out: every trace of the action link replaced.
import { describe, expect, it } from "vitest";
import { LINK_REMOVED, renderMail, withoutLink } from "./mail.templates.ts";

describe("withoutLink", () => {
  it("replaces the link in the text and in the HTML (attribute and visible copy)", () => {
    const link = "https://merit.example/reset-password?token=s3cret&lang=de";
    const mail = renderMail("reset-password", "en", { username: "amy", link });
    expect(mail.text).toContain(link);
    expect(mail.html).toContain("token=s3cret");
    const kept = withoutLink(mail, link);
    expect(kept).not.toBeNull();
    for (const body of [kept!.text, kept!.html]) {
      expect(body).not.toContain("s3cret");
      expect(body).toContain(LINK_REMOVED);
    }
    expect(kept!.subject).toBe(mail.subject);
    expect(kept!.text).toContain("amy");
  });

  it("has nothing to keep apart for a mail without a link", () => {
    const mail = renderMail("ban-notice", "en", { username: "amy", reason: "spam" });
    expect(withoutLink(mail, undefined)).toBeNull();
  });
});
