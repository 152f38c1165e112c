// mlplab playground front end: plain JS, no build step, no network besides this server.
// The server owns the model and the setup: this page sends what the user does, draws the
// frames it gets, and keeps the share link. Its defaults, choices, words (English and
// Korean, from mlplab.i18n) and lessons come from the server (static/page-data.js: PAGE).
"use strict";

const OPT = PAGE.options, W = PAGE.words, DEFAULTS = PAGE.defaults;
const FEATURES = OPT.features, HIDABLE = OPT.hidable;
const DS_KEY = { classification: "dataset", regression: "regDataset", multiclass: "mcDataset" };
const CLASS_COLORS = [[245, 147, 34], [8, 119, 189], [46, 160, 67], [200, 60, 160], [120, 80, 200], [90, 90, 90]];

const $ = (id) => document.getElementById(id);
let linkNotes = null; // the server's `link` reply when the link left something out
let lang = PAGE.lang || ((navigator.language || "en").toLowerCase().startsWith("ko") ? "ko" : "en");
let state = null; // the session's full state (from the server's data messages)
let ws = null, sessionId = null, data = null, frame = null, pending = false, playing = false;
let hist = [], thumbnails = null, limits = {}, lesson = null, hintsShown = 0;
let upload = null; // {text} of the CSV file in use
let dataCount = 0; // data messages received (tests wait for the next one)
// access token: ?token=... or #token=... (the form the server prints); kept in the link
const hashToken = (location.hash.match(/[#&]token=([^&]*)/) || [])[1];
const token = new URLSearchParams(location.search).get("token") || (hashToken ? decodeURIComponent(hashToken) : "");

function t(key, vars) {
  const w = W[key];
  let s = w ? w[lang] || w.en : key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, v);
  return s;
}
const optLabel = (id, v) => (id === "lrSchedule" ? t("sched_" + v) : W[v] ? t(v) : String(v));

// ---------------------------------------------------------------- share link (mlplab's form)
// The server reads links (TF's form too: mlplab.playground.links); the page writes its own.
function serialize() {
  if (!state) return;
  const parts = [];
  for (const k of Object.keys(DEFAULTS)) {
    if (k === "hide") continue;
    const v = state[k];
    parts.push(k + "=" + encodeURIComponent(Array.isArray(v) ? v.join(",") : String(v)).replace(/%2C/g, ","));
  }
  for (const h of state.hide) parts.push(h + "_hide=true");
  parts.push("lang=" + lang);
  if (data && data.lesson) parts.push("lesson=" + encodeURIComponent(data.lesson));
  if (hashToken !== undefined) parts.unshift("token=" + encodeURIComponent(token));
  history.replaceState(null, "", "#" + parts.join("&"));
  $("shareLink").value = location.href;
}

// ---------------------------------------------------------------- socket
// Everything goes over this one socket (uploads, imports and exports too), so whichever
// server process holds it holds the whole session.
let retry = 1500;
function connect() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const q = new URLSearchParams();
  if (token) q.set("token", token);
  if (sessionId) q.set("session", sessionId);
  q.set("link", location.hash.replace(/^#/, "")); // a new session starts from the link
  q.set("drawn", "1"); // we say when a frame is drawn: no frame is built for nothing
  ws = new WebSocket(`${proto}//${location.host}/ws?${q}`);
  setStatus(t("connecting"));
  ws.onopen = () => { retry = 1500; };
  ws.onmessage = (ev) => onMessage(JSON.parse(ev.data));
  ws.onclose = (ev) => {
    setStatus(t("disconnected"));
    if (ev.code === 4403) return; // wrong token: the error says so; reconnecting cannot help
    setTimeout(connect, retry); retry = Math.min(30000, retry * 2); // full or down: back off
  };
}
function send(obj) {
  if (!ws || ws.readyState !== 1) return false;
  const text = JSON.stringify(obj);
  if (limits.maxMessageBytes && text.length > limits.maxMessageBytes) { showError(t("tooLarge")); return false; }
  ws.send(text); return true;
}
function sendConfig(fields) {
  Object.assign(state, fields);
  serialize();
  send({ type: "config", state: fields });
}
function onMessage(m) {
  if (m.type === "hello") {
    sessionId = m.session; setStatus(""); limits = m.limits || {};
    if (m.thumbnails) thumbnails = m.thumbnails;
  } else if (m.type === "link") {
    if (m.lang) lang = m.lang;
    linkNotes = m.notes && m.notes.length ? m : null;
    if (linkNotes) $("notes").hidden = false;
    applyLang();
  } else if (m.type === "error") {
    showError(lang === "ko" && m.ko ? m.ko : m.message); // the server's line in the page's language
  } else if (m.type === "notice") {
    showError(t(m.key));
  } else if (m.type === "lesson") {
    lesson = m.name ? m : null; hintsShown = 0; showLesson();
  } else if (m.type === "uploaded") {
    onUploaded(m);
  } else if (m.type === "imported") {
    setStatus(t("imported"));
  } else if (m.type === "file") {
    saveFile(m);
  } else if (m.type === "data") {
    data = m; state = m.state; hist = []; dataCount++;
    document.body.classList.remove("loading");
    serialize(); syncControls(); buildNetwork(); drawPoints(); drawAxes(); drawLegend(); showLesson();
  } else if (m.type === "frame") {
    if (m.histFull) hist = m.hist.slice(); else hist.push(...m.hist);
    frame = m;
    if (!pending) { pending = true; requestAnimationFrame(render); }
  }
}
function showError(msg) {
  const el = $("error"); el.textContent = msg; el.hidden = false;
  clearTimeout(showError.timer); showError.timer = setTimeout(() => { el.hidden = true; }, 6000);
}
function setStatus(s) { $("status").textContent = s; }
function saveFile(m) { // an export: the server sends the file, the page saves it
  const body = m.base64 !== undefined ? b64(m.base64) : m.text;
  const url = URL.createObjectURL(new Blob([body], { type: m.mime }));
  const a = document.createElement("a"); a.href = url; a.download = m.name;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}
function toBase64(buf) {
  const bytes = new Uint8Array(buf); let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
function b64(s) { const bin = atob(s); const a = new Uint8Array(bin.length); for (let i = 0; i < bin.length; i++) a[i] = bin.charCodeAt(i); return a; }

// ---------------------------------------------------------------- colours
function hex(c) { return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)); }
const ORANGE = hex("#f59322"), GREY = hex("#e8eaeb"), BLUE = hex("#0877bd");
function scale(v) { // v in [-1, 1] -> rgb, 31 shades like TF
  v = Math.max(-1, Math.min(1, v));
  const q = Math.round((v + 1) * 15) / 15 - 1; // 31 levels
  const [a, b, f] = q < 0 ? [ORANGE, GREY, q + 1] : [GREY, BLUE, q];
  return a.map((x, i) => Math.round(x + (b[i] - x) * f));
}
const LUT = new Uint8ClampedArray(256 * 4), LUT_D = new Uint8ClampedArray(256 * 4);
for (let q = 0; q < 256; q++) {
  const c = q === 255 ? [150, 150, 150] : scale(q / 127 - 1);
  const d = q === 255 ? [150, 150, 150] : scale(q >= 127 ? 1 : -1);
  LUT.set([...c, 160], q * 4); LUT_D.set([...d, 160], q * 4);
}
const imageCache = new WeakMap();
function paint(canvas, bytes, offset, n, conf, discrete) {
  let img = imageCache.get(canvas);
  if (!img || img.width !== n) { img = canvas.getContext("2d").createImageData(n, n); imageCache.set(canvas, img); }
  const lut = discrete ? LUT_D : LUT, px = img.data;
  const multi = data && data.problem === "multiclass" && conf;
  for (let i = 0; i < n * n; i++) {
    const q = bytes[offset + i];
    if (multi) {
      const c = q === 255 ? [150, 150, 150] : CLASS_COLORS[q % 6];
      px[i * 4] = c[0]; px[i * 4 + 1] = c[1]; px[i * 4 + 2] = c[2];
      px[i * 4 + 3] = discrete ? 160 : Math.round(40 + 150 * (conf[i] / 254));
    } else {
      const j = q * 4;
      px[i * 4] = lut[j]; px[i * 4 + 1] = lut[j + 1]; px[i * 4 + 2] = lut[j + 2]; px[i * 4 + 3] = lut[j + 3];
    }
  }
  canvas.getContext("2d").putImageData(img, 0, 0);
}

// ---------------------------------------------------------------- controls
const SELECTS = ["learningRate", "activation", "regularization", "regularizationRate", "problem", "epochsPerFrame",
  "loss", "optimizer", "lrSchedule", "init", "dropout", "numClasses"];
const NUMERIC = ["learningRate", "regularizationRate", "epochsPerFrame", "dropout", "numClasses"];
function fillSelect(id, values) {
  // TF's options first; mlplab's additions (if any) in a separate group
  const el = $(id); el.innerHTML = "";
  const add = (parent, v) => { const o = document.createElement("option"); o.value = v; o.textContent = optLabel(id, v); parent.appendChild(o); };
  if (Array.isArray(values)) { for (const v of values) add(el, v); return; }
  const g1 = document.createElement("optgroup"); g1.label = "TF Playground"; g1.dataset.group = "tf";
  const g2 = document.createElement("optgroup"); g2.label = "mlplab"; g2.dataset.group = "extra";
  for (const v of values.tf) add(g1, v);
  for (const v of values.extra) add(g2, v);
  el.append(g1, g2);
}
function buildControls() {
  for (const id of SELECTS) {
    fillSelect(id, OPT[id]);
    $(id).onchange = () => sendConfig({ [id]: NUMERIC.includes(id) ? Number($(id).value) : $(id).value });
  }
  for (const id of ["percTrainData", "noise", "batchSize"]) {
    $(id).oninput = () => { $(id + "Val").textContent = $(id).value; };
    $(id).onchange = () => sendConfig({ [id]: Number($(id).value) });
  }
  for (const id of ["batchNorm", "showTestData", "discretize", "standardize"]) {
    $(id).onchange = () => sendConfig({ [id]: $(id).checked }); // the server keeps them
  }
  $("maxEpochs").onchange = () => sendConfig({ maxEpochs: Math.max(0, Math.round(Number($("maxEpochs").value) || 0)) });
  $("targetLoss").onchange = () => sendConfig({ targetLoss: Math.max(0, Number($("targetLoss").value) || 0) });
  $("play").onclick = () => send({ type: playing ? "pause" : "play" });
  $("step").onclick = () => send({ type: "step" });
  $("reset").onclick = () => send({ type: "reset", same: true });
  $("redraw").onclick = () => send({ type: "reset", same: false });
  $("regenerate").onclick = () => send({ type: "regenerate" });
  $("addLayer").onclick = () => { if (state.networkShape.length < OPT.maxLayers) sendConfig({ networkShape: [...state.networkShape, 2] }); };
  $("removeLayer").onclick = () => { if (state.networkShape.length) sendConfig({ networkShape: state.networkShape.slice(0, -1) }); };
  $("langToggle").onclick = () => { lang = lang === "ko" ? "en" : "ko"; applyLang(); serialize(); };
  $("notesClose").onclick = () => { $("notes").hidden = true; };
  for (const p of OPT.presets) {
    const b = document.createElement("button"); b.className = "pill"; b.dataset.preset = p; b.dataset.i18n = p;
    b.onclick = () => send({ type: "preset", name: p }); $("presets").appendChild(b);
  }
  for (const l of PAGE.lessons) {
    const b = document.createElement("button"); b.className = "lessonLink"; b.dataset.lesson = l.name;
    b.onclick = () => send({ type: "lesson", name: l.name }); $("lessons").appendChild(b);
  }
  $("hintBtn").onclick = () => { hintsShown++; showLesson(); };
  $("answerBtn").onclick = () => { $("lessonAnswer").hidden = false; };
  $("applyAnswer").onclick = () => { if (lesson) sendConfig(lesson.answer); };
  $("leaveLesson").onclick = () => send({ type: "lesson", name: null });
  for (const h of [...HIDABLE, ...FEATURES]) {
    const l = document.createElement("label");
    const box = document.createElement("input"); box.type = "checkbox"; box.dataset.hide = h;
    const word = document.createElement("span"); word.dataset.i18n = hideWord(h);
    box.onchange = () => {
      const set = new Set(state.hide); box.checked ? set.add(h) : set.delete(h);
      sendConfig({ hide: [...set] }); applyHide(); buildNetwork();
    };
    l.append(box, " ", word); $("hideBoxes").appendChild(l);
  }
  // CSV upload: the server reads the file (quoted names and all) and answers with its columns
  $("csvFile").onchange = async () => {
    const f = $("csvFile").files[0]; if (!f) return;
    $("csvFile").value = "";
    if (limits.maxUploadBytes && f.size > limits.maxUploadBytes) return showError(`upload must be at most ${limits.maxUploadBytes} bytes`);
    upload = { text: await f.text() };
    send({ type: "upload", csv: upload.text });
  };
  const reupload = () => {
    if (!upload) return showError(t("chooseFile"));
    const label = Number($("colLabel").value), x = Number($("colX").value), y = Number($("colY").value);
    const features = [...document.querySelectorAll("#colFeatures input")]
      .filter((c) => c.checked && Number(c.value) !== label).map((c) => Number(c.value));
    send({ type: "upload", csv: upload.text, x, y, label, features });
  };
  for (const id of ["colX", "colY", "colLabel"]) $(id).onchange = reupload;
  $("colFeatures").onchange = reupload;
  for (const [id, format] of [["exportNpz", "npz"], ["exportJson", "json"], ["exportPy", "py"], ["exportCsv", "csv"]]) {
    $(id).onclick = (e) => { e.preventDefault(); send({ type: "export", format }); };
  }
  $("importFile").onchange = async () => {
    const f = $("importFile").files[0]; if (!f) return;
    $("importFile").value = "";
    if (limits.maxImportBytes && f.size > limits.maxImportBytes) return showError(`import: the file must be at most ${limits.maxImportBytes} bytes`);
    send({ type: "import", data: toBase64(await f.arrayBuffer()) });
  };
  const lg = $("legendBar").getContext("2d");
  for (let x = 0; x < 200; x++) { lg.fillStyle = `rgb(${scale(x / 100 - 1)})`; lg.fillRect(x, 0, 1, 10); }
}
function hideWord(h) {
  return { showTestData: "showTest", learningRate: "lr", regularizationRate: "regRate", percTrainData: "ratio",
    batchSize: "batch" }[h] || (FEATURES.includes(h) ? "feat_" + h : h);
}
function onUploaded(m) { // the server's reading of the file: fill the column choosers
  setStatus(`${t("uploaded")}: ${m.rows} × ${m.columns.length}`);
  const idx = m.columns.map((_, i) => i);
  for (const [id, v] of [["colX", m.x], ["colY", m.y], ["colLabel", m.labelIndex]]) {
    const el = $(id); el.innerHTML = "";
    for (const i of idx) { const o = document.createElement("option"); o.value = i; o.textContent = m.columns[i]; el.appendChild(o); }
    el.value = String(v);
  }
  const box = $("colFeatures"); box.innerHTML = "";
  for (const i of idx) {
    const l = document.createElement("label"), cb = document.createElement("input");
    cb.type = "checkbox"; cb.value = i;
    cb.checked = m.features.includes(i) || i === m.x || i === m.y;
    cb.disabled = i === m.labelIndex || i === m.x || i === m.y; // the plotted pair is always used
    l.append(cb, " ", m.columns[i]); box.appendChild(l);
  }
  $("columns").hidden = false;
}
function syncControls() {
  // a URL noise above the slider's 50 (up to 80) raises its max, like TF; it never drops back
  $("noise").max = String(Math.max(Number($("noise").max), state.noise));
  for (const id of [...SELECTS, "percTrainData", "noise", "batchSize", "maxEpochs", "targetLoss"]) $(id).value = String(state[id]);
  for (const id of ["percTrainData", "noise", "batchSize"]) $(id + "Val").textContent = state[id];
  for (const id of ["batchNorm", "showTestData", "discretize", "standardize"]) $(id).checked = state[id];
  $("numLayers").textContent = state.networkShape.length;
  $("layersWord").textContent = t(state.networkShape.length === 1 ? "hiddenLayer" : "hiddenLayers");
  $("numClassesBox").hidden = !(state.problem === "multiclass" && state.mcDataset === "spiral");
  const box = $("datasets"); box.innerHTML = "";
  const list = [...OPT.datasets[state.problem]]; if (state[DS_KEY[state.problem]] === "upload") list.push("upload");
  for (const name of list) {
    const d = document.createElement("div"); d.className = "ds"; d.dataset.dataset = name;
    if (state[DS_KEY[state.problem]] === name) d.classList.add("selected");
    const c = document.createElement("canvas"); c.width = 100; c.height = 100; dsThumb(c, name);
    const label = document.createElement("span"); label.textContent = t(name);
    d.append(c, label);
    d.onclick = () => sendConfig({ [DS_KEY[state.problem]]: name });
    box.appendChild(d);
  }
  for (const cb of document.querySelectorAll("[data-hide]")) cb.checked = state.hide.includes(cb.dataset.hide);
  for (const b of document.querySelectorAll("[data-lesson]")) b.classList.toggle("selected", !!data && data.lesson === b.dataset.lesson);
  applyHide();
}
function dsThumb(c, name) { // generated data: 200 points at noise 0 (like TF), from the server
  const g = c.getContext("2d"); g.fillStyle = "#f4f4f4"; g.fillRect(0, 0, 100, 100);
  const th = thumbnails && thumbnails[state.problem] && thumbnails[state.problem][name];
  c.dataset.points = th ? th.points.length : 0;
  if (!th) return;
  const d = th.domain;
  for (const [x, y, l] of th.points) {
    const col = state.problem === "multiclass" ? CLASS_COLORS[l % 6] : scale(l);
    const r = th.points.length < 20 ? 6 : 3;
    g.fillStyle = `rgb(${col})`;
    g.fillRect(((x + d) / (2 * d)) * 100 - r / 2, ((d - y) / (2 * d)) * 100 - r / 2, r, r);
  }
}
function applyHide() {
  const hidden = state ? [...state.hide, ...(state.hideText ? ["hideText"] : [])] : [];
  for (const el of document.querySelectorAll("[data-ctl]")) el.classList.toggle("hidden-ctl", hidden.includes(el.dataset.ctl));
}
function showLinkNotes() { // what the link left out, in the page's language
  if (linkNotes) $("notesText").textContent = (lang === "ko" && linkNotes.notes_ko ? linkNotes.notes_ko : linkNotes.notes).join(" · ");
}
function applyLang() {
  document.documentElement.lang = lang;
  showLinkNotes();
  $("langToggle").textContent = t("langToggle");
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  for (const el of document.querySelectorAll("[data-lesson]")) {
    const l = PAGE.lessons.find((x) => x.name === el.dataset.lesson); el.textContent = l.title[lang];
  }
  for (const id of SELECTS) for (const o of $(id).options) o.textContent = optLabel(id, o.value);
  if (state) { syncControls(); buildNetwork(); drawPoints(); drawLegend(); showLesson(); if (frame) render(); }
}

// ---------------------------------------------------------------- lessons
function showLesson() {
  const bar = $("lessonBar");
  bar.hidden = !lesson;
  if (!lesson) return;
  $("lessonTitle").textContent = lesson.title[lang];
  $("lessonQuestion").textContent = lesson.question[lang];
  $("lessonGoal").textContent = lesson.goal[lang];
  const ol = $("lessonHints"); ol.innerHTML = "";
  lesson.hints.slice(0, hintsShown).forEach((h) => { const li = document.createElement("li"); li.textContent = h[lang]; ol.appendChild(li); });
  $("hintBtn").hidden = hintsShown >= lesson.hints.length;
  $("answerBtn").hidden = !Object.keys(lesson.answer).length;
  $("answerText").textContent = Object.entries(lesson.answer).map(([k, v]) => `${settingName(k)} = ${settingValue(k, v)}`).join(", ");
  $("explanationText").textContent = lesson.explanation[lang] || "";
  showGoal();
}
function settingName(k) {
  return t({ learningRate: "lr", regularizationRate: "regRate", networkShape: "hiddenLayers", batchSize: "batch",
    percTrainData: "ratio", lrSchedule: "schedule" }[k] || k);
}
function settingValue(k, v) {
  if (k === "networkShape") return v.length ? v.join("-") : "0";
  if (k === "features") return v.map((f) => t("feat_" + f)).join(", ");
  return optLabel(k, v);
}
function showGoal() {
  const g = frame && frame.goal, el = $("goalStatus");
  if (!lesson || !g) { el.textContent = ""; return; }
  el.className = "status " + g.state;
  el.textContent = g.state === "met" ? t("goal_met", g) : g.state === "missed" ? t("goal_missed", g)
    : g.state === "broken" ? t("goal_too_big") : t("goal_trying", g);
  $("lessonExplanation").hidden = g.state !== "met";
}

// ---------------------------------------------------------------- network drawing
// Links are painted on one canvas, grouped by colour and width (a few strokes instead of one
// element per link); the mouse finds a link by its distance to the link's curve.
let geom = null;
function buildNetwork() {
  if (!data) return;
  const nodes = $("nodes"); nodes.innerHTML = "";
  const net = $("net"), Wd = net.clientWidth || 500;
  const sizes = data.sizes; // [nIn, ...hidden, nOut]
  const nLayers = sizes.length; // input column + hidden + output
  const colX = (l) => 64 + (l * (Wd - 100)) / (nLayers - 1);
  const rowY = (i) => 22 + i * 42;
  const visibleFeats = FEATURES.filter((f) => !state.hide.includes(f) || state.features.includes(f));
  geom = { pos: [], links: [] };
  const inPos = [];
  visibleFeats.forEach((f, i) => { // input column: all 7 features (inactive greyed), click toggles
    const el = document.createElement("div"); el.className = "node feature" + (state.features.includes(f) ? "" : " inactive");
    el.style.left = colX(0) - 15 + "px"; el.style.top = rowY(i) - 15 + "px"; el.dataset.feature = f;
    el.innerHTML = `<canvas width="10" height="10"></canvas><span class="flabel"></span>`;
    el.querySelector(".flabel").textContent = t("feat_" + f);
    el.onclick = () => {
      const set = new Set(state.features); set.has(f) ? set.delete(f) : set.add(f);
      if (set.size) sendConfig({ features: FEATURES.filter((x) => set.has(x)) });
    };
    el.onmouseenter = () => { hoverFeature = f; render(); }; el.onmouseleave = () => { hoverFeature = null; render(); };
    nodes.appendChild(el);
    if (data.featureThumbs) paint(el.querySelector("canvas"), b64(data.featureThumbs), FEATURES.indexOf(f) * 100, 10);
    if (state.features.includes(f)) inPos.push([colX(0), rowY(i)]);
  });
  (data.extraInputs || []).forEach((name, k) => { // extra CSV columns: held at their mean in the heatmaps
    const i = visibleFeats.length + k;
    const el = document.createElement("div"); el.className = "node feature extra";
    el.style.left = colX(0) - 15 + "px"; el.style.top = rowY(i) - 15 + "px"; el.dataset.extra = name;
    el.title = `${name} = ${data.extraMeans[k]} (${t("atMean")})`;
    el.innerHTML = `<canvas width="10" height="10"></canvas><span class="flabel"></span>`;
    el.querySelector(".flabel").textContent = name;
    nodes.appendChild(el);
    inPos.push([colX(0), rowY(i)]);
  });
  geom.pos.push(inPos);
  for (let l = 1; l < nLayers; l++) {
    const pos = [], hidden = l < nLayers - 1;
    if (hidden) {
      const h = document.createElement("div"); h.className = "layerhead"; h.style.left = colX(l) - 35 + "px";
      h.innerHTML = `<span data-ctl="numHiddenLayers"><button data-act="add">+</button><button data-act="rm">&minus;</button></span><div></div>`;
      h.querySelector("div").textContent = `${sizes[l]} ${t(sizes[l] === 1 ? "neuron" : "neurons")}`;
      h.querySelector('[data-act="add"]').onclick = () => { const s = [...state.networkShape]; if (s[l - 1] < OPT.maxNeurons) { s[l - 1]++; sendConfig({ networkShape: s }); } };
      h.querySelector('[data-act="rm"]').onclick = () => { const s = [...state.networkShape]; if (s[l - 1] > 1) { s[l - 1]--; sendConfig({ networkShape: s }); } };
      nodes.appendChild(h);
    }
    for (let j = 0; j < sizes[l]; j++) {
      const x = colX(l), y = hidden ? rowY(j) : rowY(j) + 42;
      const el = document.createElement("div"); el.className = "node" + (hidden ? " hidden-node" : " output-node");
      el.style.left = x - 15 + "px"; el.style.top = y - 15 + "px"; el.dataset.layer = l - 1; el.dataset.unit = j;
      el.innerHTML = `<canvas width="10" height="10"></canvas>`;
      el.onmouseenter = () => send({ type: "focus", node: [l - 1, j] });
      el.onmouseleave = () => send({ type: "focus", node: null });
      nodes.appendChild(el);
      const b = document.createElement("div"); b.className = "bias"; b.style.left = x - 21 + "px"; b.style.top = y + 10 + "px";
      b.dataset.param = "b" + l; b.dataset.index = j; b.onclick = (e) => edit(e, "b" + l, [j]);
      b.onmousemove = (e) => tip(e, "b" + l, [j]); b.onmouseleave = untip;
      nodes.appendChild(b);
      pos.push([x, y]);
    }
    geom.pos.push(pos);
  }
  const inRows = visibleFeats.length + (data.extraInputs || []).length; // drawn, active or not
  const H = Math.max(rowY(inRows - 1), ...geom.pos.map((p) => (p.length ? p[p.length - 1][1] : 0))) + 24;
  net.style.height = H + "px";
  // links: W_l[i][j] from layer l-1 unit i to layer l unit j, a cubic curve like TF's d3 diagonal
  for (let l = 1; l < geom.pos.length; l++) {
    geom.pos[l - 1].forEach(([x0, y0], i) => geom.pos[l].forEach(([x1, y1], j) => {
      const a = [x0 + 15, y0], d = [x1 - 15, y1], mx = (a[0] + d[0]) / 2;
      const c = [a, [mx, y0], [mx, y1], d];
      const pts = [];
      for (let k = 0; k <= 16; k++) pts.push(bezier(c, k / 16));
      geom.links.push({ param: "W" + l, i, j, c, pts });
    }));
  }
  const cv = $("links"), dpr = window.devicePixelRatio || 1;
  cv.width = Math.round(Wd * dpr); cv.height = Math.round(H * dpr);
  cv.style.width = Wd + "px"; cv.style.height = H + "px";
  resetLinkMode(geom.links.length);
  geom.biases = [...nodes.querySelectorAll(".bias")];
  geom.thumbs = [...nodes.querySelectorAll(".hidden-node canvas, .output-node canvas")];
  linkDrawnAt = -1;
  applyHide();
  if (frame) render();
}
function bezier(c, s) {
  const u = 1 - s, k = [u * u * u, 3 * u * u * s, 3 * u * s * s, s * s * s];
  return [0, 1].map((d) => k[0] * c[0][d] + k[1] * c[1][d] + k[2] * c[2][d] + k[3] * c[3][d]);
}
function linkWidth(w) { return w === null ? 1 : Math.min(10, 1 + (9 * Math.abs(w)) / 5); }
// Link painting adapts to the network and the machine. Rasterizing thick dashed curves is
// what costs a browser most (the largest net: 81 ms a frame with TF's dashes, 28 ms with plain
// lines, 13 ms without links, in Chromium without a GPU; measured with Performance.getMetrics):
//   "flow"   TF's dashes moving with the epochs: networks of at most FLOW_MAX_LINKS links;
//   "solid"  plain lines, redrawn every frame: larger networks, or a slow page;
//   "sparse" plain lines redrawn at most 4 times a second while playing: a very slow page.
// Slow = animation frames over 50 ms (Chromium's long-animation-frame entries) or render()
// over 14 ms on average; 3 s without that steps back up (never above the network's mode, and
// not to "flow" again for a network whose dashes were too slow).
const FLOW_MAX_LINKS = 100, MODES = ["flow", "solid", "sparse"];
let linkMode = "flow", baseMode = "flow", flowTooSlow = null, linkDrawnAt = -1, linkDrawnTime = 0;
let renderAvg = 0, calmSince = 0, longFrames = [];
const modeIndex = (m) => MODES.indexOf(m);
function resetLinkMode(nLinks) { // a (re)built network: its mode, never faster than now
  baseMode = nLinks > FLOW_MAX_LINKS || flowTooSlow === nLinks ? "solid" : "flow";
  linkMode = MODES[Math.max(modeIndex(linkMode), modeIndex(baseMode))];
  stats.linkMode = linkMode;
}
function slower(now) {
  if (linkMode === "sparse") return;
  if (linkMode === "flow") { flowTooSlow = geom ? geom.links.length : null; baseMode = "solid"; }
  linkMode = MODES[modeIndex(linkMode) + 1];
  renderAvg = 8; longFrames = []; calmSince = now;
}
function adaptLinks(ms) { // after every render (ms: its script time)
  renderAvg = 0.9 * renderAvg + 0.1 * ms;
  const now = performance.now();
  longFrames = longFrames.filter((t) => now - t < 2000);
  if (renderAvg > 14 || longFrames.length >= 3) slower(now);
  else if (renderAvg > 5 || longFrames.length) calmSince = now;
  else if (now - calmSince > 3000 && modeIndex(linkMode) > modeIndex(baseMode)) {
    linkMode = MODES[modeIndex(linkMode) - 1]; calmSince = now;
  }
  stats.linkMode = linkMode;
}
if (window.PerformanceObserver && (PerformanceObserver.supportedEntryTypes || []).includes("long-animation-frame")) {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (playing && e.duration > 50) longFrames.push(performance.now());
  }).observe({ type: "long-animation-frame" });
}
function drawLinks(f) {
  const cv = $("links"), g = cv.getContext("2d"), dpr = window.devicePixelRatio || 1;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, cv.width, cv.height);
  const groups = new Map(), dead = [];
  for (const L of geom.links) {
    const w = paramValue(L.param, [L.i, L.j]);
    if (isDead(L.param, L.i, L.j)) { dead.push(L); continue; }
    const col = w === null ? "#999" : `rgb(${scale(w)})`, width = Math.round(linkWidth(w) * 2) / 2;
    const key = col + "|" + width;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(L);
  }
  const stroke = (list, col, width, dash) => {
    g.beginPath();
    for (const { c } of list) { g.moveTo(c[0][0], c[0][1]); g.bezierCurveTo(c[1][0], c[1][1], c[2][0], c[2][1], c[3][0], c[3][1]); }
    g.strokeStyle = col; g.lineWidth = width; g.setLineDash(dash); g.stroke();
  };
  g.lineDashOffset = linkMode === "flow" ? -f.epoch / 3 : 0;
  for (const [key, list] of groups) { const [col, w] = key.split("|"); stroke(list, col, Number(w), linkMode === "flow" ? [9, 1] : []); }
  g.lineDashOffset = 0;
  if (dead.length) stroke(dead, "#c8c8c8", 1.5, [2, 4]);
  linkDrawnAt = f.epoch;
}
function linkAt(x, y) { // the link whose curve passes within a few pixels of (x, y) in #net
  if (!geom) return null;
  let best = null, bestD = Infinity;
  for (const L of geom.links) {
    const w = paramValue(L.param, [L.i, L.j]), reach = Math.max(4, linkWidth(w) / 2 + 2);
    for (let k = 1; k < L.pts.length; k++) {
      const d = segDist(x, y, L.pts[k - 1], L.pts[k]);
      if (d < reach && d < bestD) { bestD = d; best = L; }
    }
  }
  return best;
}
function segDist(x, y, [ax, ay], [bx, by]) {
  const dx = bx - ax, dy = by - ay, len = dx * dx + dy * dy;
  const s = len ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len)) : 0;
  return Math.hypot(x - ax - s * dx, y - ay - s * dy);
}
function netXY(e) { const r = $("net").getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; }
function paramValue(p, idx) {
  if (!frame || !frame.params[p]) return null;
  // a frame of the previous network can arrive just before the new data: missing -> null
  const a = frame.params[p], row = a[idx[0]];
  const v = idx.length === 2 ? (Array.isArray(row) ? row[idx[1]] : undefined) : row;
  return v === undefined ? null : v;
}
function tip(e, p, idx) {
  const v = paramValue(p, idx);
  const dead = idx.length === 2 && isDead(p, idx[0], idx[1]) ? ` — ${t("dead")}` : "";
  const what = t(p[0] === "W" ? "weight" : "bias");
  showTip(e, `${what} ${p}[${idx.join(",")}] = ${v === null ? "NaN" : v.toFixed(3)}${dead} (${t("clickToEdit")})`);
}
function showTip(e, text) {
  const el = $("tooltip"); el.textContent = text;
  el.style.left = e.clientX + 12 + "px"; el.style.top = e.clientY + 12 + "px"; el.hidden = false;
}
function isDead(p, i, j) {
  const list = frame && frame.dead && frame.dead[p];
  return !!list && list.some(([a, b]) => a === i && b === j);
}
function untip() { $("tooltip").hidden = true; }
function edit(e, p, idx) {
  const box = $("editor"), inp = $("editValue");
  box.style.left = e.clientX + "px"; box.style.top = e.clientY + "px"; box.hidden = false;
  const v = paramValue(p, idx); inp.value = v === null ? 0 : v.toFixed(3); inp.focus(); inp.select();
  const done = (ok) => {
    box.hidden = true; inp.onkeydown = null; inp.onblur = null;
    if (ok && inp.value !== "" && isFinite(Number(inp.value))) send({ type: "edit", param: p, index: idx, value: Number(inp.value) });
  };
  inp.onkeydown = (k) => { if (k.key === "Enter") done(true); if (k.key === "Escape") done(false); };
  inp.onblur = () => done(true);
}
$("net").addEventListener("mousemove", (e) => {
  if (e.target.closest(".node, .bias, .layerhead")) return;
  const L = linkAt(...netXY(e));
  $("net").classList.toggle("onlink", !!L);
  if (L) tip(e, L.param, [L.i, L.j]); else untip();
});
$("net").addEventListener("mouseleave", untip);
$("net").addEventListener("click", (e) => {
  if (e.target.closest(".node, .bias, .layerhead")) return;
  const L = linkAt(...netXY(e));
  if (L) edit(e, L.param, [L.i, L.j]);
});

