// Two pages: index.html is the React users page of the time-to-first-rows benchmark,
// engine.html hosts TanStack's side of the engine benchmark (Userdeck's wasm is loaded next to
// it at run time).
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        engine: resolve(import.meta.dirname, 'engine.html'),
      },
    },
  },
});
