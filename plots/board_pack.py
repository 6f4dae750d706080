"""Board pack: charts, a self-contained HTML page and a PDF from one dasim results file.

    python3 plots/board_pack.py results/demo.h5 [--out DIR] [--no-pdf]

Writes DIR/board-pack.html (CSS inline, charts embedded), DIR/board-pack.pdf (the page printed by headless
Chromium) and DIR/charts/*.png|svg; DIR defaults to RESULTS without .h5, plus "-board-pack".
Exit status: 0 written; 1 the PDF could not be made (the HTML is there) or an internal error; 2 the results file
cannot be used (newer format, truncated, incomplete run), with a one-line message.
"""
from __future__ import annotations

import argparse
import base64
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile

import dasim_results as dr
import charts as ch
from wording import (ci_range, ci_text, has_spread, number, sentence_start, service_label, service_phrase,
                     significant, with_ci)

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def find_chromium():
    for name in (os.environ.get("DASIM_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def chromium(args, timeout=180):
    """Runs headless Chromium with a throw-away profile; returns (ok, message)."""
    exe = find_chromium()
    if exe is None:
        return False, "chromium not found (apt-get install chromium)"
    with tempfile.TemporaryDirectory(prefix="dasim-chromium-") as profile:
        cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return False, f"chromium did not finish within {timeout} s"
    if p.returncode != 0:
        return False, f"chromium failed ({p.returncode}): {p.stderr.strip().splitlines()[-1:]}"
    return True, ""


# ------------------------------------------------------------------------------------------ words from numbers

def wait_headline(res, n, services):
    """(service, baseline stat, option stat, difference) of the median wait that changes most (in days, so a
    large share of a tiny wait does not lead), or None."""
    best = None
    for s in services:
        d = dr.diff(res, n, s, "wait_p50")
        b = dr.stat(res, res.baseline, s, "wait_p50")
        if d is None or b is None or not significant(d) or not b["mean"]:
            continue
        if best is None or abs(d["mean"]) > abs(best[3]["mean"]):     # the most days gained or lost
            best = (s, b, dr.stat(res, n, s, "wait_p50"), d)
    return best


def summary_paragraph(res):
    services = ch.active_services(res)
    base = ch.phrase(res, res.baseline)
    cost = {n: dr.stat(res, n, "(total)", "service_cost") for n in res.names}
    if not res.others:
        gave_up = dr.system_stat(res, res.baseline, "disengaged")
        declined = dr.system_stat(res, res.baseline, "declined")
        waits = [(dr.stat(res, res.baseline, s, "wait_p50"), s) for s in services]
        waits = [w for w in waits if w[0] is not None]
        text = f"This run has one option, {base}, so it compares nothing: the comparison charts are left out."
        if cost[res.baseline]:
            text += f" Under it the funders pay {with_ci(cost[res.baseline], 'money')} a year."
        if waits:
            s, service = max(waits, key=lambda w: w[0]["mean"])
            text += (f" The longest median wait is for {service_phrase(service)}: "
                     f"{with_ci(s, 'days')}.")
        return (f"{text} Across all services {with_ci(gave_up, 'people')} people a year give up while waiting "
                f"and {with_ci(declined, 'people')} are declined. {_method(res)}")
    sentences = []
    for n in res.others:
        parts = [f"{sentence_start(ch.phrase(res, n))}, against {base},"]
        h = wait_headline(res, n, services)
        if h:
            s, b, o, d = h
            fall = d["mean"] < 0
            parts.append(f"{'reduces' if fall else 'increases'} the median wait for "
                         f"{service_phrase(s)} from {number(b['mean'], 'days')} to "
                         f"{number(o['mean'], 'days')} days ({number(abs(d['mean']), 'days')} days "
                         f"{'less' if fall else 'more'}" + (f", 95% CI {ci_range(d, 'days', flip=fall)})"
                                                            if has_spread(d) else ")"))
        else:
            parts.append("makes no clear difference to any service's median wait")
        dc = dr.diff(res, n, "(total)", "service_cost")
        if dc is not None and cost[res.baseline] and cost[res.baseline]["mean"]:
            pct = 100 * dc["mean"] / cost[res.baseline]["mean"]
            if abs(pct) >= 0.05:
                word = "lower" if dc["mean"] < 0 else "higher"
                parts.append(f"at {abs(pct):.1f}% {word} cost to the funders ({number(abs(dc['mean']), 'money')} a "
                             f"year {'less' if dc['mean'] < 0 else 'more'})")
            else:
                parts.append("at the same cost to the funders")
        text = " ".join(parts) + "."
        gave_up = dr.system_difference(res, n, "disengaged")
        if significant(gave_up):
            text += (f" {sentence_start(number(abs(gave_up['mean']), 'people'))} "
                     f"{'fewer' if gave_up['mean'] < 0 else 'more'} people a year give up while waiting "
                     f"{ci_text(gave_up, 'people', flip=gave_up['mean'] < 0)}.")
        cash = dr.diff(res, n, "(total)", "cashable_cost_avoided")
        ret = dr.diff(res, n, "(total)", "return_per_pound")
        if cash is not None and significant(cash):
            text += (f" It {'avoids' if cash['mean'] >= 0 else 'adds'} {number(abs(cash['mean']), 'money')} a year "
                     f"of cashable outcome costs {ci_text(cash, 'money', flip=cash['mean'] < 0)}")
            text += (f", and each £1 it costs avoids {with_ci(ret, 'ratio')} of all outcome costs."
                     if ret is not None else ".")
        elif cash is not None:
            text += " It makes no clear difference to cashable outcome costs."
        sentences.append(text)
    return " ".join(sentences) + " " + _method(res)


def _method(res):
    if res.replications < 2:
        return ("This run has one replication, so there are no confidence intervals and no difference can be "
                "called clear: run more replications before drawing conclusions.")
    return (f"Figures are means over {res.replications} replications with 95% confidence intervals; differences "
            f"between options are paired on common random numbers.")


def key_measures(res):
    """Rows of (measure, {scenario: (value text, difference text)}) for the table of key measures."""
    rows = []

    def cell(n, stat, d, kind, diff_kind=None):
        k = diff_kind or kind
        text = "" if n == res.baseline or d is None else \
            f"{'+' if d['mean'] > 0 else ''}{number(d['mean'], k)}{' pp' if k == 'pp' else ''} {ci_text(d, k)}"
        return with_ci(stat, kind), text.strip()

    for s in ch.active_services(res):
        label = service_label(s, start=True)
        rows.append((f"{label}: median wait (days)",
                     {n: cell(n, dr.stat(res, n, s, "wait_p50"), dr.diff(res, n, s, "wait_p50"), "days")
                      for n in res.names}))
        rows.append((f"{label}: 90th-percentile wait (days)",
                     {n: cell(n, dr.stat(res, n, s, "wait_p90"), dr.diff(res, n, s, "wait_p90"), "days")
                      for n in res.names}))
        rows.append((f"{label}: started within target",
                     {n: cell(n, dr.stat(res, n, s, "within_target"), dr.diff(res, n, s, "within_target"),
                              "share", "pp") for n in res.names}))
    for m, label in (("disengaged", "All services: gave up while waiting (people a year)"),
                     ("declined", "All services: declined (people a year)")):
        rows.append((label, {n: cell(n, dr.system_stat(res, n, m), dr.system_difference(res, n, m),
                                     "people") for n in res.names}))
    for m, label in (("service_cost", "Service cost (£ a year)"),
                     ("cashable_outcome_cost", "Cashable outcome costs (£ a year)"),
                     ("societal_outcome_cost", "Societal outcome costs (£ a year)")):
        rows.append((label, {n: cell(n, dr.stat(res, n, "(total)", m), dr.diff(res, n, "(total)", m), "money")
                             for n in res.names}))
    if res.others:
        rows.append(("Outcome cost avoided per £1 of service cost",
                     {n: (with_ci(dr.diff(res, n, "(total)", "return_per_pound"), "ratio")
                          if n != res.baseline else "baseline", "") for n in res.names}))
    return rows


# ------------------------------------------------------------------------------- assumptions from source_text

FILE_MARK = re.compile(r"^#\s*=====\s*(.+?)\s*=====\s*$")     # the writer's line before each file


def _split_comment(line):
    """(code, comment) with '#' inside a quoted string left alone."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            if c == quote and line[i - 1] != "\\":
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "#":
            return line[:i].rstrip(), line[i + 1:].strip()
    return line.rstrip(), ""


def parameters(source_text):
    """[(file, parameter, value, source)] from the TOML of a scenario and its bases. The source is the line's
    own comment, else the comment lines just above it. Lines that hold a number are parameters; text-only
    settings (names, services, areas) are kept only when they carry a comment."""
    out, table, file, above = [], "", "", []
    counts = {}
    lines = source_text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        stripped = line.strip()
        mark = FILE_MARK.match(stripped)
        if mark:
            file, table, above = mark.group(1), "", []
            continue
        if not stripped:
            above = []
            continue
        if stripped.startswith("#"):
            above.append(stripped.lstrip("#").strip())
            continue
        code, comment = _split_comment(line)
        code = code.strip()
        if code.startswith("[["):
            name = code.strip("[] ")
            counts[name] = counts.get(name, 0) + 1
            table, above = f"{name}[{counts[name]}]", []
            continue
        if code.startswith("["):
            table, above = code.strip("[] "), []
            continue
        if "=" not in code:
            continue
        key, value = (x.strip() for x in code.split("=", 1))
        while (value.count("[") > value.count("]") or value.count("{") > value.count("}")) and i < len(lines):
            more, more_comment = _split_comment(lines[i])
            i += 1
            value += " " + more.strip()
            comment = comment or more_comment
        if key == "name" and table.endswith("]") and "[" in table:
            table = table[:table.rindex("[")] + f"[{value.strip(chr(34))}]"
        source = comment or " ".join(above)
        above = []
        if source or re.search(r"\d", re.sub(r'"[^"]*"|\'[^\']*\'', "", value)):   # a number outside strings
            out.append((file, f"{table}.{key}" if table else key, value, source))
    return out


def effective(params):
    """Later files override earlier ones: {parameter: (file, value, source)}."""
    return {p: (f, v, s) for f, p, v, s in params}


def is_assumption(source):
    return "assumption" in source.lower()


# ------------------------------------------------------------------------------------------------------- HTML

CSS = """
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt; color: #111; margin: 2em auto;
       max-width: 60em; line-height: 1.4; padding: 0 1em; }
h1 { font-size: 17pt; margin-bottom: 0.2em; } h2 { font-size: 13pt; margin-top: 1.6em;
     border-bottom: 1px solid #999; } h3 { font-size: 11pt; }
.meta { color: #555; font-size: 9pt; } .summary { font-size: 11pt; background: #f3f6fa;
     border-left: 4px solid #0072B2; padding: 0.6em 1em; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 0.5em 0 1em; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eee; } .diff { color: #555; font-size: 7.5pt; display: block; }
table.measures { table-layout: fixed; } table.measures tr > :first-child { width: 26%; }
.nw { white-space: nowrap; } tr.assumption td { background: #fff4dc; } tr.missing td { background: #fde2e2; }
figure { margin: 1.2em 0; break-inside: avoid; page-break-inside: avoid; }
figure img { width: 100%; max-height: 245mm; object-fit: contain; }
figcaption { font-size: 9pt; color: #333; } .note { color: #555; font-size: 9pt; }
code { font-size: 8pt; }
@page { size: A4; margin: 14mm 12mm; }
@media print { body { margin: 0; max-width: none; padding: 0; } h2 { break-after: avoid; } }
"""


def esc(text):
    return html.escape(str(text))


def unbroken(text):
    """A figure and its interval may part at a line end, but neither breaks inside."""
    head, sep, tail = str(text).partition(" (")
    return " ".join(f"<span class='nw'>{esc(part)}</span>" for part in [head] + (["(" + tail] if sep else []))


def html_page(res, charts, summary, measures, assumptions):
    lab = ch.labels(res)
    a = res.attrs
    out = ["<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>",
           "<title>Domestic abuse services in Southend, Essex and Thurrock: commissioning options</title>",
           f"<style>{CSS}</style></head><body>",
           "<h1>Domestic abuse services in Southend, Essex and Thurrock: commissioning options</h1>",
           f"<p class='meta'>Results {esc(os.path.basename(res.path))}, run {esc(a.get('created', '?'))}; dasim "
           f"{esc(res.version)} (commit {esc(str(a.get('git_commit', '?'))[:12])}); {res.replications} replications "
           f"per option, master seed {res.seed}.</p>",
           "<h2>Summary</h2>", f"<p class='summary'>{esc(summary)}</p>",
           "<h2>Options</h2><table><tr><th>Option</th><th>Name in results</th><th>Description</th></tr>"]
    for n in res.names:
        tag = " (baseline)" if n == res.baseline else ""
        out.append(f"<tr><td>{esc(lab[n])}{tag}</td><td><code>{esc(n)}</code></td>"
                   f"<td>{esc(res.scenarios[n]['attrs'].get('description', ''))}</td></tr>")
    out.append("</table>")
    out.append("<h2>Key measures</h2><p class='note'>Mean (95% confidence interval) over replications. "
               + (f"Grey: difference from {esc(lab[res.baseline])}, paired on common random numbers."
                  if res.others else "") + "</p>")
    out.append("<table class='measures'><tr><th>Measure</th>"
               + "".join(f"<th>{esc(lab[n])}</th>" for n in res.names) + "</tr>")
    for label, cells in measures:
        out.append(f"<tr><td>{esc(label)}</td>" + "".join(
            f"<td>{unbroken(v)}" + (f"<span class='diff'>{unbroken(d)}</span>" if d else "") + "</td>"
            for v, d in (cells[n] for n in res.names)) + "</tr>")
    out.append("</table>")
    out.append("<h2>Charts</h2>")
    skipped = [c for c in charts if c.skipped]
    if not res.others:
        out.append("<p class='note'>This run has one option, so there is nothing to compare: the charts of cost "
                   "avoided, return per £1 and paired differences are left out.</p>")
    for c in charts:
        if c.skipped:
            continue
        with open(c.svg, "rb") as f:
            data = base64.b64encode(f.read()).decode("ascii")
        out.append(f"<figure><img src='data:image/svg+xml;base64,{data}' alt='{esc(c.title)}'>"
                   f"<figcaption>{esc(c.caption)}</figcaption></figure>")
    if skipped:
        out.append("<p class='note'>Not drawn: " + "; ".join(f"{esc(c.name)} ({esc(c.skipped)})"
                                                            for c in skipped) + ".</p>")
    out.append("<h2>Assumptions and their sources</h2>")
    out.append("<p class='note'>From the scenario files stored in the results: each parameter line names its "
               "source in a comment, or says <em>assumption</em> (shaded). Parameters with no source are shaded "
               "red.</p>")
    for n, rows, title in assumptions:
        n_assume = sum(is_assumption(source) for _, (_, _, source) in rows)
        out.append(f"<h3>{esc(title)}</h3>")
        if not rows:
            out.append("<p class='note'>No parameter differs from the baseline.</p>")
            continue
        out.append(f"<p class='note'>{len(rows)} parameters, {n_assume} of them assumptions.</p>")
        out.append("<table><tr><th>Parameter</th><th>Value</th><th>Source</th><th>File</th></tr>")
        for p, (file, value, source) in rows:
            cls = "assumption" if is_assumption(source) else "missing" if not source else ""
            out.append(f"<tr class='{cls}'><td><code>{esc(p)}</code></td><td><code>{esc(value)}</code></td>"
                       f"<td>{esc(source or 'no source given')}</td><td>{esc(os.path.basename(file))}</td></tr>")
        out.append("</table>")
    out.append(f"<p class='meta'>{esc(_method(res))} Made by plots/board_pack.py from {esc(res.path)}.</p>")
    out.append("</body></html>")
    return "\n".join(out)


def assumption_tables(res):
    """The baseline's parameters in full; for each other option only what differs from the baseline."""
    lab = ch.labels(res)
    base = effective(parameters(res.scenarios[res.baseline]["attrs"].get("source_text", "")))
    tables = [(res.baseline, [(p, (f, v, s)) for p, (f, v, s) in base.items()],
               f"{lab[res.baseline]} (baseline): all parameters")]
    for n in res.others:
        mine = effective(parameters(res.scenarios[n]["attrs"].get("source_text", "")))
        rows = [(p, x) for p, x in mine.items() if p not in base or base[p][1] != x[1]]
        tables.append((n, rows, f"{lab[n]}: parameters that differ from {lab[res.baseline]}"))
    return tables


# -------------------------------------------------------------------------------------------------------- main

def build(path, out_dir, pdf=True):
    """Returns (exit code, [written paths], [messages])."""
    res = dr.load(path)
    chart_dir = os.path.join(out_dir, "charts")
    charts = ch.draw_all(res, chart_dir)
    page = html_page(res, charts, summary_paragraph(res), key_measures(res), assumption_tables(res))
    html_path = os.path.join(out_dir, "board-pack.html")
    with open(html_path, "w", encoding="utf-8") as f:
        f.write(page)
    written = [html_path] + [p for c in charts if not c.skipped for p in (c.png, c.svg)]
    notes = [f"chart {c.name} not drawn: {c.skipped}" for c in charts if c.skipped]
    if not pdf:
        return 0, written, notes
    pdf_path = os.path.join(out_dir, "board-pack.pdf")
    ok, why = chromium(["--no-pdf-header-footer", "--print-to-pdf-no-header", f"--print-to-pdf={pdf_path}",
                        "file://" + os.path.abspath(html_path)])
    if not ok or not os.path.exists(pdf_path):
        return 1, written, notes + [f"PDF not written: {why or 'chromium wrote no file'}"]
    return 0, [pdf_path] + written, notes


def main(argv=None):
    ap = argparse.ArgumentParser(description="Charts, HTML and PDF board pack from a dasim results file.")
    ap.add_argument("results", help="RESULTS.h5 written by dasim run")
    ap.add_argument("--out", help="output folder (default: RESULTS without .h5, plus -board-pack)")
    ap.add_argument("--no-pdf", action="store_true", help="write the HTML and charts only")
    a = ap.parse_args(argv)
    out_dir = a.out or re.sub(r"\.h5$", "", a.results) + "-board-pack"
    try:
        code, written, notes = build(a.results, out_dir, pdf=not a.no_pdf)
    except dr.ResultsError as e:
        print(f"board_pack: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # a board pack user needs one line; DASIM_DEBUG=1 shows the traceback
        if os.environ.get("DASIM_DEBUG"):
            raise
        print(f"board_pack: internal error: {type(e).__name__}: {e} (set DASIM_DEBUG=1 for details)",
              file=sys.stderr)
        return 1
    for note in notes:
        print(f"board_pack: {note}", file=sys.stderr)
    print(f"board_pack: wrote {len(written)} files to {out_dir}/")
    for p in written:
        if p.endswith((".html", ".pdf")):
            print(f"  {p}")
    print(f"  {os.path.join(out_dir, 'charts')}/ ({sum(p.endswith('.png') for p in written)} charts, PNG and SVG)")
    return code


if __name__ == "__main__":
    sys.exit(main())
