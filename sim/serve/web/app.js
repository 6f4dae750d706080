// dasim serve: the page. Plain JavaScript, no libraries; every value is checked again by the server.
"use strict";

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
const state = { base: "", fields: [], section: "capacity", scenarios: [], shown: "", polling: null };

function element(tag, attributes = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}

async function call(method, url, params) {
  const options = { method };
  if (params) {
    options.body = params instanceof URLSearchParams ? params : new URLSearchParams(params);
    options.headers = { "Content-Type": "application/x-www-form-urlencoded" };
  }
  const response = await fetch(url, options);
  let body = {};
  try { body = await response.json(); } catch (e) { body = { error: `the server answered ${response.status}` }; }
  return { ok: response.ok, status: response.status, body };
}

function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function seconds(s) {
  if (s === null || s === undefined || !isFinite(s)) return "–";
  if (s < 90) return `${Math.round(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

// ---- 1. starting point and 2. pathway
async function loadScenarios(keep) {
  const { body } = await call("GET", "/api/scenarios");
  state.scenarios = body;
  const select = $("#base");
  const current = keep || select.value || "set-pooled";
  select.replaceChildren(...body.map(s => element("option", { value: s.name }, s.saved_by_page ? `${s.name} (saved option)` : s.name)));
  if (body.some(s => s.name === current)) select.value = current;
  renderCompareOptions();
}

async function pickBase() {
  const name = $("#base").value;
  state.base = name;
  const info = state.scenarios.find(s => s.name === name) || {};
  $("#base-description").textContent = info.error ? `This scenario does not load: ${info.error}` : info.description || "";
  const diagram = element("img", { src: `/api/scenarios/${encodeURIComponent(name)}/pathway.svg`, alt: `Pathway of ${name}`, class: "fit",
    title: "Click to switch between the whole diagram and full size" });
  diagram.addEventListener("click", () => diagram.classList.toggle("fit"));
  diagram.addEventListener("error", async () => {  // say why, e.g. Graphviz missing, instead of a broken image
    const { body } = await call("GET", diagram.src);
    $("#pathway").replaceChildren(element("p", { class: "error" }, `No diagram: ${body.error || "the server could not draw it"}`));
  });
  $("#pathway").replaceChildren(diagram);
  $("#fields").replaceChildren(element("p", { class: "note" }, "Loading the values…"));
  const { ok, body } = await call("GET", `/api/scenarios/${encodeURIComponent(name)}/form`);
  if (!ok) { $("#fields").replaceChildren(element("p", { class: "error" }, body.error)); return; }
  state.fields = body.fields;
  renderFields();
  if (!$("#option-name").value || $("#option-name").dataset.auto === "1") {
    $("#option-name").value = `${name}-option`;
    $("#option-name").dataset.auto = "1";
  }
}

// ---- 3. the form
function fieldRow(f) {
  const id = "f-" + f.key.replace(/[^a-z0-9]/gi, "_");
  let input;
  if (f.kind === "choice") {
    input = element("select", { id, "data-key": f.key },
      f.current === "" ? element("option", { value: "" }, "(not set)") : null,
      f.choices.map(c => element("option", { value: c }, c)));
    input.value = f.current;
  } else {
    input = element("input", { id, "data-key": f.key, type: "text", inputmode: f.kind === "whole" ? "numeric" : "decimal", value: f.current, size: 10 });
  }
  input.dataset.current = f.current;
  input.addEventListener("input", () => markChanged(input));
  input.addEventListener("change", () => markChanged(input));
  const source = f.assumption ? element("span", { class: "badge" }, "assumption") : null;
  return element("div", { class: "field", "data-section": f.section, "data-search": `${f.group} ${f.label} ${f.key}`.toLowerCase() },
    element("label", { for: id }, f.label, f.unit ? element("span", { class: "unit" }, ` (${f.unit})`) : null),
    input,
    element("span", { class: "meta" }, `now ${f.current === "" ? "not set" : f.current}; ${f.range}`),
    element("span", { class: "source", title: f.where }, source, " ", f.source || "no source given", f.where ? element("span", { class: "where" }, ` ${f.where}`) : null,
      f.in_array ? element("span", { class: "where" }, " (saved with the whole contract list)") : null),
    element("div", { class: "error field-error", id: id + "-error" }));
}

function renderFields() {
  const groups = new Map();
  for (const f of state.fields) {
    const k = `${f.section}|${f.group}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(f);
  }
  const out = [];
  for (const [k, fields] of groups) {
    const [section, group] = k.split("|");
    out.push(element("fieldset", { "data-section": section }, element("legend", {}, group), fields.map(fieldRow)));
  }
  $("#fields").replaceChildren(...out);
  showSection(state.section);
  updateChanged();
}