// ---------------------------------------------------------------- rendering
let hoverFeature = null, frameStatus = false;
const stats = { renders: 0, renderMs: 0, linkMode };
function fmtEpoch(n) { return String(n).padStart(6, "0").replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
function fmtLoss(v) { return v === null || v === undefined ? "NaN" : v.toFixed(3); }
function render() {
  const t0 = performance.now(), fresh = pending;
  try { renderFrame(); } finally {
    const ms = performance.now() - t0;
    stats.renders++; stats.renderMs += ms; adaptLinks(ms);
    if (fresh && ws && ws.readyState === 1) ws.send('{"type":"drawn"}'); // the next frame, please
  }
}
function renderFrame() {
  pending = false;
  const f = frame; if (!f || !data) return;
  playing = f.playing;
  $("play").innerHTML = playing ? "&#x2759;&#x2759;" : "&#x25B6;";
  $("play").classList.toggle("playing", playing);
  $("epoch").textContent = fmtEpoch(f.epoch);
  $("lossTrain").textContent = fmtLoss(f.lossTrain); $("lossTest").textContent = fmtLoss(f.lossTest);
  $("accTrain").textContent = f.accTrain === null ? "" : `${t("accuracy")} ${(100 * f.accTrain).toFixed(1)}%`;
  $("accTest").textContent = f.accTest === null ? "" : `${t("accuracy")} ${(100 * f.accTest).toFixed(1)}%`;
  const sched = state.lrSchedule !== "none";
  $("lrNow").hidden = !sched;
  if (sched) $("lrNow").textContent = t("lrNow", { lr: +f.lr.toPrecision(3) });
  if (f.diverged || f.lossTrain === null) { setStatus(t("stopped_diverged")); frameStatus = true; }
  else if (f.stopped) { setStatus(t("stopped_" + f.stopped)); frameStatus = true; }
  else if (frameStatus) { setStatus(""); frameStatus = false; }
  // big heatmap: output, or a hovered neuron / feature
  const heat = $("heatmap");
  if (hoverFeature) paint(heat, featureGrid(hoverFeature), 0, 100);
  else if (f.focusGrid) paint(heat, b64(f.focusGrid), 0, 100);
  else paint(heat, b64(f.grid), 0, 100, f.conf ? b64(f.conf) : null, state.discretize);
  if (geom && geom.thumbs) {
    const th = b64(f.thumbs);
    geom.thumbs.forEach((c, k) => { if ((k + 1) * 100 <= th.length) paint(c, th, k * 100, 10); });
    const now = performance.now();
    if (linkMode !== "sparse" || !playing || now - linkDrawnTime > 250 || linkDrawnAt < 0) { drawLinks(f); linkDrawnTime = now; }
    for (const b of geom.biases) {
      const v = paramValue(b.dataset.param, [+b.dataset.index]);
      b.style.background = v === null ? "#999" : `rgb(${scale(v)})`;
    }
  }
  drawChart();
  showGoal();
}
function featureGrid(name) {
  const out = new Uint8Array(10000), [x0, x1, y0, y1] = data.extent;
  for (let r = 0; r < 100; r++) for (let c = 0; c < 100; c++) {
    const x = x0 + (c + 0.5) * ((x1 - x0) / 100), y = y1 - (r + 0.5) * ((y1 - y0) / 100);
    const v = { x, y, xSquared: x * x, ySquared: y * y, xTimesY: x * y, sinX: Math.sin(x), sinY: Math.sin(y) }[name];
    out[r * 100 + c] = Math.round((Math.max(-1, Math.min(1, v)) + 1) * 127);
  }
  return out;
}
function drawPoints() {
  if (!data) return;
  const c = $("points"), g = c.getContext("2d"), S = c.width, [x0, x1, y0, y1] = data.extent;
  g.clearRect(0, 0, S, S);
  const px = (x) => ((x - x0) / (x1 - x0)) * S, py = (y) => ((y1 - y) / (y1 - y0)) * S;
  const sets = [[data.train, "#fff"]]; if (state.showTestData) sets.push([data.test, "#000"]);
  for (const [pts, stroke] of sets) for (const [x, y, l] of pts) {
    if (x === null || x < x0 || x > x1 || y < y0 || y > y1) continue;
    const col = data.problem === "multiclass" ? CLASS_COLORS[l % 6] : scale(l);
    g.beginPath(); g.arc(px(x), py(y), 6, 0, 2 * Math.PI); g.fillStyle = `rgb(${col})`; g.fill();
    g.lineWidth = 1.5; g.strokeStyle = stroke; g.stroke();
  }
  const note = $("heatNote"), lines = [];
  if (data.plotted) {
    const extra = (data.extraInputs || []).map((n, k) => `${n} = ${data.extraMeans[k]}`).join(", ");
    lines.push(`${t("plotted")}: x = ${data.plotted[0]}, y = ${data.plotted[1]}` + (extra ? `. ${t("heldAtMean")}: ${extra}` : ""));
  }
  if (data.standardized) {
    const s = data.standardized;
    lines.push(`${t("standardized")} (` + s.columns.map((n, k) => `${n}: ${s.mean[k]} ± ${s.std[k]}`).join("; ") + ")");
  }
  note.textContent = lines.join(". "); note.hidden = !lines.length;
}
function ticks(lo, hi) { // TF's -6..6 in steps of 1; other ranges: about 7 round numbers
  const span = hi - lo, raw = span / 7, p = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
  if (Math.abs(lo + 6) < 1e-9 && Math.abs(hi - 6) < 1e-9) step = 1;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(+v.toPrecision(6));
  return out;
}
function drawAxes() {
  const [x0, x1, y0, y1] = data.extent;
  for (const [id, lo, hi, horizontal] of [["xTicks", x0, x1, true], ["yTicks", y0, y1, false]]) {
    const box = $(id); box.innerHTML = "";
    for (const v of ticks(lo, hi)) {
      const s = document.createElement("span"), f = (v - lo) / (hi - lo);
      s.textContent = String(v).replace("-", "−");
      if (horizontal) s.style.left = 100 * f + "%"; else s.style.top = 100 * (1 - f) + "%";
      box.appendChild(s);
    }
  }
}
function drawLegend() {
  const multi = data.problem === "multiclass";
  $("scaleKey").hidden = multi; $("classKey").hidden = !multi;
  if (!multi) return;
  const list = $("classList"); list.innerHTML = "";
  (data.classNames || []).forEach((name, k) => {
    const s = document.createElement("span"); s.className = "classItem";
    const sw = document.createElement("i"); sw.style.background = `rgb(${CLASS_COLORS[k % 6]})`;
    s.append(sw, name); list.appendChild(s);
  });
}
let chartHover = null; // index into hist under the mouse
function chartPoint(ev) {
  const c = $("chart"); if (hist.length < 1) return null;
  const rect = c.getBoundingClientRect(), fx = (ev.clientX - rect.left) / rect.width;
  const e0 = hist[0][0], e1 = hist[hist.length - 1][0], target = e0 + fx * Math.max(1, e1 - e0);
  let best = 0;
  for (let i = 1; i < hist.length; i++) if (Math.abs(hist[i][0] - target) < Math.abs(hist[best][0] - target)) best = i;
  return best;
}
function chartHoverText(i) {
  const [e, tr, te] = hist[i];
  return `${t("epoch")} ${e}: ${t("trainLoss")} ${fmtLoss(tr)}, ${t("testLoss")} ${fmtLoss(te)}`;
}
function drawChart() {
  const c = $("chart"), dpr = window.devicePixelRatio || 1, Wc = c.clientWidth || 300, Hc = c.clientHeight || 80;
  if (c.width !== Math.round(Wc * dpr)) { c.width = Math.round(Wc * dpr); c.height = Math.round(Hc * dpr); }
  const g = c.getContext("2d"); g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, Wc, Hc);
  if (chartHover !== null && chartHover >= hist.length) chartHover = null;
  if (hist.length < 2) return;
  let lo = Infinity, hi = -Infinity;
  for (const [, a, b] of hist) for (const v of [a, b]) if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!isFinite(lo)) return; if (hi - lo < 1e-9) hi = lo + 1e-9;
  const e0 = hist[0][0], e1 = hist[hist.length - 1][0] || 1;
  for (const [k, col] of [[1, "#777"], [2, "#000"]]) {
    g.beginPath(); g.strokeStyle = col; g.lineWidth = 1.5; let started = false;
    for (const p of hist) {
      if (p[k] === null) { started = false; continue; }
      const x = ((p[0] - e0) / Math.max(1, e1 - e0)) * Wc, y = Hc - 3 - ((p[k] - lo) / (hi - lo)) * (Hc - 6);
      started ? g.lineTo(x, y) : g.moveTo(x, y); started = true;
    }
    g.stroke();
  }
  if (chartHover !== null) { // marker at the hovered epoch
    const x = ((hist[chartHover][0] - e0) / Math.max(1, e1 - e0)) * Wc;
    g.strokeStyle = "#0877bd"; g.lineWidth = 1; g.beginPath(); g.moveTo(x, 0); g.lineTo(x, Hc); g.stroke();
  }
}

// ---------------------------------------------------------------- start
$("chart").onmousemove = (ev) => {
  chartHover = chartPoint(ev);
  if (chartHover === null) return untip();
  showTip(ev, chartHoverText(chartHover)); drawChart();
};
$("chart").onmouseleave = () => { chartHover = null; untip(); drawChart(); };
buildControls(); applyLang(); connect();
window.addEventListener("resize", () => buildNetwork());
window.mlplab = {
  stats, send, linkAt, adaptLinks,
  get state() { return state; }, get frame() { return frame; }, get data() { return data; },
  get lang() { return lang; }, get lesson() { return lesson; }, get dataCount() { return dataCount; },
  // page coordinates of a point on each link where no other link is closer (for tests)
  linkProbes() {
    const r = $("net").getBoundingClientRect(), out = [];
    for (const L of geom.links) {
      for (const s of [0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9]) {
        const [x, y] = bezier(L.c, s);
        if (linkAt(x, y) === L) { out.push({ param: L.param, i: L.i, j: L.j, x: r.left + x, y: r.top + y }); break; }
      }
    }
    return out;
  },
};
