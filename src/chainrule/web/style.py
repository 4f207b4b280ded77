"""The page's one stylesheet, inlined into every page (no static files, no build step).

Plain CSS: a single column on a phone, input beside report on a wide screen; the verdict is
told by a mark, a word and a colour, never by colour alone; math scrolls sideways instead of
overflowing a narrow screen. ``REPORT_CSS`` covers only the report and derivation fragments,
so a notebook can use it too.
"""

from __future__ import annotations

REPORT_CSS = """
.chainrule-report, .chainrule-derivation { line-height: 1.5; overflow-wrap: anywhere; }
.chainrule-report ol.steps, .chainrule-derivation ul.formulas {
  list-style: none; padding: 0; margin: 0;
}
.chainrule-report li.step, .chainrule-derivation li.formula {
  border: 1px solid var(--line, #d0d7de); border-left: 6px solid var(--c, #8c959f);
  border-radius: 6px; padding: .6rem .8rem; margin: 0 0 .7rem; background: var(--card, #fff);
}
.chainrule-report li.correct, .chainrule-derivation li.correct { --c: #1a7f37; }
.chainrule-report li.incorrect, .chainrule-derivation li.incorrect { --c: #cf222e; }
.chainrule-report li.unparsed, .chainrule-report li.unverifiable,
.chainrule-derivation li.unverifiable { --c: #9a6700; }
.chainrule-report .mark, .chainrule-derivation .mark {
  display: inline-block; min-width: 1.6em; text-align: center; font-weight: 700;
  color: #fff; background: var(--c); border-radius: 4px; margin-right: .3rem;
}
.chainrule-report .line { color: var(--muted, #57606a); font-size: .9em; margin-right: .4rem; }
.chainrule-report .verdict, .chainrule-derivation .verdict {
  display: block; font-size: .9em; font-weight: 600; color: var(--c);
}
.chainrule-report .math, .chainrule-report .fix, .chainrule-report .expected,
.chainrule-report .next li, .chainrule-derivation .form {
  display: block; overflow-x: auto; overflow-y: hidden; padding: .25rem 0;
}
.chainrule-report math, .chainrule-derivation math {
  font-family: "STIX Two Math", "Latin Modern Math", "Cambria Math", math; font-size: 1.25em;
}
/* Block math is centred by default; in a card it reads better flush left. */
.chainrule-report math[display="block"], .chainrule-derivation math[display="block"] {
  display: math; math-style: normal;
}
.chainrule-report code { white-space: pre-wrap; overflow-wrap: anywhere; }
.chainrule-report .why, .chainrule-report .diag { margin: .4rem 0 .1rem; }
.chainrule-report .kind {
  font-family: ui-monospace, monospace; font-size: .85em; padding: 0 .3em;
  border-radius: 3px; background: var(--code, #eff1f3);
}
.chainrule-report .fix, .chainrule-report .expected {
  background: var(--code, #f6f8fa); border-radius: 4px; padding: .3rem .5rem; margin-top: .3rem;
}
.chainrule-report .summary { font-weight: 600; }
.chainrule-report ul.next { list-style: none; padding-left: .2rem; }
.chainrule-report ul.next li { margin-bottom: .6rem; }
.chainrule-report .matrix math { math-style: normal; }
.chainrule-derivation .why { margin: .4rem 0 0; }
.chainrule-report h3, .chainrule-derivation h3 { margin: 1.2rem 0 .4rem; font-size: 1.05rem; }
"""

PAGE_CSS = """
:root {
  color-scheme: light dark; --fg: #1f2328; --bg: #f6f8fa; --card: #fff; --line: #d0d7de;
  --muted: #57606a; --code: #eff1f3; --accent: #0969da;
}
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --card: #161b22; --line: #30363d; --muted: #9198a1;
          --code: #21262d; --accent: #4493f8; }
}
* { box-sizing: border-box; }
body {
  margin: 0; color: var(--fg); background: var(--bg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
}
header, main, footer { max-width: 1400px; margin: 0 auto; padding: 0 1rem; }
header {
  display: flex; flex-wrap: wrap; align-items: baseline; gap: .2rem 1.2rem; padding-top: .8rem;
}
header h1 { margin: 0; font-size: 1.5rem; }
header p { margin: 0; color: var(--muted); flex: 1 1 20rem; }
nav a { margin-right: .8rem; color: var(--accent); }
a:focus-visible, button:focus-visible, textarea:focus-visible, input:focus-visible,
select:focus-visible, summary:focus-visible {
  outline: 3px solid var(--accent); outline-offset: 2px;
}
main {
  display: grid; grid-template-columns: minmax(0, 1fr); gap: 1rem;
  padding-top: 1rem; padding-bottom: 1rem;
}
@media (min-width: 1000px) {
  main.two { grid-template-columns: minmax(0, 5fr) minmax(0, 7fr); align-items: start; }
  main.two form { position: sticky; top: 1rem; }
}
.panel {
  background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem;
}
h2 { margin: 0 0 .6rem; font-size: 1.2rem; }
label { display: block; font-weight: 600; margin: .6rem 0 .25rem; }
.hint { font-weight: 400; color: var(--muted); }
textarea, input, select {
  width: 100%; font: inherit; color: inherit; background: var(--bg);
  border: 1px solid var(--line); border-radius: 6px; padding: .5rem;
}
textarea {
  min-height: 22rem; height: 60vh; resize: vertical;
  font: 13px/1.45 ui-monospace, "DejaVu Sans Mono", monospace;
}
details { margin-top: .6rem; }
summary { cursor: pointer; font-weight: 600; }
.row { display: grid; gap: 0 .8rem; }
@media (min-width: 600px) { .row { grid-template-columns: 3fr 1fr; } }
button {
  margin-top: .8rem; font: inherit; font-weight: 600; color: #fff; background: #1f883d;
  border: 0; border-radius: 6px; padding: .55rem 1.6rem; cursor: pointer;
}
button:hover { background: #1a7f37; }
.error {
  border: 1px solid #cf222e; border-left-width: 6px; border-radius: 6px; padding: .6rem .8rem;
  white-space: pre-wrap; background: var(--card);
}
.badge { font-weight: 600; margin: 0 0 .8rem; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em; }
footer { color: var(--muted); font-size: .9rem; padding-bottom: 2rem; }
table { border-collapse: collapse; width: 100%; }
th, td {
  text-align: left; border-bottom: 1px solid var(--line); padding: .3rem .5rem; vertical-align: top;
}
pre { overflow-x: auto; background: var(--code); padding: .6rem; border-radius: 6px; }
"""
