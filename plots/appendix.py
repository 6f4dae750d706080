"""The parameter appendix, a separate HTML page and spreadsheet that the board pack links to: first each option's
assumptions, then every parameter with the source its scenario file gives.

The assumptions are the results file's own list (/scenarios/NAME/assumptions: key, value, FILE:LINE and display
name), the one the simulator's loader made and a sensitivity run varies; each one's source is the comment on its
line. The full list of parameters is read from the scenario files stored in the results (`source_text`), which is
the only record of every line and its comment; a line is marked an assumption when the stored list names its file
and line. A file written before the list was stored falls back to the comment's own word "assumption".
"""
from __future__ import annotations

import html
import math
import os
import re

import names
from wording import sentence_start

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
    """[(file, line, parameter, value, source)] from the TOML of a scenario and its bases; `line` counts from 1 in
    its file. The source is the line's own comment, else the comment lines just above it. Lines that hold a number
    are parameters; text-only settings (names, services, areas) are kept only when they carry a comment."""
    out, table, file, above = [], "", "", []
    counts = {}
    lines = source_text.splitlines()
    i, start = 0, 0                       # start: the index of the current file's first line
    while i < len(lines):
        line = lines[i]
        i += 1
        stripped = line.strip()
        mark = FILE_MARK.match(stripped)
        if mark:
            file, table, above, start = mark.group(1), "", [], i
            continue
        if not stripped:
            above = []
            continue
        if stripped.startswith("#"):
            above.append(stripped.lstrip("#").strip())
            continue
        at = i - start
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
            out.append((file, at, f"{table}.{key}" if table else key, value, source))
    return out


def effective(params):
    """Later files override earlier ones: {parameter: (file, line, value, source)}."""
    return {p: (f, n, v, s) for f, n, p, v, s in params}


def is_assumption(source):
    """The comment's own word, for a file that predates the stored list of assumptions."""
    return "assumption" in source.lower()


def stored_assumptions(res, scenario):
    """[{key, value, where, display}] from the results file's list of the option's assumptions, or None when the
    file predates it."""
    table = res.scenarios[scenario].get("assumptions")
    if not table or "key" not in table:
        return None
    shown = table.get("display_name")
    return [{"key": k, "value": float(v), "where": w,
             "display": (shown[i].strip() if shown is not None and shown[i].strip() else names.parameter(k))}
            for i, (k, v, w) in enumerate(zip(table["key"], table["value"], table["where"]))]


def assumed(res, scenario):
    """A test (file, line, source) -> is it an assumption: the stored list's FILE:LINE, else the comment's word."""
    stored = stored_assumptions(res, scenario)
    if stored is None:
        return lambda f, line, source: is_assumption(source)
    marked = {_place(a["where"]) for a in stored}
    return lambda f, line, source: _place(f"{f}:{line}") in marked


def _place(where):
    """("set-base.toml", 61) from "scenarios/set-base.toml:61": the stored list gives the path the run read, the
    stored source text the file's name alone."""
    file, _, line = str(where).rpartition(":")
    return os.path.basename(file), int(line) if line.isdigit() else -1


def _comments(source_text):
    """{(file, line): its source} for every parameter line, so a stored FILE:LINE finds its comment."""
    return {(os.path.basename(f), n): s for f, n, _, _, s in parameters(source_text)}


def _value(v):
    return f"{v:,.0f}" if math.isfinite(v) and v == int(v) and abs(v) >= 1000 else f"{v:g}"


def assumption_tables(res):
    """[(scenario, [(name, value, source, key, where)], title)]: the baseline's assumptions in full; for each other
    option those it adds or sets differently. None when the file stores no list of assumptions."""
    opts = names.options(res)
    stored = {n: stored_assumptions(res, n) for n in res.names}
    if stored[res.baseline] is None:
        return None
    out = []
    base = {a["key"]: a["value"] for a in stored[res.baseline]}
    for n in res.names:
        comments = _comments(res.scenarios[n]["attrs"].get("source_text", ""))
        rows = []
        for a in stored[n] or []:
            if n != res.baseline and base.get(a["key"]) == a["value"]:
                continue
            source = comments.get(_place(a["where"]), "")
            rows.append((sentence_start(a["display"]), _value(a["value"]), source, a["key"], a["where"]))
        title = (f"{opts[n]} (baseline): its {len(rows)} assumptions" if n == res.baseline else
                 f"{opts[n]}: assumptions it adds or sets differently from {opts[res.baseline]}")
        out.append((n, rows, title))
    return out


