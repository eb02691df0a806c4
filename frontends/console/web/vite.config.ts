/// <reference types="vitest" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The app is embedded in the maxiofs binary: hashed file names under /assets/ (cached for a
// year by the server), no source maps in the bundle, no inline scripts (strict CSP).
export default defineConfig({
  plugins: [react()],
  build: {
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    modulePreload: { polyfill: false },
  },
  server: {
    // `npm run dev` against a running maxiofs console on :8081.
    proxy: { '/api': 'http://127.0.0.1:8081' },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
  },
});
