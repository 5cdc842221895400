import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { call, createConfirmedUser, freshIp, STRONG_PASSWORD } from "./accounts.test-support.ts";
import { KNOWN_CLIENT_DAYS } from "./auth.service.ts";
import { LIMITS, LOCKOUT } from "./throttle.service.ts";

let merit: TestMerit;
beforeAll(async () => {
  merit = await createTestMerit();
});
afterAll(() => merit?.destroy());

const login = (loginName: string, password: string, ip = freshIp()) =>
  call(merit, "POST", "/api/auth/login", { body: { login: loginName, password }, ip });

describe("rate limits and lockout", () => {
  it("locks an account progressively after 5 wrong passwords, from any IP", async () => {
    await createConfirmedUser(merit, "target");
    for (let i = 0; i < LOCKOUT.accountFreeFailures; i++) {
      expect((await login("target", "Wrong-password-1")).statusCode).toBe(401);
    }
    const locked = await login("target", STRONG_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error).toMatchObject({ code: "RATE_LIMITED", details: { retryAfterSeconds: 60 } });
    expect(locked.headers["retry-after"]).toBe("60");
    merit.clock.advance(61_000);
    // One more failure doubles the lock.
    expect((await login("target", "Wrong-password-1")).statusCode).toBe(401);
    const longer = await login("target", STRONG_PASSWORD);
    expect(longer.json().error.details.retryAfterSeconds).toBe(120);
    merit.clock.advance(121_000);
    expect((await login("target", STRONG_PASSWORD)).statusCode).toBe(200);
    // Success resets the count.
    expect((await login("target", "Wrong-password-1")).statusCode).toBe(401);
    expect((await login("target", STRONG_PASSWORD)).statusCode).toBe(200);
  });

  it("keeps signing in the owner from an address they signed in from before, while the account is locked", async () => {
    await createConfirmedUser(merit, "lockvictim");
    const home = freshIp();
    expect((await login("lockvictim", STRONG_PASSWORD, home)).statusCode).toBe(200);
    // Someone fails on purpose from elsewhere until the account is locked.
    for (let i = 0; i < LOCKOUT.accountFreeFailures; i++) {
      expect((await login("lockvictim", "Wrong-password-1")).statusCode).toBe(401);
    }
    expect((await login("lockvictim", STRONG_PASSWORD)).statusCode).toBe(429);
    expect((await login("LockVictim@example.test", STRONG_PASSWORD, freshIp())).statusCode).toBe(429);
    // The owner, from home, is not locked out; guesses from home still count and lock home itself.
    expect((await login("lockvictim", STRONG_PASSWORD, home)).statusCode).toBe(200);
    // A sign-in more than KNOWN_CLIENT_DAYS ago no longer makes an address known.
    merit.clock.advance((KNOWN_CLIENT_DAYS + 1) * 24 * 60 * 60 * 1000);
    for (let i = 0; i < LOCKOUT.accountFreeFailures; i++) await login("lockvictim", "Wrong-password-1");
    expect((await login("lockvictim", STRONG_PASSWORD, home)).statusCode).toBe(429);
  });

  it("locks unknown logins the same way (no enumeration through lockout)", async () => {
    for (let i = 0; i < LOCKOUT.accountFreeFailures; i++) await login("ghost-user", "Wrong-password-1");
    expect((await login("ghost-user", "Wrong-password-1")).statusCode).toBe(429);
  });

  it("limits sign-in attempts per IP per window", async () => {
    const ip = freshIp();
    for (let i = 0; i < LIMITS.loginPerIp.max; i++) {
      expect((await login("target", STRONG_PASSWORD, ip)).statusCode).toBe(200);
    }
    const r = await login("target", STRONG_PASSWORD, ip);
    expect(r.statusCode).toBe(429);
    expect(Number(r.headers["retry-after"])).toBeGreaterThan(0);
    merit.clock.advance(LIMITS.loginPerIp.windowSeconds * 1000);
    expect((await login("target", STRONG_PASSWORD, ip)).statusCode).toBe(200);
  });

  it("ignores X-Forwarded-For unless TRUST_PROXY names the proxy, so a client cannot pick its address", async () => {
    const direct = await createTestMerit({ env: { TRUST_PROXY: "" } });
    try {
      await createConfirmedUser(direct, "target");
      for (let i = 0; i < LIMITS.loginPerIp.max; i++) {
        const r = await call(direct, "POST", "/api/auth/login", {
          body: { login: "target", password: STRONG_PASSWORD },
          ip: freshIp(),
        });
        expect(r.statusCode).toBe(200);
      }
      const spoofed = await call(direct, "POST", "/api/auth/login", {
        body: { login: "target", password: STRONG_PASSWORD },
        ip: freshIp(),
      });
      expect(spoofed.statusCode).toBe(429);
    } finally {
      await direct.destroy();
    }
  });

  it("locks an IP after 20 failures across different accounts", async () => {
    const ip = freshIp();
    for (let i = 0; i < LOCKOUT.ipFreeFailures; i++) {
      expect((await login(`sprayed${i}`, "Wrong-password-1", ip)).statusCode).toBe(401);
    }
    expect((await login("target", STRONG_PASSWORD, ip)).statusCode).toBe(429);
    expect((await login("target", STRONG_PASSWORD)).statusCode).toBe(200);
  });

  it("counts an IPv6 client by its /64, so picking fresh addresses does not escape a limit", async () => {
    let n = 0;
    const forgot = (ip: string) =>
      call(merit, "POST", "/api/auth/password/forgot", { body: { email: `v6-${n++}@example.test` }, ip });
    for (let i = 1; i <= LIMITS.forgotPerIp.max; i++) {
      expect((await forgot(`2001:db8:7:1::${i.toString(16)}`)).statusCode).toBe(202);
    }
    const sameNetwork = await forgot("2001:0db8:0007:0001:ffff:ffff:ffff:0001");
    expect(sameNetwork.statusCode).toBe(429);
    expect((await forgot("2001:db8:7:2::1")).statusCode).toBe(202);
    // An IPv4 client written IPv4-mapped is the same client.
    for (let i = 0; i < LIMITS.forgotPerIp.max; i++) {
      expect((await forgot("10.250.0.1")).statusCode).toBe(202);
    }
    expect((await forgot("::ffff:10.250.0.1")).statusCode).toBe(429);
  });

  it("limits registrations per IP and reset mails per address", async () => {
    const ip = freshIp();
    for (let i = 0; i < LIMITS.registerPerIp.max; i++) {
      const r = await call(merit, "POST", "/api/auth/register", {
        body: { email: `bulk${i}@example.test`, username: `bulk${i}`, password: STRONG_PASSWORD },
        ip,
      });
      expect(r.statusCode).toBe(201);
    }
    const over = await call(merit, "POST", "/api/auth/register", {
      body: { email: "bulkx@example.test", username: "bulkx", password: STRONG_PASSWORD },
      ip,
    });
    expect(over.statusCode).toBe(429);
    expect(await merit.core.db.query("SELECT 1 FROM users WHERE username = 'bulkx'")).toHaveLength(0);

    for (let i = 0; i < LIMITS.forgotPerEmail.max; i++) {
      const r = await call(merit, "POST", "/api/auth/password/forgot", {
        body: { email: "target@example.test" },
        ip: freshIp(),
      });
      expect(r.statusCode).toBe(202);
    }
    const tooMany = await call(merit, "POST", "/api/auth/password/forgot", {
      body: { email: "target@example.test" },
      ip: freshIp(),
    });
    expect(tooMany.statusCode).toBe(429);
  });

  it("locks 2FA codes after repeated wrong ones", async () => {
    await createConfirmedUser(merit, "twofa");
    const tokens = (await login("twofa", STRONG_PASSWORD)).json();
    await call(merit, "POST", "/api/auth/2fa/setup", { token: tokens.accessToken });
    for (let i = 0; i < LOCKOUT.accountFreeFailures; i++) {
      const r = await call(merit, "POST", "/api/auth/2fa/enable", {
        token: tokens.accessToken,
        body: { code: "000000", password: STRONG_PASSWORD },
      });
      expect(r.statusCode).toBe(422);
    }
    const locked = await call(merit, "POST", "/api/auth/2fa/enable", {
      token: tokens.accessToken,
      body: { code: "000000", password: STRONG_PASSWORD },
    });
    expect(locked.statusCode).toBe(429);
  });
});
