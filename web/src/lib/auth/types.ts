// Shapes of the accounts API (issue 3), taken from the generated OpenAPI types so they cannot drift.
import type { ApiResponse } from "$lib/api/api";

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

/** details of a 403 ACCOUNT_BANNED answer to a sign-in. */
export interface BanDetails {
  banReason?: string | null;
  appealToken?: string | null;
}
