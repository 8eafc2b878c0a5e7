// brink workbench: shows the scenario's fields (from the server's JSON view of its TOML), sends
// each edit to the server, and renders the engine's documents the server streams back. No number
// is computed here: every forecast is the engine's, as `brink run --format json` writes it.
"use strict";

const $ = (id) => document.getElementById(id);
let state = null; // the session's state (GET /api/state)
let shape = ""; // the structure of the shown scenario: a new shape re-renders the editor
let run = null; // { id, controller, version }
let point = null, forecast = null, given = null, trees = [];
const unevidenced = new Set(); // rows whose numbers were changed without new evidence

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of kids.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function say(text, bad) {
  const m = $("message");
  m.textContent = text || "";
  m.className = bad ? "bad" : "";
}

async function api(path, body) {
  const opts = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const r = await fetch(path, opts);
  const j = await r.json().catch(() => ({ error: `answer ${r.status}` }));
  if (!r.ok) throw new Error(j.error || `answer ${r.status}`);
  return j;
}

// ---------------------------------------------------------------------------------------------
// The scenario's fields

const KEYS = new Set(["id", "actor", "issue", "source", "brink"]); // references: shown, not edited
const SECTIONS = [
  ["scenario", "Scenario"], ["sources", "Sources"], ["actors", "Actors"], ["issues", "Issues"],
  ["stances", "Stances"], ["types", "Hypotheses (types)"], ["updates", "Dated updates"],
  ["crises", "Crises"], ["onset", "Onset coding"],
];
const FORMS = { triangular: ["low", "mode", "high"], uniform: ["low", "high"] };

function shapeOf(v) {
  if (Array.isArray(v)) return "[" + v.map(shapeOf).join(",") + "]";
  if (v && typeof v === "object") return "{" + Object.keys(v).map((k) => k + ":" + shapeOf(v[k])).join(",") + "}";
  return typeof v;
}

function rowTitle(section, row) {
  if (section === "stances") return `${row.actor} on ${row.issue}`;
  return row.name || row.id || row.title || row.what || row.citation || "";
}

function numberInput(path, value) {
  return el("input", { type: "number", step: "any", value: value, "data-path": path, "aria-label": path, onchange: onNumber });
}

function textInput(path, value, long) {
  const attrs = { "data-path": path, "aria-label": path, onchange: onText };
  if (long) { const t = el("textarea", attrs); t.value = value; return t; }
  return el("input", { type: "text", value: value, ...attrs });
}

// An uncertain number: a plain number, or a distribution with its parameters.
function isUncertain(v) {
  if (typeof v === "number") return true;
  if (!v || typeof v !== "object" || Array.isArray(v)) return false;
  const ks = Object.keys(v).filter((k) => k !== "point");
  return ks.length === 1 && ["triangular", "uniform", "normal", "beta"].includes(ks[0]);
}

function uncertain(path, v) {
  const box = el("span", { class: "unc", "data-field": path });
  if (typeof v === "number") { box.append(numberInput(path, v)); return box; }
  for (const [form, params] of Object.entries(v)) {
    if (form === "point") { box.append(el("label", { text: "point" }), numberInput(`${path}.point`, params)); continue; }
    box.append(el("span", { class: "form", text: form }));
    if (Array.isArray(params)) {
      params.forEach((x, i) => box.append(el("label", { text: (FORMS[form] || [])[i] || `[${i}]` }), numberInput(`${path}.${form}[${i}]`, x)));
    } else {
      for (const [k, x] of Object.entries(params)) box.append(el("label", { text: k }), numberInput(`${path}.${form}.${k}`, x));
    }
  }
  return box;
}

function evidenceList(path, ev) {
  return el("div", { "data-field": path }, ev.map((q) => el("div", { class: "evidence" },
    el("span", { text: `“${q.quote}” ` }), el("span", { class: "src", text: q.source ? `(${q.source})` : "" }))));
}

function addQuote(rowPath, row) {
  const sources = (state.doc.sources || []).map((s) => s.id);
  const sel = el("select", { "aria-label": `${rowPath} source` }, sources.map((s) => el("option", { value: s, text: s })));
  const quote = el("input", { type: "text", placeholder: "a quote from the source", "aria-label": `${rowPath} new quote` });
  const add = el("button", { type: "button", text: "+ quote", onclick: async () => {
    if (!quote.value.trim()) return;
    const ev = (row.evidence || []).concat([{ source: sel.value, quote: quote.value.trim() }]);
    unevidenced.delete(rowPath);
    await edit([{ path: `${rowPath}.evidence`, value: ev }]);
  } });
  return el("div", { class: "field" }, el("span", { class: "key", text: "new evidence" }), sel, quote, add);
}

