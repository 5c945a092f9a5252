import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";

// Tauri serves the built files; the dev server is only for `npm run dev`.
export default defineConfig({
  // svelteTesting: components mount as in the browser under Vitest (component tests).
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    // Every script ASCII, its other characters escaped: WebKit keeps an ASCII script as the
    // bytes it loaded, and any other as a second, decoded copy of two bytes a character.
    rolldownOptions: {
      output: { charset: "ascii" },
      // A package missing from node_modules is an error, not an import left for the page to
      // fail on (the trend's plot once shipped importing "layercake" by name).
      onwarn(warning, warn) {
        if (warning.code === "UNRESOLVED_IMPORT") throw new Error(warning.message);
        warn(warning);
      },
    },
  },
  test: { environment: "jsdom", include: ["src/**/*.test.ts"] },
});
