// The signed-in session: access + refresh token and a cached copy of the user, persisted in localStorage.
// Sign-in pages call signIn; the API client swaps tokens after a refresh and signs out when that fails.

const STORAGE_KEY = "merit.session";

/** What the header and guards need to know about the signed-in user (a subset of GET /api/users/me). */
export interface SessionUser {
  id: string;
  username: string;
  displayName?: string | null;
  roles: string[];
}

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
}

interface Stored extends SessionTokens {
  user: SessionUser | null;
}

function parseStored(text: string | null): Stored | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Stored>;
    if (typeof value.accessToken !== "string" || typeof value.refreshToken !== "string") return null;
    return { accessToken: value.accessToken, refreshToken: value.refreshToken, user: value.user ?? null };
  } catch {
    return null;
  }
}

function readStored(): Stored | null {
  try {
    return typeof localStorage === "undefined" ? null : parseStored(localStorage.getItem(STORAGE_KEY));
  } catch {
    return null;
  }
}

const initial = readStored();

class SessionStore {
  accessToken = $state<string | null>(initial?.accessToken ?? null);
  refreshToken = $state<string | null>(initial?.refreshToken ?? null);
  user = $state<SessionUser | null>(initial?.user ?? null);
  isSignedIn = $derived(this.accessToken !== null);
  isAdmin = $derived(this.user?.roles.includes("admin") ?? false);
  /** Admins and stewards (reviewers): both may open /admin. */
  isStaff = $derived(this.user?.roles.some((r) => r === "admin" || r === "steward") ?? false);

  constructor() {
    // Keep tabs in sync: signing in or out in one tab does the same in the others.
    if (typeof window !== "undefined") {
      window.addEventListener("storage", (event) => {
        if (event.key !== STORAGE_KEY) return;
        const stored = parseStored(event.newValue);
        this.accessToken = stored?.accessToken ?? null;
        this.refreshToken = stored?.refreshToken ?? null;
        this.user = stored?.user ?? null;
      });
    }
  }

  /** Stores the tokens (and user) returned by a successful sign-in. */
  signIn(tokens: SessionTokens, user: SessionUser | null = null): void {
    this.accessToken = tokens.accessToken;
    this.refreshToken = tokens.refreshToken;
    this.user = user;
    this.persist();
  }

  /** Replaces the token pair after a refresh, keeping the user. */
  setTokens(tokens: SessionTokens): void {
    this.accessToken = tokens.accessToken;
    this.refreshToken = tokens.refreshToken;
    this.persist();
  }

  /**
   * Takes the token pair another tab stored since this tab last looked (the storage event that tells
   * may not have arrived yet). True when the stored refresh token differs from `than`, which defaults
   * to this tab's.
   */
  adoptStoredTokens(than: string | null = this.refreshToken): boolean {
    const stored = readStored();
    if (!stored || stored.refreshToken === than) return false;
    this.accessToken = stored.accessToken;
    this.refreshToken = stored.refreshToken;
    this.user = stored.user ?? this.user;
    return true;
  }

  /** Updates the cached user (after GET /api/users/me or a profile change). */
  setUser(user: SessionUser): void {
    if (!this.accessToken) return;
    this.user = { id: user.id, username: user.username, displayName: user.displayName, roles: user.roles };
    this.persist();
  }

  /** Forgets the tokens and the user. */
  signOut(): void {
    this.accessToken = null;
    this.refreshToken = null;
    this.user = null;
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch {
      // nothing stored
    }
  }

  private persist(): void {
    if (!this.accessToken || !this.refreshToken) return;
    const stored: Stored = {
      accessToken: this.accessToken,
      refreshToken: this.refreshToken,
      user: this.user,
    };
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
    } catch {
      // storage blocked: the session lasts for this page only
    }
  }
}

export const session = new SessionStore();