function fields(path, obj) {
  const out = [];
  for (const [k, v] of Object.entries(obj)) {
    const p = path ? `${path}.${k}` : k;
    if (k === "evidence" && Array.isArray(v)) { out.push(el("div", { class: "field", "data-field": p }, el("span", { class: "key", text: "evidence" })), evidenceList(p, v)); continue; }
    if (k === "assumed" && typeof v === "string") {
      out.push(el("div", { class: "field assumed", "data-field": p }, el("span", { class: "key", text: "assumed" }), textInput(p, v, true)));
      continue;
    }
    if (isUncertain(v)) { out.push(el("div", { class: "field", "data-field": p }, el("span", { class: "key", text: k }), uncertain(p, v))); continue; }
    if (typeof v === "string") {
      const ro = KEYS.has(k);
      out.push(el("div", { class: "field", "data-field": p }, el("span", { class: "key", text: k }),
        ro ? el("span", { class: "ro", text: v }) : textInput(p, v, v.length > 60)));
      continue;
    }
    if (typeof v === "boolean") { out.push(el("div", { class: "field", "data-field": p }, el("span", { class: "key", text: k }), el("span", { class: "ro", text: String(v) }))); continue; }
    if (Array.isArray(v)) {
      const box = el("div", { class: "field", "data-field": p }, el("span", { class: "key", text: k }));
      const inner = el("div", { style: "flex-basis:100%;margin-left:1em" });
      v.forEach((x, i) => {
        const q = `${p}[${i}]`;
        if (x && typeof x === "object" && !isUncertain(x)) inner.append(el("div", { "data-field": q, style: "border-left:2px solid #e3e7eb;padding-left:6px;margin:2px 0" }, fields(q, x)));
        else if (isUncertain(x)) inner.append(uncertain(q, x));
        else inner.append(el("span", { class: "ro", text: JSON.stringify(x) + " " }));
      });
      box.append(inner);
      out.push(box);
      continue;
    }
    if (v && typeof v === "object") {
      out.push(el("div", { class: "field", "data-field": p }, el("span", { class: "key", text: k }),
        el("div", { style: "flex-basis:100%;margin-left:1em" }, fields(p, v))));
    }
  }
  return out;
}

function renderEditor() {
  const box = $("editor");
  const open = new Set([...box.querySelectorAll("details[open]")].map((d) => d.dataset.field));
  const scroll = window.scrollY;
  box.replaceChildren();
  const doc = state.doc;
  for (const [key, title] of SECTIONS) {
    const v = doc[key];
    if (v === undefined) continue;
    box.append(el("h2", { text: title }));
    if (Array.isArray(v)) {
      v.forEach((row, i) => {
        const p = `${key}[${i}]`;
        const d = el("details", { class: "row", "data-field": p, open: open.has(p) || (key === "stances" && open.size === 0 && i < 2) },
          el("summary", {}, el("span", { text: rowTitle(key, row) + " " }), el("span", { class: "unevidenced", "data-unevidenced": p, hidden: !unevidenced.has(p), text: "changed without new evidence" })),
          fields(p, row));
        if (key !== "sources" && (row.evidence || row.assumed !== undefined)) d.append(addQuote(p, row));
        box.append(d);
      });
    } else if (v && typeof v === "object") {
      box.append(el("div", { "data-field": key }, fields(key, v)));
    }
  }
  window.scrollTo(0, scroll);
}

function updateValues() {
  for (const input of $("editor").querySelectorAll("[data-path]")) {
    const v = getPath(state.doc, input.dataset.path);
    if (v === undefined) continue;
    const s = String(v);
    if (input.value !== s && document.activeElement !== input) input.value = s;
  }
}

