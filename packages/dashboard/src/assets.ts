/**
 * The dashboard's only static files: one stylesheet and one small script,
 * served from the handler itself (no build step, no CDN, nothing inline, so
 * the Content-Security-Policy can forbid inline code entirely).
 *
 * @module
 */

/**
 * `assets/dashboard.css`.
 *
 * @example
 * ```ts
 * res.end(DASHBOARD_CSS);
 * ```
 */
export const DASHBOARD_CSS = `
:root { --fg: #1d2330; --muted: #667085; --line: #e4e7ec; --bg: #f7f8fa; --accent: #3456d1;
  --waiting: #7a5af8; --ready: #16a34a; --warn: #b54708; --danger: #c0262d; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg); }
header { display: flex; gap: 1.5rem; align-items: center; padding: .7rem 1.5rem;
  background: #111827; color: #fff; }
header a { color: #d0d5dd; text-decoration: none; }
header a.active, header a:hover { color: #fff; }
header .brand { font-weight: 700; color: #fff; margin-right: .5rem; }
header .mode { margin-left: auto; font-size: 12px; padding: .15rem .5rem; border-radius: 999px;
  background: #344054; }
main { max-width: 1180px; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }
h1 { font-size: 1.35rem; margin: .2rem 0 1rem; word-break: break-all; }
h2 { font-size: 1.05rem; margin: 1.6rem 0 .6rem; }
a { color: var(--accent); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: .8rem; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 1.6rem; font-weight: 650; }
.card a { text-decoration: none; color: inherit; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line);
  border-radius: 8px; overflow: hidden; }
th, td { text-align: left; padding: .45rem .7rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f2f4f7; font-weight: 600; font-size: 12px; color: #475467; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.key { word-break: break-all; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
.state { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: 12px;
  font-weight: 600; color: #fff; }
.state-waiting { background: var(--waiting); }
.state-ready { background: var(--ready); }
.state-absent { background: var(--muted); }
.muted { color: var(--muted); }
.late { color: var(--warn); font-weight: 600; }
.tag { font-size: 11px; font-weight: 700; text-transform: uppercase; color: var(--warn); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1.2rem;
  background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .9rem 1.1rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
details.value summary { cursor: pointer; }
details.value code { font-size: 12.5px; }
pre { margin: .4rem 0 0; padding: .6rem .8rem; background: #f2f4f7; border-radius: 6px;
  max-height: 24rem; overflow: auto; white-space: pre-wrap; word-break: break-all; font-size: 12.5px; }
form.inline { display: inline; }
.filters { display: flex; gap: .6rem; flex-wrap: wrap; align-items: end; margin-bottom: .8rem; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: .2rem; }
input, select, button, .button { font: inherit; padding: .35rem .6rem; border: 1px solid #d0d5dd;
  border-radius: 6px; background: #fff; color: var(--fg); }
button, .button { cursor: pointer; text-decoration: none; display: inline-block; }
button.primary, .button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.danger, .button.danger { background: var(--danger); border-color: var(--danger); color: #fff; }
.actions { display: flex; gap: .6rem; flex-wrap: wrap; margin: 1rem 0; }
.pager { display: flex; gap: .8rem; align-items: center; margin-top: .8rem; }
.notice { padding: .6rem .9rem; border-radius: 6px; background: #ecfdf3; border: 1px solid #abefc6; margin-bottom: 1rem; }
.notice.error { background: #fef3f2; border-color: #fecdca; }
.confirm { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.2rem; max-width: 640px; }
`;

/**
 * `assets/dashboard.js`: progressive enhancement only — relative times
 * ("in 4m 12s") keep counting while the page is open. Without JavaScript
 * they show the time of rendering.
 *
 * @example
 * ```ts
 * res.end(DASHBOARD_JS);
 * ```
 */
export const DASHBOARD_JS = `
(() => {
  const units = [['d', 86400000], ['h', 3600000], ['m', 60000], ['s', 1000]];
  const duration = (ms) => {
    let rest = Math.floor(Math.abs(ms));
    if (rest < 1000) return rest + 'ms';
    const parts = [];
    for (const [name, size] of units) {
      const count = Math.floor(rest / size);
      rest -= count * size;
      if (parts.length === 0 && count === 0) continue;
      parts.push(count > 0 ? count + name : '');
      if (parts.length === 2) break;
    }
    return parts.filter(Boolean).join(' ');
  };
  const rendered = Number(document.body.dataset.now);
  const offset = Number.isFinite(rendered) ? rendered - Date.now() : 0;
  const tick = () => {
    const now = Date.now() + offset;
    for (const el of document.querySelectorAll('time[data-at]')) {
      const delta = Number(el.dataset.at) - now;
      el.textContent = Math.abs(delta) < 1000 ? 'now' : delta > 0 ? 'in ' + duration(delta) : duration(delta) + ' ago';
    }
  };
  setInterval(tick, 1000);
})();
`;
