// The SvelteKit app of test/sveltekit.test.ts, built with adapter-node. The test points the build
// outputs at a temporary folder, so the repository stays clean.
import adapter from "@sveltejs/adapter-node";

/** @type {import("@sveltejs/kit").Config} */
export default {
  kit: {
    adapter: adapter({ out: process.env.SVELTEKIT_OUT ?? "build" }),
    outDir: process.env.SVELTEKIT_OUT_DIR ?? ".svelte-kit",
  },
};