function getPath(obj, path) {
  let cur = obj;
  for (const part of path.split(".")) {
    const m = part.match(/^([^[]+)((\[\d+\])*)$/);
    if (!m) return undefined;
    cur = cur?.[m[1]];
    for (const ix of m[2].matchAll(/\[(\d+)\]/g)) cur = cur?.[Number(ix[1])];
  }
  return cur;
}

function parentPath(p) {
  if (p.endsWith("]")) return p.slice(0, p.lastIndexOf("["));
  const i = p.lastIndexOf(".");
  return i < 0 ? "" : p.slice(0, i);
}

// Each problem goes to its field (or the nearest enclosing one); the rest at the top.
function showProblems() {
  const ed = $("editor");
  ed.querySelectorAll(".problem").forEach((e) => e.remove());
  ed.querySelectorAll(".invalid").forEach((e) => e.classList.remove("invalid"));
  ed.querySelectorAll(".has-problem").forEach((e) => e.classList.remove("has-problem"));
  const top = $("problems");
  top.replaceChildren();
  const probs = state.problems || [];
  if (probs.length) top.append(el("h2", { text: `The scenario does not validate (${probs.length} problem${probs.length === 1 ? "" : "s"})` }));
  for (const pr of probs) {
    const msg = el("div", { class: "problem", "data-problem": pr.path, text: pr.text });
    top.append(msg);
    let p = pr.path, target = null;
    while (p && !target) {
      target = ed.querySelector(`[data-path="${CSS.escape(p)}"]`) || ed.querySelector(`[data-field="${CSS.escape(p)}"]`);
      if (!target) p = parentPath(p);
    }
    if (!target) continue;
    // The inputs of the field at fault (the path itself, or the parameters under it).
    for (const i of ed.querySelectorAll("[data-path]")) {
      const q = i.dataset.path;
      if (pr.path && (q === pr.path || q.startsWith(pr.path + ".") || q.startsWith(pr.path + "["))) i.classList.add("invalid");
    }
    if (target.matches("input, textarea")) target = target.closest(".field") || target;
    const row = target.closest("details.row");
    if (row) { row.classList.add("has-problem"); row.open = true; }
    const inline = el("div", { class: "problem", "data-inline-problem": pr.path, text: pr.text });
    if (target.tagName === "DETAILS") target.querySelector("summary").after(inline); else target.append(inline);
  }
}

function showState(s, rerun = true) {
  state = s;
  $("name").textContent = s.name;
  $("dirty").hidden = !s.dirty;
  $("undo").disabled = !s.can_undo;
  $("redo").disabled = !s.can_redo;
  if (s.file) $("save-as").value = s.file;
  const sh = shapeOf(s.doc);
  if (sh !== shape) { shape = sh; renderEditor(); } else updateValues();
  for (const b of document.querySelectorAll("[data-unevidenced]")) b.hidden = !unevidenced.has(b.dataset.unevidenced);
  showProblems();
  if (rerun) startRun();
}

function rowOf(path) {
  const m = path.match(/^([a-z_]+\[\d+\])/);
  return m ? m[1] : null;
}

async function edit(edits) {
  try {
    showState(await api("/api/edit", { edits }));
    say("");
  } catch (e) { say(e.message, true); }
}

function onNumber(ev) {
  const t = ev.target;
  if (t.value.trim() === "" || !Number.isFinite(Number(t.value))) {
    t.classList.add("invalid");
    say(`${t.dataset.path}: a number is needed`, true);
    return;
  }
  const row = rowOf(t.dataset.path);
  if (row && !/^(sources)\[/.test(row)) unevidenced.add(row);
  edit([{ path: t.dataset.path, value: Number(t.value) }]);
}

function onText(ev) {
  const t = ev.target;
  const path = t.dataset.path;
  if (path.endsWith(".assumed")) unevidenced.delete(rowOf(path));
  edit([{ path, value: t.value }]);
}

// ---------------------------------------------------------------------------------------------
// Runs: the engine's documents, streamed

function runOptions() {
  return { draws: Math.max(0, Math.floor(Number($("draws").value) || 0)), seed: Math.max(0, Math.floor(Number($("seed").value) || 0)), given: true };
}

async function startRun(extra) {
  // Before the scenario has loaded there is nothing to run: the first run starts when it has
  // (showState), with the draws and seed as they are then.
  if (!state) return;
  if (run) run.controller.abort();
  const controller = new AbortController();
  const me = { id: null, controller, version: state.version };
  run = me;
  $("forecasts").classList.add("stale");
  $("crises").classList.add("stale");
  $("progress").hidden = false;
  $("progress-bar").value = 0;
  $("progress-text").textContent = "running";
  $("run-status").textContent = "";
  try {
    const r = await fetch("/api/run", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ...runOptions(), ...(extra || {}) }), signal: controller.signal });
    if (!r.ok) { const j = await r.json().catch(() => ({})); throw new Error(j.error || `answer ${r.status}`); }
    const reader = r.body.getReader();
    const dec = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i); buf = buf.slice(i + 1);
        if (line.trim() && run === me) onEvent(me, JSON.parse(line));
      }
    }
  } catch (e) {
    if (e.name !== "AbortError" && run === me) say(e.message, true);
  } finally {
    if (run === me) { $("progress").hidden = true; run = null; }
  }
}