function showSection(section) {
  state.section = section;
  for (const b of $$("#tabs button")) b.classList.toggle("active", b.dataset.section === section);
  for (const n of $$(".section-note")) n.hidden = n.dataset.section !== section;
  applyFilter();
}

function applyFilter() {
  const words = $("#filter").value.trim().toLowerCase();
  for (const fs of $$("#fields fieldset")) {
    let any = false;
    for (const row of $$(".field", fs)) {
      const show = row.dataset.section === state.section && (!words || row.dataset.search.includes(words) || fs.querySelector("legend").textContent.toLowerCase().includes(words));
      row.hidden = !show;
      any = any || show;
    }
    fs.hidden = !any;
  }
}

function markChanged(input) {
  input.closest(".field").classList.toggle("changed", input.value !== input.dataset.current);
  $(`#${input.id}-error`).textContent = "";
  updateChanged();
}

function updateChanged() {
  const n = $$("#fields [data-key]").filter(i => i.value !== i.dataset.current).length;
  $("#changed-count").textContent = n ? `${n} value${n === 1 ? "" : "s"} changed` : "nothing changed yet";
}

function optionParams() {
  const p = new URLSearchParams();
  p.set("base", state.base);
  p.set("name", $("#option-name").value.trim());
  p.set("description", $("#option-description").value.trim());
  if ($("#option-replace").checked) p.set("replace", "1");
  for (const i of $$("#fields [data-key]")) if (i.value !== i.dataset.current) p.set("v:" + i.dataset.key, i.value);
  return p;
}

function showErrors(errors) {
  for (const e of $$(".field-error")) e.textContent = "";
  $("#form-error").textContent = "";
  $("#name-error").textContent = "";
  let first = null;
  for (const [key, message] of Object.entries(errors || {})) {
    if (key === "name") { $("#name-error").textContent = message; continue; }
    const input = key ? $(`[data-key="${CSS.escape(key)}"]`) : null;
    if (input) {
      $(`#${input.id}-error`).textContent = message;
      if (!first) first = input;
    } else {
      $("#form-error").textContent = message;
    }
  }
  if (first) {
    const section = state.fields.find(f => f.key === first.dataset.key).section;
    showSection(section);
    first.closest(".field").hidden = false;
    first.closest("fieldset").hidden = false;
    first.scrollIntoView({ block: "center" });
    first.focus();
  }
}

async function submitOption(save) {
  const status = $("#save-status");
  status.className = "";
  status.textContent = save ? "Saving…" : "Checking…";
  const { ok, status: code, body } = await call("POST", save ? "/api/options" : "/api/options/check", optionParams());
  if (body.toml) { $("#toml").textContent = body.toml; $("#toml-preview").hidden = false; }
  if (!ok) {
    showErrors(body.errors || { "": body.error });
    status.className = "error";
    status.textContent = code === 422 ? "Not saved: please correct the values marked in red." : body.error || "Not saved.";
    return;
  }
  showErrors({});
  const changed = body.changed.length;
  if (save) {
    const name = $("#option-name").value.trim();
    status.className = "ok";
    status.textContent = `Saved ${body.file} (${changed} value${changed === 1 ? "" : "s"} changed from ${state.base}). ` +
      "It is ticked below, ready to compare.";
    await loadScenarios(state.base);
    const box = $(`#compare-options input[value="${CSS.escape(name)}"]`);
    if (box) box.checked = true;
    updateBaseline();
  } else {
    status.className = "ok";
    status.textContent = `Every value is valid (${changed} changed).`;
  }
}

