// Request/response schemas of the accounts API (they also feed the OpenAPI document).
import { type TSchema, Type } from "typebox";

export const Me = Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    email: Type.Union([Type.String(), Type.Null()]),
    username: Type.String(),
    displayName: Type.Union([Type.String(), Type.Null()]),
    roles: Type.Array(Type.String()),
    emailConfirmed: Type.Boolean(),
    twoFactorEnabled: Type.Boolean(),
    walletAddress: Type.Union([Type.String(), Type.Null()]),
    referralCode: Type.String(),
    locale: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: "date-time" }),
  },
  { description: "An account as its owner sees it" },
);

export const AdminUser = Type.Intersect([
  Me,
  Type.Object({
    banned: Type.Boolean(),
    banReason: Type.Union([Type.String(), Type.Null()]),
    bannedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
    hidden: Type.Boolean({ description: "Left out of leaderboards" }),
  }),
]);

export const UserEnvelope = Type.Object({ user: Me });

export const Tokens = Type.Object({
  accessToken: Type.String({ description: "JWT for `Authorization: Bearer`, valid for expiresIn seconds" }),
  refreshToken: Type.String({
    description: "Opaque, single use: exchange it at /api/auth/refresh for a new pair",
  }),
  expiresIn: Type.Integer({ description: "Seconds until the access token expires" }),
  user: Me,
});

const Password = Type.String({ minLength: 1, maxLength: 256 });
export const Locale = Type.String({
  pattern: "^[a-z]{2}(-[A-Za-z]{2})?$",
  description: "e.g. en, de, de-AT",
});

export const RegisterBody = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 254 }),
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Password,
  referralCode: Type.Optional(Type.String({ maxLength: 64 })),
  locale: Type.Optional(Locale),
});
export const TokenBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });
export const LoginBody = Type.Object({
  login: Type.String({ minLength: 1, maxLength: 254, description: "E-mail or username (case-insensitive)" }),
  password: Password,
  otp: Type.Optional(Type.String({ maxLength: 32, description: "TOTP code or a recovery code" })),
});
export const RefreshBody = Type.Object({ refreshToken: Type.String({ minLength: 1, maxLength: 200 }) });
export const EmailBody = Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }) });
export const ResetBody = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200 }),
  password: Password,
});
export const Ok = Type.Object({ ok: Type.Boolean() });

export const ProfilePatch = Type.Object({
  displayName: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  locale: Type.Optional(Type.Union([Locale, Type.Null()])),
});
export const ChangePasswordBody = Type.Object({ currentPassword: Password, newPassword: Password });
export const ChangeEmailBody = Type.Object({
  newEmail: Type.String({ minLength: 1, maxLength: 254 }),
  password: Password,
});
export const ChangeUsernameBody = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }) });
export const PasswordBody = Type.Object({ password: Password });

export const Session = Type.Object({
  id: Type.String({ format: "uuid" }),
  createdAt: Type.String({ format: "date-time" }),
  lastUsedAt: Type.String({ format: "date-time" }),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean({ description: "The session of the access token making this request" }),
});
export const IdParam = Type.Object({ id: Type.String({ format: "uuid" }) });

export const CodeBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }) });
export const EnableTwoFactorBody = Type.Object({
  code: CodeBody.properties.code,
  password: Type.String({ minLength: 1, maxLength: 256, description: "The current password" }),
});
export const TwoFactorSetup = Type.Object({
  secret: Type.String({ description: "Base32 secret for manual entry" }),
  otpauthUrl: Type.String(),
  qrDataUrl: Type.String({ description: "PNG data URL of the otpauth QR code" }),
});
export const RecoveryCodes = Type.Object({
  recoveryCodes: Type.Array(Type.String(), { minItems: 10, maxItems: 10 }),
});

export const ApiKey = Type.Object({
  id: Type.String({ format: "uuid" }),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  prefix: Type.String(),
  createdAt: Type.String({ format: "date-time" }),
  lastUsedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
});
export const NewApiKeyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64 }),
  scopes: Type.Array(Type.Union([Type.Literal("read"), Type.Literal("write")]), {
    minItems: 1,
    maxItems: 2,
    description:
      "read: GET requests as this user; write: also changes (POST/PATCH/PUT/DELETE). Account management always needs a signed-in session.",
  }),
});
export const CreatedApiKey = Type.Object({
  id: Type.String({ format: "uuid" }),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  key: Type.String({ description: "The secret key; shown only now" }),
  createdAt: Type.String({ format: "date-time" }),
});

export const SiweBody = Type.Object({
  message: Type.String({ minLength: 1, maxLength: 4000, description: "EIP-4361 message" }),
  signature: Type.String({ pattern: "^0x[0-9a-fA-F]+$", maxLength: 1000 }),
});
export const SiweLoginBody = Type.Object({
  message: SiweBody.properties.message,
  signature: SiweBody.properties.signature,
  otp: Type.Optional(
    Type.String({
      maxLength: 32,
      description:
        "TOTP code or a recovery code, required when the account has two-factor authentication on (send the same signed message again with it after 401 OTP_REQUIRED)",
    }),
  ),
});
export const Nonce = Type.Object({ nonce: Type.String() });

const DateTime = Type.String({ format: "date-time" });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const BanDetails = Type.Object(
  {
    banReason: Nullable(Type.String()),
    bannedAt: DateTime,
    appealToken: Nullable(
      Type.String({
        description:
          "Only while an appeal is possible: send it to POST /api/appeals within an hour (sign in again for a new one)",
      }),
    ),
    appeal: Type.Object(
      {
        status: Type.Union([Type.Literal("possible"), Type.Literal("pending"), Type.Literal("decided")], {
          description:
            "possible: no appeal against this ban yet; pending: filed, waiting for an admin; decided: reviewed (one appeal per ban)",
        }),
        sentAt: Nullable(Type.String({ format: "date-time", description: "When the appeal was filed" })),
        decision: Nullable(Type.Union([Type.Literal("lifted"), Type.Literal("upheld")])),
        decidedAt: Nullable(DateTime),
        note: Nullable(Type.String({ description: "The reviewer's note to the member, once decided" })),
      },
      { description: "The appeal against this ban" },
    ),
  },
  { description: "details of 403 ACCOUNT_BANNED: the ban and where its one appeal stands" },
);

/** 403 answers of a sign-in: ACCOUNT_BANNED (with BanDetails) or EMAIL_NOT_CONFIRMED. */
export const SignInRefused = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: "ACCOUNT_BANNED or EMAIL_NOT_CONFIRMED" }),
      message: Type.String(),
      details: Type.Optional(BanDetails),
    }),
  },
  { description: "Sign-in refused: the account is banned (details say why and where its appeal stands)" },
);
