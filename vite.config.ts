// The renderer build: renderer/ → out/renderer/, loaded by `flumen serve` over HTTP and by Electron from file://.
// base './' keeps asset URLs relative so both work; Vite emits only external module scripts (no inline script),
// so a Content-Security-Policy of `script-src 'self'` holds.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    // The module preload polyfill is an inline script; Chromium and Electron support modulepreload natively.
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: true,
    // The timing report is noise on `flumen serve`'s terminal (it builds the renderer on first run).
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
