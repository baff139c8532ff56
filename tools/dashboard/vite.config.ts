import { defineConfig } from 'vite';

// Relative asset paths: the built site works under any base path (EdgeKv's host at /, or a static web app).
export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/api': 'http://localhost:7071', '/runtime': 'http://localhost:7071', '/local': 'http://localhost:7071', '/config.json': 'http://localhost:7071' } },
});
