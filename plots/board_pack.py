"""Board pack from one dasim results file: HTML, PDF and Word versions, a key-measures spreadsheet, a parameter
appendix and the charts.

    python3 plots/board_pack.py results/demo.h5 [--out DIR] [--no-pdf] [--baseline NAME]

Writes into DIR: board-pack.html (CSS inline, charts embedded), board-pack.pdf (that page printed by headless
Chromium), board-pack.docx (the same summary, tables and charts in Word), key-measures.xlsx (one row per
measure, one column per option, with 95% CIs), appendix.html and appendix.xlsx (every parameter and its source,
linked from the pack) and charts/*.png|svg. DIR defaults to RESULTS without .h5, plus "-board-pack".
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

import struct
from dataclasses import dataclass

import appendix
import charts as ch
import dasim_results as dr
import findings as fd
import names
import notes
import office
import sizing
from wording import ci_text, number, with_ci

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


# ------------------------------------------------------------------------------------------------- the content

def cell(res, row, n):
    """(value text, difference text) of one option in the key-measures table."""
    if row.kind == "ratio":
        if n == res.baseline:
            return "baseline", ""
        return (with_ci(row.values[n], "ratio") if row.values.get(n) else "not given (see the note)"), ""
    if "avoided" in row.key:
        return ("baseline", "") if n == res.baseline else (with_ci(row.diffs.get(n), "money"), "")
    value = with_ci(row.values.get(n), row.kind) if row.values.get(n) else "none"
    d = row.diffs.get(n)
    if n == res.baseline or d is None:
        return value, ""
    sign = "+" if d["mean"] > 0 else ""
    return value, f"{sign}{number(d['mean'], row.kind)} {ci_text(d, row.kind)}".strip()


@dataclass
class Pack:
    """Everything the HTML, Word and spreadsheet versions show, made once."""
    res: object
    title: str
    options: dict
    descriptions: dict
    headlines: list
    summary: str
    money: list
    rows: list                 # every measure (the spreadsheet)
    shown: list                # the rows the key-measures table shows
    left_out: list             # [(why, [labels])]
    refusals: list             # [(option, why)] of a return per £1 not given
    diagnostics: list
    references: list
    charts: list


def left_out_line(pack):
    """One line saying which measures the table leaves out and why (the spreadsheet has them all)."""
    return ("Not shown here, to keep to what carries information: "
            + "; ".join(f"{len(labels)} measure{'s' * (len(labels) != 1)} {why}" for why, labels in pack.left_out)
            + ". Every measure is in key-measures.xlsx, marked with why it is not shown.")


def refusals_line(pack):
    """One paragraph for every option whose return per £1 is not given, and why."""
    return "No return per £1 is given: " + "; ".join(why if option in why else f"for {option}, {why}"
                                                      for option, why in pack.refusals) + "."


def grouped(pack):
    """[(heading, [findings])]: the summary's findings under one heading per option compared."""
    res, opts = pack.res, pack.options
    if not res.others:
        return [("", pack.headlines)]
    general = [f for f in pack.headlines if not f.option]        # e.g. that one replication can tell nothing
    groups = [(f"{opts[n]} against {opts[res.baseline]}", [f for f in pack.headlines if f.option == n])
              for n in res.others]
    return ([("", general)] if general else []) + [g for g in groups if g[1]]


def make_pack(res, charts, rows):
    opts = names.options(res)
    shown, left_out = fd.table_rows(rows)
    found = fd.headlines(res, rows)
    ret = next((r for r in rows if r.key == "(total)|cashable_return|all"), None)
    title = ("Comparing " + ", ".join(opts[n] for n in res.names[:-1]) + f" and {opts[res.names[-1]]}"
             if res.others else f"{opts[res.baseline]}: what the model shows")
    return Pack(res, title, opts, {n: names.without_references(res.scenarios[n]["attrs"].get("description", ""))[0]
                                   for n in res.names},
                found, fd.summary_paragraph(res, found), notes.money_box(res), rows, shown, left_out,
                [(opts[n], why) for n, why in (ret.refusals.items() if ret else [])], notes.diagnostics(res),
                notes.references(res), charts)


# ------------------------------------------------------------------------------------------------------- HTML

