// Shapes of the accounts API (issue 3), taken from the generated OpenAPI types so they cannot drift.
import type { ApiResponse } from "$lib/api/api";
import type { paths } from "$lib/api/schema";

export type Role = "admin" | "steward" | "member";
export const ROLES: Role[] = ["admin", "steward", "member"];

type Item<T> = T extends { items: (infer I)[] } ? I : never;

export type Me = ApiResponse<"/api/users/me">;
export type LoginResult = ApiResponse<"/api/auth/login", "post">;
export type SessionItem = Item<ApiResponse<"/api/users/me/sessions">>;
export type TwoFactorSetup = ApiResponse<"/api/auth/2fa/setup", "post">;
export type ApiKey = Item<ApiResponse<"/api/users/me/api-keys">>;
export type CreatedApiKey = ApiResponse<"/api/users/me/api-keys", "post">;
export type AdminUser = Item<ApiResponse<"/api/admin/users">>;
export type Appeal = Item<ApiResponse<"/api/admin/appeals">>;
export type OutboxMail = Item<ApiResponse<"/api/admin/outbox">>;
export type AuditEvent = Item<ApiResponse<"/api/admin/audit-log">>;
export type Setting = Item<ApiResponse<"/api/admin/settings">>;

type SignInRefused = paths["/api/auth/login"]["post"]["responses"][403]["content"]["application/json"];
/** details of a 403 ACCOUNT_BANNED answer to a sign-in: the ban, and where its one appeal stands. */
export type BanDetails = NonNullable<SignInRefused["error"]["details"]>;
