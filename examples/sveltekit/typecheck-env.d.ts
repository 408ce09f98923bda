// Only for the repository's type check: in an app, `svelte-kit sync` declares this module.
declare module "$env/dynamic/private" {
  export const env: Record<string, string | undefined>;
}