CSS = """
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10pt; color: #111; margin: 2em auto;
       max-width: 186mm; line-height: 1.35; padding: 0 1em; }
h1 { font-size: 16pt; margin-bottom: 0.2em; } h2 { font-size: 12.5pt; margin-top: 1.2em;
     border-bottom: 1px solid #999; } h3 { font-size: 10.5pt; }
.meta { color: #555; font-size: 8.5pt; } .summary { background: #f3f6fa; border-left: 4px solid #0072B2;
     padding: 0.3em 1em; } .summary li { margin: 0.25em 0; }
.box { border: 1.5px solid #555; padding: 0.2em 1em; margin: 1em 0; background: #fafafa; break-inside: avoid; }
.summary h3 { margin: 0.5em 0 0.1em; } .summary ul { margin: 0.2em 0; padding-left: 1.3em; }
.box h3 { margin: 0.4em 0; } .box p { margin: 0.35em 0; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin: 0.4em 0 0.6em; line-height: 1.2; }
th, td { border-bottom: 1px solid #ddd; padding: 1px 4px; text-align: left; vertical-align: top; }
th { background: #eee; } .diff { color: #444; display: block; }
table.measures { table-layout: fixed; } table.measures tr > :first-child { width: 30%; }
.nw { white-space: nowrap; }
figure { margin: 0.8em 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 8.5pt; color: #333; } .note { color: #444; font-size: 8.5pt; }
.newpage { break-before: page; page-break-before: always; }
@page { size: A4; margin: 12mm 12mm; }
@media print { body { margin: 0; max-width: none; padding: 0; } h2 { break-after: avoid; } }
"""

TEXT_WIDTH_MM = 186      # A4 less the 12 mm margins: a chart no wider than this prints at its own size


def esc(text):
    return html.escape(str(text))


def unbroken(text):
    """A figure never breaks inside; its interval may wrap at its spaces (a narrow column of money)."""
    head, sep, tail = str(text).partition(" (")
    joined = esc(tail).replace("−", "−\u2060")      # a word joiner: "−£203,000" never parts at its sign
    return f"<span class='nw'>{esc(head)}</span>" + (f" ({joined}" if sep else "")


def png_width_mm(path):
    """Width of a 300-dpi PNG in millimetres, from its header."""
    with open(path, "rb") as f:
        head = f.read(24)
    return struct.unpack(">I", head[16:20])[0] / ch.DPI * 25.4


def chart_width_mm(chart):
    return min(png_width_mm(chart.png), TEXT_WIDTH_MM)


def html_page(pack):
    res, opts = pack.res, pack.options
    a = res.attrs
    out = ["<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>", f"<title>{esc(pack.title)}</title>",
           f"<style>{CSS}</style></head><body>", f"<h1>{esc(pack.title)}</h1>",
           f"<p class='meta'>Made {esc(a.get('created', '?'))} by dasim {esc(res.version)} from "
           f"{esc(os.path.basename(res.path))}; {res.replications} replications per option. Baseline: "
           f"{esc(opts[res.baseline])}.</p>", "<h2>Summary</h2><div class='summary'>"]
    for heading, found in grouped(pack):
        out.append((f"<h3>{esc(heading)}</h3>" if heading else "") + "<ul>"
                   + "".join(f"<li>{esc(f.text)}</li>" for f in found) + "</ul>")
    out.append(f"<p class='note'>{esc(fd.method(res))}</p></div>")
    out.append("<div class='box'><h3>What these figures are</h3>" + "".join(f"<p>{esc(t)}</p>" for t in pack.money)
               + "</div>")
    out.append("<h2>Options</h2><table><tr><th>Option</th><th>What it is</th></tr>")
    for n in res.names:
        out.append(f"<tr><td>{esc(opts[n])}{' (baseline)' if n == res.baseline else ''}</td>"
                   f"<td>{esc(pack.descriptions[n])}</td></tr>")
    out.append("</table>")
    out.append("<h2>How reliable the run is</h2>" + "".join(f"<p class='note'>{esc(t)}</p>"
                                                            for t in pack.diagnostics))
    out.append("<h2 class='newpage'>Key measures</h2><p class='note'>Mean (95% confidence interval) a year over "
               "replications" + (f"; below it, in grey, the difference from {esc(opts[res.baseline])}, paired on "
                                 "common random numbers" if res.others else "")
               + ". Every measure, with its interval, is in the spreadsheet <a href='key-measures.xlsx'>"
               "key-measures.xlsx</a>.</p>")
    out.append("<table class='measures'><tr><th>Measure</th>" + "".join(f"<th>{esc(opts[n])}</th>"
                                                                        for n in res.names) + "</tr>")
    for row in pack.shown:
        out.append(f"<tr><td>{esc(row.label)}</td>" + "".join(
            f"<td>{unbroken(v)}" + (f"<span class='diff'>{unbroken(d)}</span>" if d else "") + "</td>"
            for v, d in (cell(res, row, n) for n in res.names)) + "</tr>")
    out.append("</table>")
    if pack.refusals:
        out.append(f"<p class='note'>{esc(refusals_line(pack))}</p>")
    if pack.left_out:
        out.append(f"<p class='note'>{esc(left_out_line(pack))}</p>")
    out.append(sizing.html_section(res))  # "What it takes to meet the target", when `dasim size` wrote the file
    out.append("<h2>Charts</h2>")
    for c in pack.charts:
        if c.skipped:
            continue
        with open(c.svg, "rb") as f:
            data = base64.b64encode(f.read()).decode("ascii")
        out.append(f"<figure><img src='data:image/svg+xml;base64,{data}' alt='{esc(c.title)}' "
                   f"style='width: {chart_width_mm(c):.1f}mm'><figcaption>{esc(c.caption)}</figcaption></figure>")
    skipped = [c for c in pack.charts if c.skipped]
    if skipped:
        out.append("<p class='note'>Not drawn: " + "; ".join(esc(c.skipped) for c in skipped) + ".</p>")
    out.append("<h2>Assumptions and references</h2>")
    out.append("<p>Every parameter of the model, its value and the source its scenario file gives, is in the "
               "appendix: <a href='appendix.html'>appendix.html</a> (also as a spreadsheet, "
               "<a href='appendix.xlsx'>appendix.xlsx</a>).</p>")
    if pack.references:
        out.append("<p class='note'>Sources of the option descriptions: " + "; ".join(
            f"{esc(o)}: {esc(', '.join(codes))}" for o, codes in pack.references) + ".</p>")
    out.append(f"<p class='meta'>dasim {esc(res.version)}, commit {esc(str(a.get('git_commit', '?'))[:12])}, master "
               f"seed {res.seed}; results {esc(res.path)}.</p></body></html>")
    return "\n".join(out)