function onEvent(me, ev) {
  switch (ev.event) {
    case "started": me.id = ev.run; break;
    case "problems": point = forecast = null; $("forecasts").replaceChildren(el("p", { text: "No forecast: the scenario does not validate (see the problems above)." })); $("crises").replaceChildren(); break;
    case "point": point = ev.forecast; trees = ev.trees || []; forecast = null; renderForecast(); break;
    case "forecast": forecast = ev.forecast; renderForecast(); break;
    case "given": given = ev.forecast; renderForecast(); break;
    case "progress": $("progress-bar").max = ev.total || 1; $("progress-bar").value = ev.done; $("progress-text").textContent = `${ev.done} / ${ev.total} draws`; break;
    case "sensitivity": renderSensitivity(ev.sensitivity); break;
    case "error": say(ev.message, true); break;
    case "done": {
      const mc = forecast && forecast.montecarlo;
      const status = ev.stopped ? `stopped: ${mc ? `${mc.draws_done} of ${mc.draws_requested} draws` : "before the draws"}` : (mc ? `${mc.draws_done} draws, seed ${mc.seed}` : "point estimates");
      $("run-status").textContent = status;
      $("run-status").dataset.stopped = ev.stopped ? "true" : "false";
      $("run-status").dataset.done = "true";
      $("run-status").dataset.version = String(me.version);
      break;
    }
  }
}

function fmt(x, d = 2) { return typeof x === "number" && Number.isFinite(x) ? x.toFixed(d) : "–"; }

const KNOWN_FORECAST_KEYS = new Set(["model", "kind", "value", "label", "decisive", "blockers", "reason", "explanation", "trace", "distribution"]);

function distBar(issue, s) {
  const w = 160, h = 14, lo = issue.min, hi = issue.max;
  const x = (v) => ((v - lo) / (hi - lo || 1)) * w;
  const q = (l) => (s.quantiles.find((t) => Math.abs(t.q - l) < 1e-9) || {}).value;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", w); svg.setAttribute("height", h); svg.setAttribute("class", "bar-svg");
  const add = (tag, a) => { const e = document.createElementNS(ns, tag); for (const [k, v] of Object.entries(a)) e.setAttribute(k, v); svg.append(e); };
  add("line", { x1: 0, x2: w, y1: h / 2, y2: h / 2, stroke: "#d5dbe1" });
  const [a, b, c, d, m] = [q(0.05), q(0.25), q(0.75), q(0.95), q(0.5)];
  if (a !== undefined && d !== undefined) add("line", { x1: x(a), x2: x(d), y1: h / 2, y2: h / 2, stroke: "#1f5fa8" });
  if (b !== undefined && c !== undefined) add("rect", { x: x(b), y: 3, width: Math.max(1, x(c) - x(b)), height: h - 6, fill: "#9bbbe0" });
  if (m !== undefined) add("line", { x1: x(m), x2: x(m), y1: 1, y2: h - 1, stroke: "#0b2e57", "stroke-width": 2 });
  return svg;
}

function extras(obj, known) {
  const rest = Object.fromEntries(Object.entries(obj).filter(([k]) => !known.has(k)));
  return Object.keys(rest).length ? el("div", { class: "extra", text: JSON.stringify(rest, null, 1) }) : null;
}