def tables(res):
    """[(scenario, [(parameter, file, value, source, assumed)], title)]: the baseline's parameters in full; for each
    other option only what differs from the baseline. `assumed` is from the stored list of assumptions (its
    FILE:LINE), else the comment's word."""
    opts = names.options(res)
    out = []
    base = None
    for n in res.names:
        mine = effective(parameters(res.scenarios[n]["attrs"].get("source_text", "")))
        is_assumed = assumed(res, n)
        if base is None:
            base = mine
            rows = [(p, f, v, s, is_assumed(f, line, s)) for p, (f, line, v, s) in mine.items()]
            title = f"{opts[n]} (baseline): all parameters"
        else:
            rows = [(p, f, v, s, is_assumed(f, line, s)) for p, (f, line, v, s) in mine.items()
                    if p not in base or base[p][2] != v]
            title = f"{opts[n]}: parameters that differ from {opts[res.baseline]}"
        out.append((n, rows, title))
    return out


CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9.5pt; margin: 2em auto; max-width: 70em;
       padding: 0 1em; color: #111; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin-bottom: 1.5em; }
th, td { border-bottom: 1px solid #ddd; padding: 2px 5px; text-align: left; vertical-align: top; }
th { background: #eee; } tr.assumption td { background: #fff4dc; } tr.missing td { background: #fde2e2; }
code { font-size: 8pt; }
"""


def write_html(res, path, title):
    esc = html.escape
    out = [f"<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'><title>{esc(title)}</title>",
           f"<style>{CSS}</style></head><body><h1>{esc(title)}</h1>"]
    assumed = assumption_tables(res)
    if assumed is not None:
        out.append("<h2>Assumptions</h2><p>The values the model assumes rather than takes from a published source, "
                   "as the results file lists them (what a sensitivity run varies), with the comment their line "
                   "in the scenario file gives.</p>")
        for _, rows, heading in assumed:
            out.append(f"<h3>{esc(heading)}</h3>")
            if not rows:
                out.append("<p>None.</p>")
                continue
            out.append("<table><tr><th>Assumption</th><th>Value</th><th>Why this value</th><th>Setting (file:line)"
                       "</th></tr>")
            for shown, v, s, key, where in rows:
                out.append(f"<tr class='assumption'><td>{esc(shown)}</td><td>{esc(v)}</td><td>{esc(s)}</td>"
                           f"<td><code>{esc(key)}</code> ({esc(os.path.basename(where))})</td></tr>")
            out.append("</table>")
    out.append("<h2>Every parameter and its source</h2>"
               "<p>From the scenario files stored in the results: each parameter line names its source in a comment. "
               "Assumptions are shaded yellow; parameters with no source are shaded red. The setting column is "
               "where the parameter sits in the scenario file, for those who edit it.</p>")
    for _, rows, heading in tables(res):
        n_assume = sum(r[4] for r in rows)
        out.append(f"<h3>{esc(heading)}</h3>")
        if not rows:
            out.append("<p>No parameter differs from the baseline.</p>")
            continue
        out.append(f"<p>{len(rows)} parameters, {n_assume} of them assumptions.</p>")
        out.append("<table><tr><th>Parameter</th><th>Value</th><th>Source</th><th>Setting (file)</th></tr>")
        for p, f, v, s, assumption in rows:
            cls = "assumption" if assumption else "missing" if not s else ""
            out.append(f"<tr class='{cls}'><td>{esc(names.generic(names.parameter(p)))}</td><td>{esc(v)}</td>"
                       f"<td>{esc(s or 'no source given')}</td><td><code>{esc(p)}</code> "
                       f"({esc(os.path.basename(f))})</td></tr>")
        out.append("</table>")
    out.append("</body></html>")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out))


def _sheet_name(res, n, used, suffix=""):
    sheet = re.sub(r"[\[\]:*?/\\]", " ", names.options(res)[n])[:28 - len(suffix)] + suffix or "Option"
    while sheet in used:
        sheet += "_"
    used.add(sheet)
    return sheet


def write_xlsx(res, path):
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    wb = Workbook()
    wb.remove(wb.active)
    fills = {"assumption": PatternFill("solid", fgColor="FFF4DC"), "missing": PatternFill("solid", fgColor="FDE2E2")}
    used = set()

    def sheet(n, heading, header, widths, suffix=""):
        ws = wb.create_sheet(_sheet_name(res, n, used, suffix))
        ws.append([heading])
        ws["A1"].font = Font(bold=True)
        ws.append(header)
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for col, width in zip("ABCDEF", widths):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "A3"
        return ws

    for n, rows, heading in tables(res):
        ws = sheet(n, heading, ["Parameter", "Value", "Source", "Setting", "File", "Assumption"],
                   (36, 18, 60, 40, 22, 11))
        for p, f, v, s, assumption in rows:
            ws.append([names.generic(names.parameter(p)), v, s or "no source given", p, os.path.basename(f),
                       "yes" if assumption else ""])
            kind = "assumption" if assumption else "missing" if not s else ""
            if kind:
                for cell in ws[ws.max_row]:
                    cell.fill = fills[kind]
    for n, rows, heading in assumption_tables(res) or []:
        ws = sheet(n, heading, ["Assumption", "Value", "Why this value", "Setting", "File:line"],
                   (36, 14, 60, 40, 28), " (A)")
        for shown, v, s, key, where in rows:
            ws.append([shown, v, s, key, where])
    wb.save(path)
