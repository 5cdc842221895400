// The signed-in session: just the bearer token for now, persisted in localStorage.
// The accounts feature fills it (signIn after login, signOut on logout or 401).

const STORAGE_KEY = "merit.session.token";

function readToken(): string | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

class SessionStore {
  token = $state<string | null>(readToken());
  isSignedIn = $derived(this.token !== null);

  constructor() {
    // Keep tabs in sync: signing out in one tab signs out the others.
    if (typeof window !== "undefined") {
      window.addEventListener("storage", (event) => {
        if (event.key === STORAGE_KEY) this.token = event.newValue;
      });
    }
  }

  /** Stores the token returned by a successful sign-in. */
  signIn(token: string): void {
    this.token = token;
    try {
      localStorage.setItem(STORAGE_KEY, token);
    } catch {
      // storage blocked: the session lasts for this page only
    }
  }

  /** Forgets the token. */
  signOut(): void {
    this.token = null;
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch {
      // nothing stored
    }
  }
}

export const session = new SessionStore();
