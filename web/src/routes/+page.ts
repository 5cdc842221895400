// Emit build/index.html so `/` is a plain static file (the shell; data loads in the browser).
export const prerender = true;
