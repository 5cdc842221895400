import { Secret, TOTP } from "otpauth";
import { privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { call, freshIp, STRONG_PASSWORD, signedInUser, signIn } from "./accounts.test-support.ts";
import { LOCKOUT } from "./throttle.service.ts";

let merit: TestMerit;
beforeAll(async () => {
  merit = await createTestMerit();
});
afterAll(() => merit?.destroy());

const codeAt = (secret: string, ms: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" }).generate({
    timestamp: ms,
  });
const login = (body: Record<string, unknown>) =>
  call(merit, "POST", "/api/auth/login", { body, ip: freshIp() });

describe("two-factor authentication", () => {
  it("sets up, enables with a code, then requires a code at sign-in; each code works once", async () => {
    const u = await signedInUser(merit, "totpuser");
    const setup = await call(merit, "POST", "/api/auth/2fa/setup", { token: u.accessToken });
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl, qrDataUrl } = setup.json();
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    // A session alone cannot turn 2FA on (a stolen one would lock the owner out): the password is needed.
    const noPassword = await call(merit, "POST", "/api/auth/2fa/enable", {
      token: u.accessToken,
      body: { code: codeAt(secret, merit.clock.now().getTime()) },
    });
    expect(noPassword.statusCode).toBe(400);
    const wrongPassword = await call(merit, "POST", "/api/auth/2fa/enable", {
      token: u.accessToken,
      body: { code: codeAt(secret, merit.clock.now().getTime()), password: "Not-the-password-1" },
    });
    expect(wrongPassword.statusCode).toBe(422);
    expect(wrongPassword.json().error).toMatchObject({
      code: "WRONG_PASSWORD",
      details: { field: "password" },
    });
    expect(
      (await call(merit, "GET", "/api/users/me", { token: u.accessToken })).json().twoFactorEnabled,
    ).toBe(false);
    const wrong = await call(merit, "POST", "/api/auth/2fa/enable", {
      token: u.accessToken,
      body: { code: "000000", password: STRONG_PASSWORD },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe("OTP_INVALID");
    const enable = await call(merit, "POST", "/api/auth/2fa/enable", {
      token: u.accessToken,
      body: { code: codeAt(secret, merit.clock.now().getTime()), password: STRONG_PASSWORD },
    });
    expect(enable.statusCode).toBe(200);
    const { recoveryCodes } = enable.json();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect(
      (await call(merit, "GET", "/api/users/me", { token: u.accessToken })).json().twoFactorEnabled,
    ).toBe(true);

    const none = await login({ login: "totpuser", password: STRONG_PASSWORD });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe("OTP_REQUIRED");
    // The enabling code's time step is spent; the next step's code works once, even within the window.
    merit.clock.advance(30_000);
    const code = codeAt(secret, merit.clock.now().getTime());
    expect((await login({ login: "totpuser", password: STRONG_PASSWORD, otp: code })).statusCode).toBe(200);
    const replay = await login({ login: "totpuser", password: STRONG_PASSWORD, otp: code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe("OTP_INVALID");
    // ±1 step: the previous period's code is still accepted 30 s later (if not used).
    merit.clock.advance(60_000);
    const prev = codeAt(secret, merit.clock.now().getTime() - 30_000);
    expect((await login({ login: "totpuser", password: STRONG_PASSWORD, otp: prev })).statusCode).toBe(200);
    merit.clock.advance(60_000);
    const stale = codeAt(secret, merit.clock.now().getTime() - 90_000);
    expect((await login({ login: "totpuser", password: STRONG_PASSWORD, otp: stale })).statusCode).toBe(401);

    // Recovery codes replace the OTP once each.
    expect(
      (await login({ login: "totpuser", password: STRONG_PASSWORD, otp: recoveryCodes[0] })).statusCode,
    ).toBe(200);
    const again = await login({ login: "totpuser", password: STRONG_PASSWORD, otp: recoveryCodes[0] });
    expect(again.json().error.code).toBe("OTP_INVALID");

    const fresh = await signIn(merit, "totpuser", STRONG_PASSWORD, recoveryCodes[1]);
    const badDisable = await call(merit, "POST", "/api/auth/2fa/disable", {
      token: fresh.accessToken,
      body: { code: "123456" },
    });
    expect(badDisable.statusCode).toBe(422);
    merit.clock.advance(30_000);
    const disable = await call(merit, "POST", "/api/auth/2fa/disable", {
      token: fresh.accessToken,
      body: { code: codeAt(secret, merit.clock.now().getTime()) },
    });
    expect(disable.statusCode).toBe(204);
    expect((await login({ login: "totpuser", password: STRONG_PASSWORD })).statusCode).toBe(200);
    const types = (
      await merit.core.db.query<{ type: string }>("SELECT type FROM audit_log WHERE user_id = $1", [
        u.user.id,
      ])
    ).map((r) => r.type);
    expect(types).toEqual(expect.arrayContaining(["2fa.enabled", "2fa.disabled"]));
  });
});

describe("API keys", () => {
  it("creates a key shown once, authenticates with it, lists it without the secret, and revokes it", async () => {
    const u = await signedInUser(merit, "keymaker");
    const created = await call(merit, "POST", "/api/users/me/api-keys", {
      token: u.accessToken,
      body: { name: "CI bot", scopes: ["read"] },
    });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json();
    expect(key).toMatch(/^mk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const stored = await merit.core.db.query<{ key_hash: string }>(
      "SELECT key_hash FROM api_keys WHERE id = $1",
      [id],
    );
    // The secret is base64url and may itself contain "_": it is everything after the prefix.
    const secret = key.slice("mk_".length + 12 + 1);
    expect(secret).toHaveLength(43);
    expect(stored[0].key_hash).not.toContain(secret);

    const me = await call(merit, "GET", "/api/users/me", { token: key });
    expect(me.statusCode).toBe(200);
    expect(me.json().username).toBe("keymaker");
    // A read-only key cannot change anything, whatever the route.
    const readOnly = await call(merit, "PATCH", "/api/users/me", {
      token: key,
      body: { displayName: "Bot" },
    });
    expect(readOnly.statusCode).toBe(403);
    expect(readOnly.json().error.code).toBe("INSUFFICIENT_SCOPE");
    // Unknown scopes are refused at creation.
    const badScope = await call(merit, "POST", "/api/users/me/api-keys", {
      token: u.accessToken,
      body: { name: "x", scopes: ["admin:everything"] },
    });
    expect(badScope.statusCode).toBe(400);
    // A key cannot manage the account, even with the write scope (that needs a password session).
    const writer = (
      await call(merit, "POST", "/api/users/me/api-keys", {
        token: u.accessToken,
        body: { name: "writer", scopes: ["read", "write"] },
      })
    ).json();
    const viaKey = await call(merit, "POST", "/api/users/me/api-keys", {
      token: writer.key,
      body: { name: "x", scopes: ["read"] },
    });
    expect(viaKey.statusCode).toBe(403);
    expect(viaKey.json().error.code).toBe("SESSION_REQUIRED");
    const rename = await call(merit, "PATCH", "/api/users/me", {
      token: writer.key,
      body: { displayName: "Bot" },
    });
    expect(rename.statusCode).toBe(200);
    // Nor rename the account or see and end its sign-in sessions.
    const sessionId = (await call(merit, "GET", "/api/users/me/sessions", { token: u.accessToken })).json()
      .items[0].id;
    for (const [method, url, body] of [
      ["POST", "/api/users/me/username", { username: "taken-by-bot" }],
      ["GET", "/api/users/me/sessions", undefined],
      ["DELETE", `/api/users/me/sessions/${sessionId}`, undefined],
      ["POST", "/api/auth/logout-all", undefined],
    ] as const) {
      const r = await call(merit, method, url, { token: writer.key, body });
      expect(r.statusCode, `${method} ${url}`).toBe(403);
      expect(r.json().error.code).toBe("SESSION_REQUIRED");
    }
    const owner = await call(merit, "GET", "/api/users/me", { token: u.accessToken });
    expect(owner.statusCode).toBe(200);
    expect(owner.json().username).toBe("keymaker");
    await call(merit, "DELETE", `/api/users/me/api-keys/${writer.id}`, { token: u.accessToken });

    const list = (await call(merit, "GET", "/api/users/me/api-keys", { token: u.accessToken })).json();
    expect(list.items).toEqual([
      expect.objectContaining({
        id,
        name: "CI bot",
        scopes: ["read"],
        prefix: key.split("_")[1],
      }),
    ]);
    expect(JSON.stringify(list)).not.toContain(key);
    const wrongSecret = `${key.slice(0, -4)}AAAA`;
    expect((await call(merit, "GET", "/api/users/me", { token: wrongSecret })).statusCode).toBe(401);

    expect(
      (await call(merit, "DELETE", `/api/users/me/api-keys/${id}`, { token: u.accessToken })).statusCode,
    ).toBe(204);
    expect((await call(merit, "GET", "/api/users/me", { token: key })).statusCode).toBe(401);
    expect(
      (await call(merit, "DELETE", `/api/users/me/api-keys/${id}`, { token: u.accessToken })).statusCode,
    ).toBe(404);
  });
});

describe("Sign-In with Ethereum", () => {
  const account = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
  const other = privateKeyToAccount("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");

  async function signed(signer = account, overrides: { domain?: string; uri?: string; nonce?: string } = {}) {
    const nonce =
      overrides.nonce ?? (await call(merit, "GET", "/api/auth/siwe/nonce", { ip: freshIp() })).json().nonce;
    const message = createSiweMessage({
      domain: overrides.domain ?? "merit.test",
      address: signer.address,
      statement: "Sign in to Merit",
      uri: overrides.uri ?? "http://merit.test",
      version: "1",
      chainId: 1,
      nonce,
      issuedAt: merit.clock.now(),
    });
    return { message, signature: await signer.signMessage({ message }) };
  }

  it("links a wallet, then signs in with it; nonces are single use", async () => {
    const u = await signedInUser(merit, "walleteer");
    const notLinked = await call(merit, "POST", "/api/auth/siwe/login", {
      body: await signed(),
      ip: freshIp(),
    });
    expect(notLinked.statusCode).toBe(401);
    expect(notLinked.json().error.code).toBe("WALLET_NOT_LINKED");

    const link = await call(merit, "POST", "/api/users/me/wallet", {
      token: u.accessToken,
      body: await signed(),
    });
    expect(link.statusCode).toBe(200);
    expect(link.json().walletAddress).toBe(account.address);

    const body = await signed();
    const ok = await call(merit, "POST", "/api/auth/siwe/login", { body, ip: freshIp() });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.username).toBe("walleteer");
    const replay = await call(merit, "POST", "/api/auth/siwe/login", { body, ip: freshIp() });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe("INVALID_NONCE");

    const v = await signedInUser(merit, "wallet2");
    const taken = await call(merit, "POST", "/api/users/me/wallet", {
      token: v.accessToken,
      body: await signed(),
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe("WALLET_TAKEN");

    expect((await call(merit, "DELETE", "/api/users/me/wallet", { token: u.accessToken })).statusCode).toBe(
      204,
    );
    const after = await call(merit, "POST", "/api/auth/siwe/login", { body: await signed(), ip: freshIp() });
    expect(after.json().error.code).toBe("WALLET_NOT_LINKED");
  });

  it("asks for the second factor when 2FA is on; the same signed message then signs in once", async () => {
    const signer = privateKeyToAccount("0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");
    const u = await signedInUser(merit, "wallet2fa");
    const link = await call(merit, "POST", "/api/users/me/wallet", {
      token: u.accessToken,
      body: await signed(signer),
    });
    expect(link.statusCode).toBe(200);
    const { secret } = (await call(merit, "POST", "/api/auth/2fa/setup", { token: u.accessToken })).json();
    const enable = await call(merit, "POST", "/api/auth/2fa/enable", {
      token: u.accessToken,
      body: { code: codeAt(secret, merit.clock.now().getTime()), password: STRONG_PASSWORD },
    });
    expect(enable.statusCode).toBe(200);

    const body = await signed(signer);
    const none = await call(merit, "POST", "/api/auth/siwe/login", { body, ip: freshIp() });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe("OTP_REQUIRED");
    expect(none.json()).not.toHaveProperty("accessToken");
    const wrong = await call(merit, "POST", "/api/auth/siwe/login", {
      body: { ...body, otp: "000000" },
      ip: freshIp(),
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe("OTP_INVALID");
    merit.clock.advance(30_000);
    const ok = await call(merit, "POST", "/api/auth/siwe/login", {
      body: { ...body, otp: codeAt(secret, merit.clock.now().getTime()) },
      ip: freshIp(),
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.username).toBe("wallet2fa");
    // The nonce is used up by the sign-in: the message cannot sign in again, even with a fresh code.
    merit.clock.advance(30_000);
    const replay = await call(merit, "POST", "/api/auth/siwe/login", {
      body: { ...body, otp: codeAt(secret, merit.clock.now().getTime()) },
      ip: freshIp(),
    });
    expect(replay.json().error.code).toBe("INVALID_NONCE");
    // Wrong codes count towards the account's lockout, as for a password sign-in.
    for (let i = 0; i < LOCKOUT.accountFreeFailures; i++) {
      const r = await call(merit, "POST", "/api/auth/siwe/login", {
        body: { ...(await signed(signer)), otp: "000000" },
        ip: freshIp(),
      });
      expect(r.json().error.code).toBe("OTP_INVALID");
    }
    const locked = await call(merit, "POST", "/api/auth/siwe/login", {
      body: { ...(await signed(signer)), otp: "000000" },
      ip: freshIp(),
    });
    expect(locked.statusCode).toBe(429);
  });

  it("rejects other domains, forged signatures, unknown and expired nonces", async () => {
    const domain = await call(merit, "POST", "/api/auth/siwe/login", {
      body: await signed(account, { domain: "evil.test" }),
      ip: freshIp(),
    });
    expect(domain.json().error.code).toBe("SIWE_DOMAIN_MISMATCH");
    const uri = await call(merit, "POST", "/api/auth/siwe/login", {
      body: await signed(account, { uri: "https://evil.test" }),
      ip: freshIp(),
    });
    expect(uri.json().error.code).toBe("SIWE_DOMAIN_MISMATCH");
    const real = await signed(account);
    const forged = { message: real.message, signature: (await signed(other)).signature };
    const bad = await call(merit, "POST", "/api/auth/siwe/login", { body: forged, ip: freshIp() });
    expect(bad.json().error.code).toBe("INVALID_SIGNATURE");
    const unknown = await call(merit, "POST", "/api/auth/siwe/login", {
      body: await signed(account, { nonce: "abcdefgh12345678" }),
      ip: freshIp(),
    });
    expect(unknown.json().error.code).toBe("INVALID_NONCE");
    const late = await signed(account);
    merit.clock.advance(11 * 60 * 1000);
    const expired = await call(merit, "POST", "/api/auth/siwe/login", { body: late, ip: freshIp() });
    expect(expired.json().error.code).toBe("INVALID_NONCE");
    const garbage = await call(merit, "POST", "/api/auth/siwe/login", {
      body: { message: "hello", signature: "0x00" },
      ip: freshIp(),
    });
    expect(garbage.statusCode).toBe(400);
  });
});
