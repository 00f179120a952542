import { defineConfig } from "vitest/config";

// The Django templates load /static/app/main.js and /static/app/main.css by fixed names, so the
// build writes exactly those two files and no hashed chunks.
export default defineConfig({
  build: {
    outDir: "../static/app",
    emptyOutDir: true,
    cssCodeSplit: false,
    modulePreload: false,
    sourcemap: false,
    rollupOptions: {
      // badge.js: the header's approvals count on every page, Django's pages included.
      input: { main: "src/main.tsx", badge: "src/badge.ts" },
      preserveEntrySignatures: false,
      onwarn(warning, warn) {
        // React Flow marks itself "use client" for server-component bundlers; meaningless here.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
      output: {
        format: "es",
        entryFileNames: "[name].js",
        chunkFileNames: "main-[name].js",
        assetFileNames: (asset) =>
          (asset.names ?? []).some((name) => name.endsWith(".css"))
            ? "main.css"
            : "[name][extname]",
      },
    },
  },
  // `npm run dev` serves src/ with hot reload and passes the API and WebSocket through to a
  // `make run` server (cookies are per host, not per port, so its login carries over).
  server: {
    proxy: {
      "/api": "http://127.0.0.1:8000",
      "/accounts": "http://127.0.0.1:8000",
      "/ws": { target: "ws://127.0.0.1:8000", ws: true },
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