// ---- 5. compare
function renderCompareOptions() {
  const ticked = new Set($$("#compare-options input:checked").map(i => i.value));
  if (!ticked.size) ["set-separate", "set-pooled"].forEach(n => ticked.add(n));
  $("#compare-options").replaceChildren(...state.scenarios.filter(s => !s.error).map(s =>
    element("label", { class: "option" }, element("input", { type: "checkbox", value: s.name, checked: ticked.has(s.name), onchange: updateBaseline }),
      ` ${s.name}`, element("span", { class: "note" }, ` ${s.description || ""}`))));
  updateBaseline();
}

function updateBaseline() {
  const chosen = $$("#compare-options input:checked").map(i => i.value);
  const select = $("#baseline");
  const keep = select.value;
  select.replaceChildren(...chosen.map(n => element("option", { value: n }, n)));
  if (chosen.includes(keep)) select.value = keep;
  else if (chosen.includes("set-separate")) select.value = "set-separate";
}

async function startRun() {
  const p = new URLSearchParams();
  p.set("baseline", $("#baseline").value);
  for (const n of $$("#compare-options input:checked").map(i => i.value)) p.append("options", n);
  p.set("replications", $("#replications").value);
  p.set("seed", $("#seed").value);
  p.set("name", $("#run-name").value.trim());
  $("#run-error").textContent = "";
  const { ok, body } = await call("POST", "/api/runs", p);
  if (!ok) { $("#run-error").textContent = body.error; return; }
  state.shown = body.name;
  refresh();
}

function progressCard(run) {
  const p = run.progress || {};
  const fraction = p.total ? p.done / p.total : 0;
  const text = run.state === "queued" ? "waiting for a free core"
    : run.phase === "report" ? "making the board pack (charts, HTML and PDF: about half a minute)"
    : !p.done ? `starting ${p.total || ""} replications…`
    : `${p.done} of ${p.total} replications, ${seconds(p.elapsed)} so far, about ${seconds(p.eta)} to go`;
  return element("div", { class: "run-card", "data-run": run.name },
    element("strong", {}, run.name), " ", element("span", { class: "note" }, run.options.join(" vs ")),
    element("progress", { max: 1, value: run.phase === "report" ? 1 : fraction }),
    element("span", { class: "progress-text" }, text), " ",
    element("button", { type: "button", class: "cancel", onclick: () => cancelRun(run.name) }, "Cancel"));
}

async function cancelRun(name) {
  const { ok, body } = await call("POST", `/api/runs/${encodeURIComponent(name)}/cancel`);
  if (!ok) alert(body.error);
  if (state.shown === name) $("#result").replaceChildren(element("p", { class: "note" }, `Run ${name} was cancelled and its files removed.`));
  refresh();
}

async function resumeRun(name) {
  const { ok, body } = await call("POST", `/api/runs/${encodeURIComponent(name)}/resume`);
  if (!ok) alert(body.error);
  state.shown = name;
  refresh();
}

