// Vite config for the analyst's workbench (web/). `npm run build:web` writes dist/web, which
// `sitrep serve` serves at `/`. `npx vite --config web/vite.config.ts` runs a dev server: with
// SITREP_API=http://127.0.0.1:8123 it proxies /api to a running `sitrep serve`; without it, /api is
// answered by the in-memory mock in web/dev-fixtures (invented reports only).
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

function mockApi(): Plugin {
  return {
    name: 'sitrep-mock-api',
    apply: 'serve',
    async configureServer(server) {
      const { createMockApi } = await import('./dev-fixtures/mock-api.js');
      const api = createMockApi({ events: Number(process.env['SITREP_MOCK_EVENTS'] ?? 0) });
      server.middlewares.use((req, res, next) => {
        if (!api.handle(req, res)) next();
      });
    },
  };
}

const upstream = process.env['SITREP_API'];

export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: false,
  clearScreen: false,
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    // maplibre-gl alone is ~1 MB minified; one chunk is fine for a local tool.
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
  plugins: upstream ? [] : [mockApi()],
  server: upstream ? { proxy: { '/api': { target: upstream, changeOrigin: true } } } : {},
});
