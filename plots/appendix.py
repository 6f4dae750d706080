"""The parameter appendix: every parameter of the baseline and what each other option changes, with the source
its scenario file gives, as a separate HTML page and spreadsheet that the board pack links to.

The parameters come from the scenario files stored in the results (`source_text`): a line's own comment, else the
comment lines just above it, is its source; a source that says "assumption" marks an assumption.
"""
from __future__ import annotations

import html
import os
import re

import names

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


def tables(res):
    """[(scenario, [(parameter, file, value, source)], title)]: the baseline's parameters in full; for each other
    option only what differs from the baseline."""
    opts = names.options(res)
    base = effective(parameters(res.scenarios[res.baseline]["attrs"].get("source_text", "")))
    out = [(res.baseline, [(p, f, v, s) for p, (f, v, s) in base.items()],
            f"{opts[res.baseline]} (baseline): all parameters")]
    for n in res.others:
        mine = effective(parameters(res.scenarios[n]["attrs"].get("source_text", "")))
        rows = [(p, f, v, s) for p, (f, v, s) in mine.items() if p not in base or base[p][1] != v]
        out.append((n, rows, f"{opts[n]}: parameters that differ from {opts[res.baseline]}"))
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
           f"<style>{CSS}</style></head><body><h1>{esc(title)}</h1>",
           "<p>From the scenario files stored in the results: each parameter line names its source in a comment, "
           "or says <em>assumption</em> (shaded yellow). Parameters with no source are shaded red. The setting "
           "column is where the parameter sits in the scenario file, for those who edit it.</p>"]
    for _, rows, heading in tables(res):
        n_assume = sum(is_assumption(s) for *_, s in rows)
        out.append(f"<h2>{esc(heading)}</h2>")
        if not rows:
            out.append("<p>No parameter differs from the baseline.</p>")
            continue
        out.append(f"<p>{len(rows)} parameters, {n_assume} of them assumptions.</p>")
        out.append("<table><tr><th>Parameter</th><th>Value</th><th>Source</th><th>Setting (file)</th></tr>")
        for p, f, v, s in rows:
            cls = "assumption" if is_assumption(s) else "missing" if not s else ""
            out.append(f"<tr class='{cls}'><td>{esc(names.generic(names.parameter(p)))}</td><td>{esc(v)}</td>"
                       f"<td>{esc(s or 'no source given')}</td><td><code>{esc(p)}</code> "
                       f"({esc(os.path.basename(f))})</td></tr>")
        out.append("</table>")
    out.append("</body></html>")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out))


def write_xlsx(res, path):
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    wb = Workbook()
    wb.remove(wb.active)
    fills = {"assumption": PatternFill("solid", fgColor="FFF4DC"), "missing": PatternFill("solid", fgColor="FDE2E2")}
    used = set()
    for n, rows, heading in tables(res):
        sheet = re.sub(r"[\[\]:*?/\\]", " ", names.options(res)[n])[:28] or "Option"
        while sheet in used:
            sheet += "_"
        used.add(sheet)
        ws = wb.create_sheet(sheet)
        ws.append([heading])
        ws["A1"].font = Font(bold=True)
        ws.append(["Parameter", "Value", "Source", "Setting", "File", "Assumption"])
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for p, f, v, s in rows:
            ws.append([names.generic(names.parameter(p)), v, s or "no source given", p, os.path.basename(f),
                       "yes" if is_assumption(s) else ""])
            kind = "assumption" if is_assumption(s) else "missing" if not s else ""
            if kind:
                for cell in ws[ws.max_row]:
                    cell.fill = fills[kind]
        for col, width in zip("ABCDEF", (36, 18, 60, 40, 22, 11)):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "A3"
    wb.save(path)
