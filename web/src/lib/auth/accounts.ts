// The accounts API as functions, so pages read like the flow they implement. Every call goes through
// the typed client: paths, bodies and responses are checked against the server's OpenAPI document.
import { api } from "$lib/api/api";
import { session } from "$lib/session.svelte";
import type { Me } from "./types";

/** What an API key may do: `read` (GET only) and/or `write` (changes). */
export type ApiKeyScope = "read" | "write";

export const auth = {
  register: (body: { email: string; username: string; password: string; referralCode?: string }) =>
    api.post("/api/auth/register", { body }),
  confirmEmail: (token: string) => api.post("/api/auth/confirm-email", { body: { token } }),
  resendConfirmation: (email: string) => api.post("/api/auth/resend-confirmation", { body: { email } }),
  login: (body: { login: string; password: string; otp?: string }) => api.post("/api/auth/login", { body }),
  forgotPassword: (email: string) => api.post("/api/auth/password/forgot", { body: { email } }),
  resetPassword: (token: string, password: string) =>
    api.post("/api/auth/password/reset", { body: { token, password } }),
  appeal: (appealToken: string, message: string) =>
    api.post("/api/appeals", { body: { appealToken, message } }),
  siweNonce: () => api.get("/api/auth/siwe/nonce"),
  siweLogin: (message: string, signature: string, otp?: string) =>
    api.post("/api/auth/siwe/login", { body: { message, signature, otp } }),
  logoutAll: () => api.post("/api/auth/logout-all"),
};

export const me = {
  get: (signal?: AbortSignal) => api.get("/api/users/me", { signal }),
  update: (body: { displayName?: string | null; locale?: string | null }) =>
    api.patch("/api/users/me", { body }),
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post("/api/users/me/password", { body: { currentPassword, newPassword } }),
  changeEmail: (newEmail: string, password: string) =>
    api.post("/api/users/me/email", { body: { newEmail, password } }),
  changeUsername: (username: string) => api.post("/api/users/me/username", { body: { username } }),
  delete: (password: string) => api.delete("/api/users/me", { body: { password } }),
  sessions: () => api.get("/api/users/me/sessions"),
  revokeSession: (id: string) => api.delete("/api/users/me/sessions/{id}", { path: { id } }),
  setupTwoFactor: () => api.post("/api/auth/2fa/setup"),
  enableTwoFactor: (code: string, password: string) =>
    api.post("/api/auth/2fa/enable", { body: { code, password } }),
  disableTwoFactor: (code: string) => api.post("/api/auth/2fa/disable", { body: { code } }),
  linkWallet: (message: string, signature: string) =>
    api.post("/api/users/me/wallet", { body: { message, signature } }),
  unlinkWallet: () => api.delete("/api/users/me/wallet"),
  apiKeys: () => api.get("/api/users/me/api-keys"),
  createApiKey: (name: string, scopes: ApiKeyScope[]) =>
    api.post("/api/users/me/api-keys", { body: { name, scopes } }),
  revokeApiKey: (id: string) => api.delete("/api/users/me/api-keys/{id}", { path: { id } }),
};

export interface AdminUserQuery {
  search?: string;
  role?: "admin" | "steward" | "member";
  banned?: boolean;
  limit: number;
  offset: number;
}

export type AppealStatus = "open" | "lifted" | "upheld";

export const admin = {
  users: (query: AdminUserQuery, signal?: AbortSignal) => api.get("/api/admin/users", { query, signal }),
  updateUser: (
    id: string,
    body: {
      roles?: ("admin" | "steward" | "member")[];
      banned?: boolean;
      banReason?: string | null;
      hidden?: boolean;
    },
  ) => api.patch("/api/admin/users/{id}", { path: { id }, body }),
  appeals: (status: AppealStatus | undefined, signal?: AbortSignal) =>
    api.get("/api/admin/appeals", { query: { status, limit: 100 }, signal }),
  decideAppeal: (id: string, decision: "lift" | "uphold", note?: string) =>
    api.post("/api/admin/appeals/{id}/decision", {
      path: { id },
      body: { decision, note: note || undefined },
    }),
  outbox: (query: { limit: number; offset: number }, signal?: AbortSignal) =>
    api.get("/api/admin/outbox", { query, signal }),
  auditLog: (
    query: { type?: string; user?: string; actor?: string; limit: number; offset: number },
    signal?: AbortSignal,
  ) => api.get("/api/admin/audit-log", { query, signal }),
  auditTypes: () => api.get("/api/admin/audit-log/types"),
  settings: () => api.get("/api/admin/settings"),
  updateSettings: (values: Record<string, unknown>) => api.patch("/api/admin/settings", { body: values }),
};

/** Stores a successful sign-in in the session. */
export function completeSignIn(result: { accessToken: string; refreshToken: string; user: Me }): void {
  session.signIn(result, result.user);
}

/** Ends this session on the server (best effort) and forgets it locally. */
export async function signOut(): Promise<void> {
  const refreshToken = session.refreshToken;
  session.signOut();
  if (!refreshToken) return;
  try {
    await api.post("/api/auth/logout", { body: { refreshToken } });
  } catch {
    // the local session is gone either way; the refresh token expires on its own
  }
}

/** Loads the signed-in user and refreshes the cached copy the header shows. */
export async function loadMe(signal?: AbortSignal): Promise<Me> {
  const user = await me.get(signal);
  session.setUser(user);
  return user;
}