// ---- 6. results and 7. past runs
async function showRun(name) {
  state.shown = name;
  const { ok, body } = await call("GET", `/api/runs/${encodeURIComponent(name)}`);
  const result = $("#result");
  if (!ok) { result.replaceChildren(element("p", { class: "error" }, body.error)); return; }
  result.dataset.run = name;
  result.dataset.state = body.state;
  const head = element("div", { class: "result-head" },
    element("h3", {}, `${body.name}: ${(body.options || []).join(", ")}`),
    element("p", { class: "note" }, body.replications ? `${body.replications} replications of each option, seed ${body.seed}; baseline ${body.options[0]}. ` : "",
      body.created ? `Started ${when(body.created)}. ` : "", body.from_command_line ? "Run from the command line." : ""),
    body.command ? element("p", { class: "note" }, "The same run from the command line: ", element("code", {}, body.command)) : null);
  if (body.state !== "done") {
    result.replaceChildren(head, element("p", { class: body.state === "failed" ? "error" : "note" }, `This run is ${body.state}. ${body.message || ""}`));
    return;
  }
  const downloads = element("ul", { id: "downloads", class: "downloads" },
    body.report.map(f => element("li", {}, element("a", { href: `/runs/${encodeURIComponent(name)}/report/${encodeURIComponent(f)}`, download: f }, f))),
    body.files.map(f => element("li", {}, element("a", { href: `/runs/${encodeURIComponent(name)}/files/${encodeURIComponent(f)}`, download: f }, f))));
  const parts = [head, body.message ? element("p", { class: "error" }, body.message) : null,
    element("h4", {}, "Downloads: the board pack and the results files"), downloads];
  if (body.report.includes("board-pack.html")) {
    parts.push(element("iframe", { id: "board-pack", title: "Board pack", src: `/runs/${encodeURIComponent(name)}/report/board-pack.html?view=1` }));
  } else {
    parts.push(element("p", {}, "There is no board pack for this run yet. ",
      element("button", { type: "button", onclick: () => resumeRun(name) }, "Make the board pack")));
  }
  result.replaceChildren(...parts.filter(Boolean));
}

function actions(run) {
  const out = [];
  if (run.state === "done") out.push(element("button", { type: "button", class: "open", onclick: () => { showRun(run.name); $("#results").scrollIntoView(); } }, "Open"));
  if (run.state === "interrupted") out.push(element("button", { type: "button", class: "resume", onclick: () => resumeRun(run.name) }, "Resume"));
  if (run.state === "failed" || run.state === "interrupted") out.push(element("button", { type: "button", onclick: () => showRun(run.name) }, "Details"));
  if (run.state === "queued" || run.state === "running" || run.state === "interrupted")
    out.push(element("button", { type: "button", class: "cancel", onclick: () => cancelRun(run.name) }, run.state === "interrupted" ? "Discard" : "Cancel"));
  return out;
}

async function refresh() {
  const { ok, body } = await call("GET", "/api/runs");
  if (!ok) return;
  const active = body.filter(r => r.state === "queued" || r.state === "running");
  $("#queue").replaceChildren(...active.map(progressCard));
  $("#runs tbody").replaceChildren(...body.map(r => element("tr", { "data-run": r.name, class: r.state },
    element("td", {}, r.name),
    element("td", {}, (r.options || []).join(", "), r.replications ? element("span", { class: "note" }, ` (${r.replications} replications, seed ${r.seed})`) : null),
    element("td", {}, when(r.started || r.created)),
    element("td", {}, r.state + (r.message ? `: ${r.message}` : "")), element("td", {}, actions(r)))));
  const shown = body.find(r => r.name === state.shown);
  if (shown && $("#result").dataset.run !== shown.name || shown && $("#result").dataset.state !== shown.state) showRun(shown.name);
  clearTimeout(state.polling);
  state.polling = setTimeout(refresh, active.length ? 1000 : 5000);
}

function init() {
  $("#base").addEventListener("change", pickBase);
  $("#tabs").addEventListener("click", e => { if (e.target.dataset.section) showSection(e.target.dataset.section); });
  $("#filter").addEventListener("input", applyFilter);
  $("#option-name").addEventListener("input", () => { $("#option-name").dataset.auto = "0"; });
  $("#check").addEventListener("click", () => submitOption(false));
  $("#save").addEventListener("click", () => submitOption(true));
  $("#run").addEventListener("click", startRun);
  loadScenarios().then(pickBase);
  refresh();
}

init();
