// Light/dark theme. static/theme-init.js applies the initial value before first paint;
// this store keeps it in sync afterwards and remembers an explicit choice.

export type Theme = "light" | "dark";

const STORAGE_KEY = "merit.theme";

function readStoredTheme(): Theme | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === "light" || value === "dark" ? value : null;
  } catch {
    return null;
  }
}

function systemTheme(): Theme {
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

class ThemeStore {
  current = $state<Theme>("light");
  /** True once the user picked a theme; until then the system preference is followed. */
  isExplicit = $state(false);

  /** Reads the persisted choice (or system preference) and follows system changes; call once on mount. */
  init(): () => void {
    const stored = readStoredTheme();
    this.isExplicit = stored !== null;
    this.apply(stored ?? systemTheme());
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => {
      if (!this.isExplicit) this.apply(systemTheme());
    };
    media.addEventListener("change", onChange);
    return () => media.removeEventListener("change", onChange);
  }

  /** Switches between light and dark and remembers the choice. */
  toggle(): void {
    this.set(this.current === "dark" ? "light" : "dark");
  }

  /** Sets and remembers a theme. */
  set(theme: Theme): void {
    this.isExplicit = true;
    try {
      localStorage.setItem(STORAGE_KEY, theme);
    } catch {
      // storage blocked: the choice lasts for this page only
    }
    this.apply(theme);
  }

  private apply(theme: Theme): void {
    this.current = theme;
    document.documentElement.dataset.theme = theme;
  }
}

export const theme = new ThemeStore();
