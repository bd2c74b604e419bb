// Vite builds the monitor page (`npm run build:monitor` -> dist/monitor, served by the gateway at /monitor).
// `npx vite monitor` serves it for development, with /graphql proxied to a gateway on :4000.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/monitor/',
  // React's JSX through Vite's built-in esbuild: no plugin needed.
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: '../dist/monitor',
    emptyOutDir: true,
    target: 'es2022',
    // Every browser that runs ES2022 preloads modules itself.
    modulePreload: { polyfill: false },
    // No data: URIs: the page's Content-Security-Policy allows files of its own origin only.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/graphql': { target: 'http://localhost:4000', ws: true } },
  },
});
