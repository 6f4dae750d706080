"""The board pack's "What it takes to meet the target" section, from the /sizing group `dasim size` writes
(docs/size.md, docs/results-format.md). A file from `dasim run` has no /sizing: the section is then empty."""
from __future__ import annotations

import html

import h5py

import names
from wording import sentence_start


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def searches(path):
    """[(option, service, attrs, rows)] in the order the searches ran; rows are dicts of the answer's rows."""
    out = []
    with h5py.File(path, "r") as f:
        if "sizing" not in f:
            return out
        s = f["sizing"]
        for option, service in zip((_text(x) for x in s["options"][()]), (_text(x) for x in s["services"][()])):
            g = s[option][service]
            attrs = {k: (_text(v) if isinstance(v, (bytes, str)) else v.item() if hasattr(v, "item") else v)
                     for k, v in g.attrs.items()}
            r = g["rows"]
            columns = {k: [(_text(x) if k in ("kind", "service", "name", "units", "note") else x.item())
                           for x in r[k][()]] for k in r}
            rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
            out.append((option, service, attrs, rows))
    return out


def _money(x):
    return f"£{x:,.0f}"


def _ci(row):
    return f"{row['mean']:.3g} (95% CI {row['ci_low']:.3g} to {row['ci_high']:.3g})"


def html_section(res):
    """The section as HTML, or "" when the results file holds no sizing."""
    found = searches(res.path)
    if not found:
        return ""
    esc = html.escape
    options = names.options(res)
    out = ["<h2>What it takes to meet the target</h2>",
           "<p class='note'>The least capacity of a service at which the target is met with 95% confidence (the "
           "lower end of the measure's confidence interval for an 'at least' target, the upper end for 'at most'), "
           "found by a search on common random numbers; capacity is bought through each option's contracts at their "
           "unit costs. docs/size.md describes the search.</p>"]
    for option, service, a, rows in found:
        unit, level = a["unit"], int(a["level"])
        out.append(f"<h3>{esc(options.get(option, names.generic(option)))}: {esc(names.service(res, service))}</h3>")
        out.append(f"<p>Target: {esc(a['target_measure'])} {esc(a['target'].split()[1].replace('>=', 'at least').replace('<=', 'at most'))} "
                   f"{esc(a['target'].split()[-1])}. Least capacity that meets it: <b>{level} {esc(unit)}</b> (the "
                   f"option as given has {int(a['option_level'])}). {esc(sentence_start(a['message']))}.</p>")
        targets = [r for r in rows if r["kind"] == "target"]
        if targets:
            out.append("<p>" + sentence_start("; ".join(f"at {int(r['level'])} {esc(unit)}: {esc(_ci(r))}" for r in targets)) + ".</p>")
        costs = [r for r in rows if r["kind"] == "cost"]
        if costs:
            out.append("<table><tr><th>Funder</th><th>Annual service cost at this capacity</th><th>Change</th></tr>")
            for r in costs:
                change = float(r["note"].rsplit(":", 1)[-1])
                out.append(f"<tr><td>{esc(names.funder(res, r['name']))}</td><td>{_money(r['mean'])}</td>"
                           f"<td>{'+' if change > 0 else '−' if change < 0 else ''}{_money(abs(change))}</td></tr>")
            out.append("</table>")
        out.append(f"<p class='note'>{int(a['replications_used'])} replications over the levels searched.</p>")
    return "\n".join(out)
