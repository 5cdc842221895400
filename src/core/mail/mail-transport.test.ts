import { describe, expect, it } from "vitest";
import { createLogger } from "../logger.ts";
import { createMailTransport } from "./mail-transport.ts";

const logger = createLogger({ logLevel: "silent" });
const mail = {
  from: "Merit <m@merit.test>",
  to: "a@example.test",
  subject: "Hi",
  text: "Hello",
  html: "<p>Hello</p>",
};

describe("postmark transport", () => {
  it("sends through the official client with the server token, HTML and text", async () => {
    const seen: Array<{ url: string; headers: Headers; body: Record<string, unknown> }> = [];
    const transport = createMailTransport(
      { transport: "postmark", from: mail.from, smtpUrl: null, postmarkServerToken: "pm-test-token" },
      logger,
      {
        postmarkFetch: async (input, init) => {
          seen.push({
            url: String(input),
            headers: new Headers(init?.headers),
            body: JSON.parse(String(init?.body)),
          });
          return new Response(JSON.stringify({ To: mail.to, ErrorCode: 0, Message: "OK", MessageID: "x" }), {
            status: 200,
            headers: { "content-type": "application/json" },
          });
        },
      },
    );
    await transport.send(mail);
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toMatch(/api\.postmarkapp\.com\/email$/);
    expect(seen[0].headers.get("x-postmark-server-token")).toBe("pm-test-token");
    expect(seen[0].body).toMatchObject({
      From: mail.from,
      To: mail.to,
      Subject: "Hi",
      TextBody: "Hello",
      HtmlBody: "<p>Hello</p>",
    });
  });

  it("throws when Postmark refuses, so the job retries", async () => {
    const transport = createMailTransport(
      { transport: "postmark", from: mail.from, smtpUrl: null, postmarkServerToken: "bad" },
      logger,
      {
        postmarkFetch: async () =>
          new Response(JSON.stringify({ ErrorCode: 10, Message: "Bad or missing Server API token." }), {
            status: 401,
            headers: { "content-type": "application/json" },
          }),
      },
    );
    await expect(transport.send(mail)).rejects.toThrow(/token/i);
  });
});