function renderForecast() {
  const doc = forecast || point;
  if (!doc) return;
  const edited = state && state.dirty;
  const base = edited && given ? given : null;
  const box = $("forecasts");
  box.replaceChildren(el("h2", { text: `Issues${forecast ? "" : point ? " (point estimates; draws running)" : ""}` }));
  for (const is of doc.issues) {
    const gis = base && base.issues.find((g) => g.id === is.id);
    const t = el("table", { "data-issue": is.id },
      el("tr", {}, el("th", { text: "model" }), el("th", { class: "num", text: "as given" }), el("th", { class: "num", text: edited ? "as edited" : "" }),
        el("th", { text: "nearest point of the scale" }), el("th", { text: "5–95% (box 25–75%, median)" }), el("th", { text: "decided by" })));
    for (const f of is.forecasts) {
      const g = gis && gis.forecasts.find((x) => x.model === f.model);
      const val = f.kind === "not_covered" ? "not covered" : fmt(f.value);
      const changed = g && g.value !== f.value;
      const s = f.distribution && f.distribution.summary;
      const cell = el("td", { class: "num" + (changed ? " changed" : ""), "data-model": f.model, "data-value": f.value === null ? "" : String(f.value), text: val + (f.kind === "no_agreement" ? " (no agreement)" : "") });
      const tr = el("tr", { "data-row": `${is.id}:${f.model}` },
        el("td", { text: f.model }),
        edited ? el("td", { class: "num", "data-given": f.model, text: g ? fmt(g.value) : "…" }) : cell,
        edited ? cell : el("td", {}),
        el("td", { class: "label", text: f.label || f.reason || "" }),
        el("td", {}, s ? [distBar(is, s), el("span", { class: "label", text: ` ${fmt(s.quantiles[0]?.value, 1)}–${fmt(s.quantiles[s.quantiles.length - 1]?.value, 1)}` })] : (f.distribution ? el("span", { class: "label", text: `no value in ${f.distribution.n} draws` }) : "")),
        el("td", { class: "label", text: (f.blockers && f.blockers.length ? "blocked by " + f.blockers.join(", ") : (f.decisive || []).join(", ")) }));
      t.append(tr);
      const ex = extras(f, KNOWN_FORECAST_KEYS);
      if (ex) t.append(el("tr", {}, el("td", {}), el("td", { colspan: 5 }, ex)));
    }
    box.append(el("h3", { text: `${is.name} [${is.min}–${is.max}]` }), t);
  }
  box.classList.toggle("stale", !!run && !forecast && runOptions().draws > 0);
  renderCrises(doc);
  renderTypes(doc);
}

function isProbabilities(v) {
  return v && typeof v === "object" && Array.isArray(v.outcomes) && v.outcomes.every((o) => o && "outcome" in o && "p" in o);
}

function renderCrises(doc) {
  const box = $("crises");
  box.classList.remove("stale");
  box.replaceChildren();
  if (!doc.crises.length) return;
  box.append(el("h2", { text: "Crises" }));
  doc.crises.forEach((c, i) => {
    box.append(el("h3", { text: c.name }));
    if (c.error) box.append(el("p", { class: "problem", text: c.error }));
    const eq = c.equilibrium;
    if (eq) {
      box.append(el("p", {}, el("span", { text: `${eq.concept}; ${eq.equilibria} equilibri${eq.equilibria === 1 ? "um" : "a"}; largest regret ${eq.max_regret.toExponential(2)}` })));
      box.append(el("table", { "data-crisis": c.crisis, "data-kind": "equilibrium" }, el("tr", {}, el("th", { text: "outcome on the equilibrium path" }), el("th", { class: "num", text: "p" })),
        eq.outcomes.map((o) => el("tr", {}, el("td", { text: o.outcome }), el("td", { class: "num", text: fmt(o.p, 3) })))));
      box.append(el("details", {}, el("summary", { text: "path" }), el("ol", {}, eq.path.map((s) => el("li", { text: s })))));
      if (eq.red_lines_crossed.length) box.append(el("p", { class: "label", text: "red lines crossed: " + eq.red_lines_crossed.join("; ") }));
    }
    // Every way of putting probabilities on the outcomes the document carries (the game's over
    // the draws, a reference class, a combination): one table each.
    for (const [k, v] of Object.entries(c)) {
      if (!isProbabilities(v)) continue;
      box.append(el("table", { "data-crisis": c.crisis, "data-kind": k },
        el("tr", {}, el("th", { text: `${k.replace(/_/g, " ")}${v.draws !== undefined ? ` (${v.draws} draws)` : ""}` }), el("th", { class: "num", text: "p" }), el("th", { class: "num", text: "95% interval" })),
        v.outcomes.map((o) => el("tr", {}, el("td", { text: o.outcome }), el("td", { class: "num", "data-p": o.p, text: fmt(o.p, 3) }),
          el("td", { class: "num", text: o.interval ? `${fmt(o.interval.lo, 3)}–${fmt(o.interval.hi, 3)}` : "" })))));
      const ex = extras(v, new Set(["outcomes", "draws", "unsolved", "unsolved_reason"]));
      if (ex) box.append(ex);
    }
    const ex = extras(c, new Set(["crisis", "name", "equilibrium", "error", ...Object.keys(c).filter((k) => isProbabilities(c[k]))]));
    if (ex) box.append(ex);
    if (trees[i]) {
      const d = el("details", { class: "tree" }, el("summary", { text: "game tree and equilibrium path" }));
      const svg = new DOMParser().parseFromString(trees[i], "image/svg+xml").documentElement;
      if (svg && svg.nodeName === "svg") d.append(document.importNode(svg, true));
      box.append(d);
    }
  });
}