# -------------------------------------------------------------------------------------------------------- main

def choose_baseline(res, baseline):
    """Checks --baseline against the file: the differences in it are paired against one option, so another
    baseline cannot be shown from it."""
    if baseline is None or baseline == res.baseline:
        return
    if baseline not in res.names:
        raise dr.ResultsError(f"--baseline {baseline}: no such option in {res.path}; its options are "
                              + ", ".join(res.names))
    raise dr.ResultsError(f"--baseline {baseline}: {res.path} holds differences against {res.baseline} only; run "
                          f"`dasim run` again with {baseline} first to compare against it")


def build(path, out_dir, pdf=True, baseline=None):
    """Returns (exit code, [written paths], [messages])."""
    res = dr.load(path)
    choose_baseline(res, baseline)
    os.makedirs(out_dir, exist_ok=True)
    rows = fd.measures(res)
    charts = ch.draw_all(res, os.path.join(out_dir, "charts"), fd.table_rows(rows)[0])
    pack = make_pack(res, charts, rows)
    html_path = os.path.join(out_dir, "board-pack.html")
    with open(html_path, "w", encoding="utf-8") as f:
        f.write(html_page(pack))
    extra = {name: os.path.join(out_dir, name) for name in ("board-pack.docx", "key-measures.xlsx",
                                                             "appendix.html", "appendix.xlsx")}
    office.write_docx(pack, extra["board-pack.docx"])
    office.write_key_measures(pack, extra["key-measures.xlsx"])
    appendix.write_html(res, extra["appendix.html"], f"{pack.title}: parameters and their sources")
    appendix.write_xlsx(res, extra["appendix.xlsx"])
    written = [html_path, *extra.values()] + [p for c in charts if not c.skipped for p in (c.png, c.svg)]
    messages = [f"chart {c.name} not drawn: {c.skipped}" for c in charts if c.skipped]
    if not pdf:
        return 0, written, messages
    pdf_path = os.path.join(out_dir, "board-pack.pdf")
    ok, why = chromium(["--no-pdf-header-footer", "--print-to-pdf-no-header", f"--print-to-pdf={pdf_path}",
                        "file://" + os.path.abspath(html_path)])
    if not ok or not os.path.exists(pdf_path):
        return 1, written, messages + [f"PDF not written: {why or 'chromium wrote no file'}"]
    return 0, [pdf_path] + written, messages


def main(argv=None):
    ap = argparse.ArgumentParser(description="Charts, HTML and PDF board pack from a dasim results file.")
    ap.add_argument("results", help="RESULTS.h5 written by dasim run")
    ap.add_argument("--out", help="output folder (default: RESULTS without .h5, plus -board-pack)")
    ap.add_argument("--no-pdf", action="store_true", help="write the HTML and charts only")
    ap.add_argument("--baseline", help="the option the others are compared with (must be the run's baseline)")
    a = ap.parse_args(argv)
    out_dir = a.out or re.sub(r"\.h5$", "", a.results) + "-board-pack"
    try:
        code, written, notes = build(a.results, out_dir, pdf=not a.no_pdf, baseline=a.baseline)
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
        if p.endswith((".html", ".pdf", ".docx", ".xlsx")):
            print(f"  {p}")
    print(f"  {os.path.join(out_dir, 'charts')}/ ({sum(p.endswith('.png') for p in written)} charts, PNG and SVG)")
    return code


if __name__ == "__main__":
    sys.exit(main())
