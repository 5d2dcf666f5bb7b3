// The Content-Security-Policy of the served index.html. No inline script and no inline <style>: Vue and uPlot
// set styles through the CSSOM (element.style), which CSP does not restrict, and Vite emits CSS as files.
export function serveCsp(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