function renderTypes(doc) {
  const box = $("types");
  box.replaceChildren();
  if (!doc.types || !doc.types.length) return;
  box.append(el("h2", { text: "Rival hypotheses" }), el("table", {},
    el("tr", {}, el("th", { text: "actor" }), el("th", { text: "hypothesis" }), el("th", { class: "num", text: "prior" }), el("th", { class: "num", text: "after updates" })),
    doc.types.map((t) => el("tr", {}, el("td", { text: t.actor_name }), el("td", { text: t.name }), el("td", { class: "num", text: fmt(t.prior, 3) }), el("td", { class: "num", text: fmt(t.posterior, 3) })))));
}

function renderSensitivity(s) {
  const box = $("sensitivity-out");
  box.replaceChildren();
  for (const t of s.tornado) {
    if (!t.swings.length) continue;
    box.append(el("h3", { text: `${t.issue}, ${t.model} (base ${fmt(t.base)})` }), el("table", {},
      t.swings.slice(0, 5).map((w) => el("tr", {}, el("td", { text: w.name }), el("td", { class: "num", text: `${fmt(w.at_low)} → ${fmt(w.at_high)}` }), el("td", { class: "num", text: fmt(w.swing) })))));
  }
}

// ---------------------------------------------------------------------------------------------
// The bar

async function refreshFiles() {
  const { files } = await api("/api/files");
  const sel = $("files");
  sel.replaceChildren(el("option", { value: "", text: "…" }), ...files.map((f) => el("option", { value: f, text: f })));
}

async function open(body) {
  try {
    unevidenced.clear();
    given = null; point = forecast = null; shape = "";
    showState(await api("/api/open", body));
    say(`opened ${state.name}`);
  } catch (e) { say(e.message, true); }
}

async function step(which) {
  try { showState(await api(`/api/${which}`, {})); } catch (e) { say(e.message, true); }
}

function wire() {
  $("files").addEventListener("change", (e) => { if (e.target.value) open({ file: e.target.value }); });
  $("open-builtin").addEventListener("click", () => open({ builtin: true }));
  $("open-new").addEventListener("click", () => open({ new: true }));
  $("undo").addEventListener("click", () => step("undo"));
  $("redo").addEventListener("click", () => step("redo"));
  $("save").addEventListener("click", async () => {
    const file = $("save-as").value.trim();
    try {
      showState(await api("/api/save", file ? { file } : {}), false);
      given = forecast || point; renderForecast();
      say(`saved ${state.file}`);
      refreshFiles();
    } catch (e) { say(e.message, true); }
  });
  $("cancel").addEventListener("click", async () => {
    // Before the run has said its id, every run is stopped (there is only the page's).
    if (run) { try { await api("/api/cancel", run.id !== null ? { run: run.id } : {}); } catch (e) { say(e.message, true); } }
  });
  $("sensitivity").addEventListener("click", () => startRun({ sensitivity: true }));
  for (const id of ["draws", "seed"]) {
    const saved = localStorage.getItem(`brink.${id}`);
    if (saved !== null) $(id).value = saved;
    $(id).addEventListener("change", () => { localStorage.setItem(`brink.${id}`, $(id).value); startRun(); });
  }
  $("report").addEventListener("click", () => {
    const o = runOptions();
    $("report").href = `/api/report?draws=${o.draws}&seed=${o.seed}`;
  });
  document.addEventListener("keydown", (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.target.matches("input, textarea")) return;
    if (e.key === "z") { e.preventDefault(); step("undo"); }
    if (e.key === "y") { e.preventDefault(); step("redo"); }
  });
}

async function main() {
  wire();
  try {
    await refreshFiles();
    showState(await api("/api/state"));
  } catch (e) { say(e.message, true); }
}

main();
