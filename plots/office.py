"""The board pack in the formats a council works in: a Word document (python3-docx) with the same summary,
tables and charts as the HTML, and a key-measures spreadsheet (python3-openpyxl), one row per measure and one
column group per option, with 95% confidence intervals and the paired differences from the baseline."""
from __future__ import annotations

import math

import findings as fd

A4_TEXT_CM = 18.0          # A4 less 1.5 cm margins: charts are 7 in (17.8 cm) wide, so they print at their size


def write_docx(pack, path):
    from docx import Document
    from docx.shared import Cm, Pt, RGBColor
    import board_pack

    res, opts = pack.res, pack.options
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    doc.add_heading(pack.title, level=0)
    doc.add_paragraph(f"{res.replications} replications per option. Baseline: {opts[res.baseline]}.")
    doc.add_heading("Summary", level=1)
    for heading, found in board_pack.grouped(pack):
        if heading:
            doc.add_heading(heading, level=2)
        for f in found:
            doc.add_paragraph(f.text, style="List Bullet")
    doc.add_paragraph(fd.method(res))

    box = doc.add_table(rows=1, cols=1)
    box.style = "Table Grid"
    inner = box.rows[0].cells[0]
    inner.paragraphs[0].add_run("What these figures are").bold = True
    for text in pack.money:
        inner.add_paragraph(text)

    doc.add_heading("Options", level=1)
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Option", "What it is"
    for n in res.names:
        cells = table.add_row().cells
        cells[0].text = opts[n] + (" (baseline)" if n == res.baseline else "")
        cells[1].text = pack.descriptions[n]

    doc.add_heading("How reliable the run is", level=1)
    for text in pack.diagnostics:
        doc.add_paragraph(text)

    doc.add_page_break()
    doc.add_heading("Key measures", level=1)
    doc.add_paragraph("Mean (95% confidence interval) a year over replications; below it, the difference from "
                      f"{opts[res.baseline]}, paired on common random numbers. Every measure is in "
                      "key-measures.xlsx.")
    table = doc.add_table(rows=1, cols=1 + len(res.names))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["Measure"] + [opts[n] for n in res.names]):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in pack.shown:
        cells = table.add_row().cells
        cells[0].text = row.label
        for cell, n in zip(cells[1:], res.names):
            value, diff = board_pack.cell(res, row, n)
            cell.text = value
            if diff:
                run = cell.add_paragraph().add_run(diff)
                run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
    for r in table.rows:
        for c in r.cells:
            for p in c.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(8)
    if pack.refusals:
        doc.add_paragraph(board_pack.refusals_line(pack))
    if pack.left_out:
        doc.add_paragraph(board_pack.left_out_line(pack))

    doc.add_page_break()
    doc.add_heading("Charts", level=1)
    for c in pack.charts:
        if c.skipped:
            continue
        doc.add_picture(c.png, width=Cm(min(board_pack.chart_width_mm(c) / 10, A4_TEXT_CM)))
        doc.add_paragraph(c.caption).runs[0].font.size = Pt(9)
    doc.add_heading("Assumptions and references", level=1)
    doc.add_paragraph("Every parameter of the model, its value and its source is in the appendix, appendix.html "
                      "and appendix.xlsx, beside this document.")
    if pack.references:
        doc.add_paragraph("Sources of the option descriptions: " + "; ".join(
            f"{o}: {', '.join(codes)}" for o, codes in pack.references) + ".")
    doc.core_properties.title = pack.title
    doc.save(path)


def _number(x):
    return None if x is None or not math.isfinite(x) else float(x)


def write_key_measures(pack, path):
    """One row per measure (all of them, not only those the pack's page has room for); for each option its
    mean and 95% CI, then for each other option the difference from the baseline and its CI."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    res, opts = pack.res, pack.options
    wb = Workbook()
    ws = wb.active
    ws.title = "Key measures"
    why_not = {label: f"not shown: {why}" for why, labels in pack.left_out for label in labels}
    head = ["Measure", "Unit", "In the pack"]
    for n in res.names:
        head += [opts[n], f"{opts[n]}: 95% CI low", f"{opts[n]}: 95% CI high"]
    for n in res.others:
        head += [f"{opts[n]} − {opts[res.baseline]}", "95% CI low", "95% CI high"]
    ws.append(head)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    units = {"count": "a year", "days": "days", "share": "share (0-1)", "money": "£ a year", "ratio": "£ per £1"}
    for row in pack.rows:
        line = [row.name, units.get(row.kind, ""), why_not.get(row.label, "shown")]
        for n in res.names:
            s = row.values.get(n)
            line += [_number(s["mean"]), _number(s["ci_low"]), _number(s["ci_high"])] if s else [None] * 3
        for n in res.others:
            d = row.diffs.get(n)
            line += [_number(d["mean"]), _number(d["ci_low"]), _number(d["ci_high"])] if d else [None] * 3
        ws.append(line)
        if row.kind == "money":
            for cell in ws[ws.max_row][3:]:
                cell.number_format = "£#,##0"
    ws.column_dimensions["A"].width = 52
    ws.column_dimensions["C"].width = 30
    ws.freeze_panes = "D2"
    notes = wb.create_sheet("Notes")
    for text in [fd.method(res)] + pack.money + [f"No return per £1 for {o}: {w}." for o, w in pack.refusals]:
        notes.append([text])
    notes.column_dimensions["A"].width = 140
    wb.save(path)
