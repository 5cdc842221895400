// Runs before first paint: applies the remembered theme, else the system preference (no flash).
(() => {
  let theme = null;
  try {
    theme = localStorage.getItem("merit.theme");
  } catch {
    // storage blocked: fall back to the system preference
  }
  if (theme !== "light" && theme !== "dark") {
    theme = window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  document.documentElement.dataset.theme = theme;
})();
