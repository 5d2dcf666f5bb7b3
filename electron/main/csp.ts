// The desktop app's Content-Security-Policy: the page talks to the engine over IPC only, so it may connect
// nowhere. The same policy is in renderer/index.html as a <meta> (file:// responses carry no headers).
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
