/**
 * The demo's stylesheet: system fonts, one accent colour, cards that fit a phone and a desktop.
 * Inlined in each page (a few kilobytes), so the demo serves no static files.
 *
 * @module
 */

export const STYLES = `
:root {
  --text: #1c2430; --muted: #5b6675; --line: #e3e7ee; --page: #f4f6fa; --card: #fff;
  --accent: #3056d3; --accent-dark: #2445b0; --danger: #c23a3a; --ok-bg: #e9f7ef; --ok-text: #1d6b3f;
  --error-bg: #fdeceb; --error-text: #a12c2c; --radius: 12px;
  color-scheme: light;
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--page); color: var(--text);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font: 0.9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eef1f6; padding: 0.1em 0.35em; border-radius: 4px; }

.bar { background: var(--card); border-bottom: 1px solid var(--line); }
.bar-inner { max-width: 760px; margin: 0 auto; padding: 0.75rem 1.25rem; display: flex; align-items: center; gap: 1rem; flex-wrap: wrap; }
.brand { font-weight: 700; color: var(--text); letter-spacing: -0.01em; }
.brand span { color: var(--accent); font-weight: 600; }
.bar nav { margin-left: auto; display: flex; align-items: center; gap: 1.1rem; }
.bar nav a { color: var(--muted); font-weight: 500; }
.bar nav a[aria-current="page"] { color: var(--text); }
.bar nav form { margin: 0; }

main { max-width: 760px; margin: 2.5rem auto; padding: 0 1.25rem; }
main.narrow { max-width: 420px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 2rem; box-shadow: 0 1px 2px rgb(16 24 40 / 0.04), 0 4px 16px rgb(16 24 40 / 0.04); }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 0.35rem; letter-spacing: -0.02em; }
.lead { color: var(--muted); margin: 0 0 1.5rem; }
.lead strong { color: var(--text); }

.notice { border-radius: 8px; padding: 0.7rem 0.9rem; margin: 0 0 1.25rem; font-weight: 500; }
.notice.ok { background: var(--ok-bg); color: var(--ok-text); }
.notice.error { background: var(--error-bg); color: var(--error-text); }

label { display: block; font-weight: 600; font-size: 0.95rem; margin: 0 0 0.35rem; }
.field { margin: 0 0 1.1rem; }
input[type="text"], input[type="password"] {
  width: 100%; font: inherit; padding: 0.6rem 0.75rem; border: 1px solid #cfd6e1; border-radius: 8px; background: #fff; color: var(--text);
}
input:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid rgb(48 86 211 / 0.35); outline-offset: 1px; }
.check { display: flex; gap: 0.6rem; align-items: flex-start; font-weight: 400; margin: 0 0 1.4rem; }
.check input { width: 1.1rem; height: 1.1rem; margin: 0.2rem 0 0; accent-color: var(--accent); }
.check small { display: block; color: var(--muted); font-size: 0.85rem; }

button { font: inherit; font-weight: 600; cursor: pointer; border-radius: 8px; padding: 0.6rem 1.1rem; border: 1px solid transparent; }
.primary { background: var(--accent); color: #fff; width: 100%; }
.primary:hover { background: var(--accent-dark); }
.secondary { background: #fff; color: var(--text); border-color: #cfd6e1; padding: 0.4rem 0.85rem; font-size: 0.9rem; }
.secondary:hover { border-color: var(--muted); }
.danger { background: #fff; color: var(--danger); border-color: #e7b4b4; }
.danger:hover { background: var(--error-bg); }
.link { background: none; border: 0; padding: 0; color: var(--muted); font-weight: 500; }
.link:hover { color: var(--text); text-decoration: underline; }
.hint { color: var(--muted); font-size: 0.9rem; margin: 1.25rem 0 0; text-align: center; }

.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 1rem; margin: 1.5rem 0; }
.stat { border: 1px solid var(--line); border-radius: 10px; padding: 1rem 1.1rem; }
.stat b { display: block; font-size: 1.8rem; line-height: 1.2; }
.stat span { color: var(--muted); font-size: 0.9rem; }

.devices { list-style: none; margin: 0 0 1.5rem; padding: 0; border: 1px solid var(--line); border-radius: 10px; }
.device { display: flex; align-items: center; gap: 1rem; padding: 1rem 1.1rem; }
.device + .device { border-top: 1px solid var(--line); }
.device .icon { flex: none; width: 2.5rem; height: 2.5rem; border-radius: 10px; background: #eef2fb; color: var(--accent); display: grid; place-items: center; }
.device .icon svg { width: 1.4rem; height: 1.4rem; }
.device .about { flex: 1; min-width: 0; }
.device .name { margin: 0; font-weight: 600; }
.device .meta { margin: 0.1rem 0 0; color: var(--muted); font-size: 0.9rem; }
.device form { margin: 0; }
.badge { flex: none; background: var(--ok-bg); color: var(--ok-text); font-size: 0.8rem; font-weight: 600; padding: 0.2rem 0.6rem; border-radius: 999px; }
.actions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; }
.muted { color: var(--muted); }

@media (max-width: 540px) {
  main { margin: 1.25rem auto; }
  .card { padding: 1.25rem; }
  .bar nav { gap: 0.9rem; }
  /* The button or badge goes under the text, lined up with it, instead of squeezing it. */
  .device { flex-wrap: wrap; align-items: flex-start; }
  .device .about { flex: 1 1 calc(100% - 3.5rem); }
  .device form, .device .badge { margin-left: 3.5rem; }
}
`;
