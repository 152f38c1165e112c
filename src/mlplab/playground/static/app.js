// mlplab playground front end: plain JS, no build step, no network besides this server.
// The server owns the model; this page sends validated settings and draws the frames it gets.
"use strict";

const OPTS = {
  learningRate: [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10],
  activation: ["relu", "tanh", "sigmoid", "linear", "leaky_relu", "elu", "softplus", "softsign", "swish", "mish", "sinc", "log_sigmoid"],
  regularization: ["none", "L1", "L2"],
  regularizationRate: [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10],
  problem: ["classification", "regression", "multiclass"],
  epochsPerFrame: [1, 2, 5, 10, 20, 50, 100],
  loss: ["squared", "crossentropy"],
  optimizer: ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "amsgrad"],
  lrSchedule: ["none", "step", "exponential", "cosine", "inverse_time"],
  init: ["tf", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "lecun_normal"],
  dropout: [0, 0.1, 0.2, 0.3, 0.5],
  numClasses: [2, 3, 4, 5, 6],
};
const LABELS = { relu: "ReLU", tanh: "Tanh", sigmoid: "Sigmoid", linear: "Linear", leaky_relu: "Leaky ReLU",
  elu: "ELU", softplus: "Softplus", softsign: "Softsign", swish: "Swish", mish: "Mish", sinc: "Sinc",
  log_sigmoid: "LogSigmoid", sgd: "SGD", momentum: "Momentum", nesterov: "Nesterov", adagrad: "AdaGrad",
  rmsprop: "RMSprop", adam: "Adam", amsgrad: "AMSGrad", tf: "TF: U[-0.5,0.5), b=0.1", step: "Step",
  exponential: "Exponential", cosine: "Cosine", inverse_time: "Inverse time" };
const DATASETS = { classification: ["circle", "xor", "gauss", "spiral", "quadratic"],
  regression: ["reg-plane", "reg-gauss"], multiclass: ["spiral", "and", "or", "xor", "nand", "nor"] };
const DS_KEY = { classification: "dataset", regression: "regDataset", multiclass: "mcDataset" };
const FEATURES = ["x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY"];
const FEATURE_LABELS = { x: "X₁", y: "X₂", xSquared: "X₁²", ySquared: "X₂²", xTimesY: "X₁X₂", sinX: "sin(X₁)", sinY: "sin(X₂)" };
const HIDABLE = ["showTestData", "discretize", "playButton", "stepButton", "resetButton", "learningRate", "activation",
  "regularization", "regularizationRate", "problem", "dataset", "percTrainData", "noise", "batchSize", "numHiddenLayers"];
const PRESETS = ["notebook-231", "quiz-linear", "quiz-relu", "quiz-sigmoid", "quiz-nohidden", "quiz-hidden"];
const DEFAULTS = { learningRate: 0.03, activation: "tanh", regularization: "none", regularizationRate: 0,
  problem: "classification", dataset: "circle", regDataset: "reg-plane", mcDataset: "spiral", numClasses: 3,
  percTrainData: 50, noise: 0, batchSize: 10, features: ["x", "y"], networkShape: [4, 2], seed: 0, initSeed: 0,
  showTestData: false, discretize: false, initZero: false, loss: "squared", optimizer: "sgd", lrSchedule: "none",
  init: "tf", batchNorm: false, dropout: 0, epochsPerFrame: 1, maxEpochs: 0, targetLoss: 0, hide: [] };
const CLASS_COLORS = [[245, 147, 34], [8, 119, 189], [46, 160, 67], [200, 60, 160], [120, 80, 200], [90, 90, 90]];

const $ = (id) => document.getElementById(id);
let lang = (navigator.language || "en").toLowerCase().startsWith("ko") ? "ko" : "en";
let state = parseHash();
let ws = null, sessionId = null, data = null, frame = null, pending = false, playing = false;
let hist = [], thumbnails = null, uploaded = false, limits = {};
// access token: ?token=... or #token=... (the form the server prints); kept in the link
const hashToken = (location.hash.match(/[#&]token=([^&]*)/) || [])[1];
const token = new URLSearchParams(location.search).get("token") || (hashToken ? decodeURIComponent(hashToken) : "");

function t(key) { return (I18N[lang] && I18N[lang][key]) || I18N.en[key] || LABELS[key] || key; }

// ---------------------------------------------------------------- URL state (TF hash format)
function parseHash() {
  const s = JSON.parse(JSON.stringify(DEFAULTS));
  const h = location.hash.replace(/^#/, "");
  const hide = [];
  let seen = false;
  for (const part of h.split("&")) {
    if (!part) continue;
    const [k, v0] = part.split("=");
    const v = decodeURIComponent(v0 || "");
    if (k.endsWith("_hide")) { if (v !== "false") hide.push(k.slice(0, -5)); continue; }
    if (k === "lang") { lang = v === "ko" ? "ko" : "en"; continue; }
    if (!(k in DEFAULTS)) continue;
    seen = true;
    const d = DEFAULTS[k];
    if (k === "features") s[k] = v ? v.split(",").filter((f) => FEATURES.includes(f)) : [];
    else if (k === "networkShape") s[k] = v === "" ? [] : v.split(",").map(Number);
    else if (typeof d === "boolean") s[k] = v !== "false";
    else if (typeof d === "number") s[k] = Number(v);
    else s[k] = v;
  }
  s.noise = noiseFromUrl(s.noise);
  // data seed and weight-init seed: both drawn once and kept in the link (reproducible)
  if (!seen || !/(^|&)seed=/.test(h)) s.seed = Math.floor(Math.random() * 1e6);
  if (!/(^|&)initSeed=/.test(h)) s.initSeed = Math.floor(Math.random() * 1e6);
  s.hide = hide.filter((x) => HIDABLE.includes(x) || FEATURES.includes(x));
  return s;
}
// TF's rule for URL noise (schema.noise_from_url): up to 80 is kept (the slider's max rises to
// it, see syncControls), above 80 -> 50, below 0 or not a number -> 0; rounded like Math.round.
function noiseFromUrl(v) {
  if (Number.isNaN(v) || v < 0) return 0;
  return v > 80 ? 50 : Math.round(v);
}
function serialize() {
  const parts = [];
  for (const k of Object.keys(DEFAULTS)) {
    if (k === "hide") continue;
    const v = state[k];
    parts.push(k + "=" + (Array.isArray(v) ? v.join(",") : v));
  }
  for (const h of state.hide) parts.push(h + "_hide=true");
  if (hashToken !== undefined) parts.unshift("token=" + encodeURIComponent(token));
  const hash = "#" + parts.join("&");
  history.replaceState(null, "", hash);
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
  q.set("state", JSON.stringify(state)); // a new session starts from the page's settings
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
function sendConfig(fields) {
  Object.assign(state, fields);
  serialize();
  const payload = {};
  for (const k of Object.keys(fields)) payload[k] = state[k];
  send({ type: "config", state: payload });
}
function onMessage(m) {
  if (m.type === "hello") {
    sessionId = m.session; setStatus(""); limits = m.limits || {};
    if (m.thumbnails) { thumbnails = m.thumbnails; syncControls(); }
  } else if (m.type === "error") {
    showError(m.message);
  } else if (m.type === "uploaded") {
    uploaded = true; setStatus(`${t("uploaded")}: ${m.rows} × ${m.columns.length}`);
  } else if (m.type === "imported") {
    setStatus(t("imported"));
  } else if (m.type === "file") {
    saveFile(m);
  } else if (m.type === "data") {
    data = m; Object.assign(state, m.state); hist = []; serialize(); syncControls(); buildNetwork(); drawPoints();
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
function b64(s) { const bin = atob(s); const a = new Uint8Array(bin.length); for (let i = 0; i < bin.length; i++) a[i] = bin.charCodeAt(i); return a; }
function paint(canvas, bytes, offset, n, conf, discrete) {
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(n, n);
  const lut = discrete ? LUT_D : LUT;
  const multi = data && data.problem === "multiclass" && conf;
  for (let i = 0; i < n * n; i++) {
    const q = bytes[offset + i];
    if (multi) {
      const c = q === 255 ? [150, 150, 150] : CLASS_COLORS[q % 6];
      const a = discrete ? 160 : Math.round(40 + 150 * (conf[i] / 254));
      img.data.set([c[0], c[1], c[2], a], i * 4);
    } else img.data.set(lut.subarray(q * 4, q * 4 + 4), i * 4);
  }
  ctx.putImageData(img, 0, 0);
}

// ---------------------------------------------------------------- controls
function fillSelect(id, values, fmt, extra) {
  // TF's options first; mlplab's additions (if any) in a separate group
  const el = $(id); el.innerHTML = "";
  const add = (parent, v) => { const o = document.createElement("option"); o.value = v; o.textContent = fmt ? fmt(v) : t(String(v)); parent.appendChild(o); };
  if (!extra) { for (const v of values) add(el, v); return; }
  const g1 = document.createElement("optgroup"); g1.label = "TF Playground"; g1.dataset.group = "tf";
  const g2 = document.createElement("optgroup"); g2.label = "mlplab"; g2.dataset.group = "extra";
  for (const v of values) add(g1, v);
  for (const v of extra) add(g2, v);
  el.append(g1, g2);
}
function buildControls() {
  fillSelect("learningRate", OPTS.learningRate, String);
  fillSelect("activation", OPTS.activation.slice(0, 4), null, OPTS.activation.slice(4));
  fillSelect("regularization", OPTS.regularization);
  fillSelect("regularizationRate", OPTS.regularizationRate, String);
  fillSelect("problem", OPTS.problem.slice(0, 2), null, OPTS.problem.slice(2));
  fillSelect("epochsPerFrame", OPTS.epochsPerFrame, String);
  fillSelect("loss", OPTS.loss); fillSelect("optimizer", OPTS.optimizer); fillSelect("lrSchedule", OPTS.lrSchedule);
  fillSelect("init", OPTS.init); fillSelect("dropout", OPTS.dropout, String); fillSelect("numClasses", OPTS.numClasses, String);
  const num = ["learningRate", "regularizationRate", "epochsPerFrame", "dropout", "numClasses"];
  for (const id of ["learningRate", "activation", "regularization", "regularizationRate", "problem", "epochsPerFrame",
    "loss", "optimizer", "lrSchedule", "init", "dropout", "numClasses"]) {
    $(id).onchange = () => sendConfig({ [id]: num.includes(id) ? Number($(id).value) : $(id).value });
  }
  for (const id of ["percTrainData", "noise", "batchSize"]) {
    $(id).oninput = () => { $(id + "Val").textContent = $(id).value; };
    $(id).onchange = () => sendConfig({ [id]: Number($(id).value) });
  }
  $("batchNorm").onchange = () => sendConfig({ batchNorm: $("batchNorm").checked });
  $("maxEpochs").onchange = () => sendConfig({ maxEpochs: Math.max(0, Math.round(Number($("maxEpochs").value) || 0)) });
  $("targetLoss").onchange = () => sendConfig({ targetLoss: Math.max(0, Number($("targetLoss").value) || 0) });
  $("showTestData").onchange = () => { state.showTestData = $("showTestData").checked; serialize(); drawPoints(); };
  $("discretize").onchange = () => { state.discretize = $("discretize").checked; serialize(); render(); };
  $("play").onclick = () => send({ type: playing ? "pause" : "play" });
  $("step").onclick = () => send({ type: "step" });
  $("reset").onclick = () => send({ type: "reset", same: true });
  $("redraw").onclick = () => send({ type: "reset", same: false });
  $("regenerate").onclick = () => send({ type: "regenerate" });
  $("addLayer").onclick = () => { if (state.networkShape.length < 6) sendConfig({ networkShape: [...state.networkShape, 2] }); };
  $("removeLayer").onclick = () => { if (state.networkShape.length) sendConfig({ networkShape: state.networkShape.slice(0, -1) }); };
  $("langToggle").onclick = () => { lang = lang === "ko" ? "en" : "ko"; applyLang(); };
  const pre = $("presets");
  for (const p of PRESETS) {
    const b = document.createElement("button"); b.className = "pill"; b.dataset.preset = p; b.dataset.i18n = p;
    b.textContent = t(p); b.onclick = () => send({ type: "preset", name: p }); pre.appendChild(b);
  }
  const hb = $("hideBoxes");
  for (const h of [...HIDABLE, ...FEATURES]) {
    const l = document.createElement("label");
    l.innerHTML = `<input type="checkbox" data-hide="${h}"> ${h}`;
    l.querySelector("input").onchange = (e) => {
      const set = new Set(state.hide); e.target.checked ? set.add(h) : set.delete(h);
      state.hide = [...set]; serialize(); applyHide(); buildNetwork();
    };
    hb.appendChild(l);
  }
  // CSV upload
  let csvNames = [];
  const colBoxes = () => [...document.querySelectorAll("#colFeatures input")];
  const syncColumns = () => { // the label is no feature; the plotted pair is always a feature
    const lab = Number($("colLabel").value);
    for (const cb of colBoxes()) {
      const i = Number(cb.value);
      cb.disabled = i === lab || i === Number($("colX").value) || i === Number($("colY").value);
      if (i === lab) cb.checked = false; else if (cb.disabled) cb.checked = true;
    }
  };
  $("csvFile").onchange = async () => {
    const f = $("csvFile").files[0]; if (!f) return;
    const head = (await f.slice(0, 4096).text()).split(/\r?\n/)[0].split(",");
    csvNames = head.map((h, i) => (isNaN(Number(h)) ? h.trim() : "col" + (i + 1)));
    const idx = csvNames.map((_, i) => i);
    for (const [id, def] of [["colX", 0], ["colY", 1], ["colLabel", csvNames.length - 1]]) {
      fillSelect(id, idx, (i) => csvNames[i]); $(id).value = def;
    }
    const box = $("colFeatures"); box.innerHTML = "";
    for (const i of idx) {
      const l = document.createElement("label");
      l.innerHTML = `<input type="checkbox" value="${i}" checked> `; l.append(csvNames[i]); box.appendChild(l);
    }
    uploaded = false; syncColumns();
  };
  const doUpload = async () => {
    const f = $("csvFile").files[0]; if (!f) return showError("choose a CSV file first");
    syncColumns();
    if (limits.maxUploadBytes && f.size > limits.maxUploadBytes) return showError(`upload must be at most ${limits.maxUploadBytes} bytes`);
    const features = colBoxes().filter((c) => c.checked).map((c) => Number(c.value));
    send({ type: "upload", csv: await f.text(), x: Number($("colX").value), y: Number($("colY").value),
      label: Number($("colLabel").value), features });
  };
  $("uploadBtn").onclick = doUpload;
  for (const [id, format] of [["exportNpz", "npz"], ["exportJson", "json"], ["exportPy", "py"], ["exportCsv", "csv"]]) {
    $(id).onclick = (e) => { e.preventDefault(); send({ type: "export", format }); };
  }
  for (const id of ["colX", "colY", "colLabel"]) $(id).onchange = () => { syncColumns(); if (uploaded) doUpload(); };
  $("colFeatures").onchange = () => { if (uploaded) doUpload(); };
  $("importFile").onchange = async () => {
    const f = $("importFile").files[0]; if (!f) return;
    $("importFile").value = "";
    if (limits.maxImportBytes && f.size > limits.maxImportBytes) return showError(`import: the file must be at most ${limits.maxImportBytes} bytes`);
    send({ type: "import", data: toBase64(await f.arrayBuffer()) });
  };
  const draw = document.createElement("canvas");
  const lg = $("legendBar").getContext("2d");
  for (let x = 0; x < 200; x++) { const c = scale(x / 100 - 1); lg.fillStyle = `rgb(${c})`; lg.fillRect(x, 0, 1, 10); }
  void draw;
}
function syncControls() {
  // a URL noise above the slider's 50 (up to 80) raises its max, like TF; it never drops back
  $("noise").max = String(Math.max(Number($("noise").max), state.noise));
  for (const id of ["learningRate", "activation", "regularization", "regularizationRate", "problem", "epochsPerFrame",
    "loss", "optimizer", "lrSchedule", "init", "dropout", "numClasses", "percTrainData", "noise", "batchSize", "maxEpochs", "targetLoss"]) {
    $(id).value = String(state[id]);
  }
  for (const id of ["percTrainData", "noise", "batchSize"]) $(id + "Val").textContent = state[id];
  $("batchNorm").checked = state.batchNorm; $("showTestData").checked = state.showTestData; $("discretize").checked = state.discretize;
  $("numLayers").textContent = state.networkShape.length;
  $("numClassesBox").hidden = !(state.problem === "multiclass" && state.mcDataset === "spiral");
  const box = $("datasets"); box.innerHTML = "";
  const list = [...DATASETS[state.problem]]; if (state[DS_KEY[state.problem]] === "upload") list.push("upload");
  for (const name of list) {
    const d = document.createElement("div"); d.className = "ds"; d.dataset.dataset = name;
    if (state[DS_KEY[state.problem]] === name) d.classList.add("selected");
    const c = document.createElement("canvas"); c.width = 100; c.height = 100; dsThumb(c, name);
    d.appendChild(c); d.appendChild(document.createTextNode(t(name)));
    d.onclick = () => sendConfig({ [DS_KEY[state.problem]]: name });
    box.appendChild(d);
  }
  for (const cb of document.querySelectorAll("[data-hide]")) cb.checked = state.hide.includes(cb.dataset.hide);
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
    const r = th.points.length < 20 ? 6 : 2;
    g.fillStyle = `rgb(${col})`;
    g.fillRect(((x + d) / (2 * d)) * 100 - r / 2, ((d - y) / (2 * d)) * 100 - r / 2, r, r);
  }
}
function applyHide() {
  for (const el of document.querySelectorAll("[data-ctl]")) el.classList.toggle("hidden-ctl", state.hide.includes(el.dataset.ctl));
}
function applyLang() {
  document.documentElement.lang = lang;
  $("langToggle").textContent = lang === "ko" ? "English" : "한국어";
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  for (const id of ["activation", "regularization", "problem", "loss", "optimizer", "lrSchedule", "init"]) {
    for (const o of $(id).options) o.textContent = t(o.value);
  }
  syncControls(); buildNetwork();
}

// ---------------------------------------------------------------- network drawing
let geom = null;
function buildNetwork() {
  if (!data) return;
  const nodes = $("nodes"), svg = $("links");
  nodes.innerHTML = ""; svg.innerHTML = "";
  const W = $("net").clientWidth || 600;
  const sizes = data.sizes; // [nIn, ...hidden, nOut]
  const nLayers = sizes.length; // input column + hidden + output
  const colX = (l) => 70 + (l * (W - 130)) / (nLayers - 1);
  const rowY = (i) => 40 + i * 44;
  const visibleFeats = FEATURES.filter((f) => !state.hide.includes(f) || state.features.includes(f));
  geom = { pos: [], feats: visibleFeats };
  // input column: all 7 features (inactive greyed), clicking toggles
  const inPos = [];
  visibleFeats.forEach((f, i) => {
    const el = document.createElement("div"); el.className = "node feature" + (state.features.includes(f) ? "" : " inactive");
    el.style.left = colX(0) - 15 + "px"; el.style.top = rowY(i) - 15 + "px"; el.dataset.feature = f;
    el.innerHTML = `<canvas width="10" height="10"></canvas><span class="flabel">${FEATURE_LABELS[f]}</span>`;
    el.onclick = () => {
      const set = new Set(state.features); set.has(f) ? set.delete(f) : set.add(f);
      if (set.size) sendConfig({ features: FEATURES.filter((x) => set.has(x)) });
    };
    el.onmouseenter = () => { hoverFeature = f; render(); }; el.onmouseleave = () => { hoverFeature = null; render(); };
    nodes.appendChild(el);
    if (data.featureThumbs) paint(el.querySelector("canvas"), b64(data.featureThumbs), FEATURES.indexOf(f) * 100, 10);
    if (state.features.includes(f)) inPos.push([colX(0), rowY(i)]);
  });
  // extra CSV columns: always inputs; the heatmaps hold them at their mean
  (data.extraInputs || []).forEach((name, k) => {
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
    const pos = [];
    const hidden = l < nLayers - 1;
    if (hidden) {
      const h = document.createElement("div"); h.className = "layerhead"; h.style.left = colX(l) - 15 + "px"; h.style.top = "-28px";
      h.innerHTML = `<span data-ctl="numHiddenLayers"><button data-act="add">+</button><button data-act="rm">&minus;</button></span><br>${sizes[l]} ${t(sizes[l] === 1 ? "neuron" : "neurons")}`;
      h.querySelector('[data-act="add"]').onclick = () => { const s = [...state.networkShape]; if (s[l - 1] < 8) { s[l - 1]++; sendConfig({ networkShape: s }); } };
      h.querySelector('[data-act="rm"]').onclick = () => { const s = [...state.networkShape]; if (s[l - 1] > 1) { s[l - 1]--; sendConfig({ networkShape: s }); } };
      nodes.appendChild(h);
    }
    for (let j = 0; j < sizes[l]; j++) {
      const x = colX(l), y = hidden ? rowY(j) : rowY(j) + 60;
      const el = document.createElement("div"); el.className = "node" + (hidden ? " hidden-node" : " output-node");
      el.style.left = x - 15 + "px"; el.style.top = y - 15 + "px"; el.dataset.layer = l - 1; el.dataset.unit = j;
      el.innerHTML = `<canvas width="10" height="10"></canvas>`;
      el.onmouseenter = () => send({ type: "focus", node: [l - 1, j] });
      el.onmouseleave = () => send({ type: "focus", node: null });
      nodes.appendChild(el);
      const b = document.createElement("div"); b.className = "bias"; b.style.left = x - 22 + "px"; b.style.top = y + 9 + "px";
      b.dataset.param = "b" + l; b.dataset.index = j; b.onclick = (e) => edit(e, "b" + l, [j]);
      b.onmousemove = (e) => tip(e, "b" + l, [j]); b.onmouseleave = untip;
      nodes.appendChild(b);
      pos.push([x, y]);
    }
    geom.pos.push(pos);
  }
  const inRows = visibleFeats.length + (data.extraInputs || []).length; // drawn, active or not
  $("net").style.height = Math.max(rowY(inRows - 1), ...geom.pos.map((p) => p.length ? p[p.length - 1][1] : 0)) + 40 + "px";
  // links: W_l[i][j] from layer l-1 unit i to layer l unit j
  const ns = "http://www.w3.org/2000/svg";
  for (let l = 1; l < geom.pos.length; l++) {
    geom.pos[l - 1].forEach(([x0, y0], i) => geom.pos[l].forEach(([x1, y1], j) => {
      const p = document.createElementNS(ns, "path");
      const mx = (x0 + x1) / 2;
      p.setAttribute("d", `M${x0 + 15},${y0} C${mx},${y0} ${mx},${y1} ${x1 - 15},${y1}`);
      p.dataset.param = "W" + l; p.dataset.i = i; p.dataset.j = j;
      p.onclick = (e) => edit(e, "W" + l, [i, j]);
      p.onmousemove = (e) => tip(e, "W" + l, [i, j]); p.onmouseleave = untip;
      svg.appendChild(p);
    }));
  }
  geom.paths = [...svg.querySelectorAll("path")];
  geom.biases = [...nodes.querySelectorAll(".bias")];
  geom.thumbs = [...nodes.querySelectorAll(".hidden-node canvas, .output-node canvas")];
  applyHide();
  if (frame) render();
}
function paramValue(p, idx) {
  if (!frame || !frame.params[p]) return null;
  // a frame of the previous network can arrive just before the new data: missing -> null
  const a = frame.params[p], row = a[idx[0]];
  const v = idx.length === 2 ? (Array.isArray(row) ? row[idx[1]] : undefined) : row;
  return v === undefined ? null : v;
}
let tipEl = null;
function tip(e, p, idx) {
  if (!tipEl) { tipEl = document.createElement("div"); tipEl.id = "tooltip"; document.body.appendChild(tipEl); }
  const v = paramValue(p, idx);
  const dead = idx.length === 2 && isDead(p, idx[0], idx[1]) ? ` — ${t("dead")}` : "";
  showTip(e, `${p}[${idx.join(",")}] = ${v === null ? "NaN" : v.toFixed(3)}${dead} (${t("clickToEdit")})`);
}
function showTip(e, text) {
  if (!tipEl) { tipEl = document.createElement("div"); tipEl.id = "tooltip"; document.body.appendChild(tipEl); }
  tipEl.textContent = text;
  tipEl.style.left = e.clientX + 12 + "px"; tipEl.style.top = e.clientY + 12 + "px"; tipEl.hidden = false;
}
function isDead(p, i, j) {
  const list = frame && frame.dead && frame.dead[p];
  return !!list && list.some(([a, b]) => a === i && b === j);
}
function untip() { if (tipEl) tipEl.hidden = true; }
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

// ---------------------------------------------------------------- rendering
let hoverFeature = null;
function fmtEpoch(n) { return String(n).padStart(6, "0").replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
function fmtLoss(v) { return v === null || v === undefined ? "NaN" : v.toFixed(3); }
function render() {
  pending = false;
  const f = frame; if (!f || !data) return;
  playing = f.playing;
  $("play").innerHTML = playing ? "&#x2759;&#x2759;" : "&#x25B6;";
  $("epoch").textContent = fmtEpoch(f.epoch);
  $("lossTrain").textContent = fmtLoss(f.lossTrain); $("lossTest").textContent = fmtLoss(f.lossTest);
  $("accTrain").textContent = f.accTrain === null ? "" : `${t("accuracy")} ${(100 * f.accTrain).toFixed(1)}%`;
  $("accTest").textContent = f.accTest === null ? "" : `${t("accuracy")} ${(100 * f.accTest).toFixed(1)}%`;
  if (f.diverged || f.lossTrain === null) setStatus(t("diverged"));
  else if (f.stopped) setStatus(`${t("stopped")}: ${f.stopped}`);
  else if ($("status").textContent === t("diverged")) setStatus("");
  // big heatmap: output, or a hovered neuron / feature
  const heat = $("heatmap");
  if (hoverFeature) paint(heat, featureGrid(hoverFeature), 0, 100);
  else if (f.focusGrid) paint(heat, b64(f.focusGrid), 0, 100);
  else paint(heat, b64(f.grid), 0, 100, f.conf ? b64(f.conf) : null, state.discretize);
  if (geom && geom.thumbs) {
    const th = b64(f.thumbs);
    geom.thumbs.forEach((c, k) => { if ((k + 1) * 100 <= th.length) paint(c, th, k * 100, 10); });
    for (const p of geom.paths) {
      const w = paramValue(p.dataset.param, [+p.dataset.i, +p.dataset.j]);
      p.classList.toggle("dead", isDead(p.dataset.param, +p.dataset.i, +p.dataset.j));
      p.setAttribute("stroke", w === null ? "#999" : `rgb(${scale(w)})`);
      p.setAttribute("stroke-width", w === null ? 1 : Math.min(10, 1 + (9 * Math.abs(w)) / 5));
      p.setAttribute("stroke-dashoffset", String(-f.epoch / 3));
    }
    for (const b of geom.biases) {
      const v = paramValue(b.dataset.param, [+b.dataset.index]);
      b.style.background = v === null ? "#999" : `rgb(${scale(v)})`;
    }
  }
  drawChart();
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
    g.beginPath(); g.arc(px(x), py(y), 5, 0, 2 * Math.PI); g.fillStyle = `rgb(${col})`; g.fill();
    g.lineWidth = 1.5; g.strokeStyle = stroke; g.stroke();
  }
  const r = (v) => +v.toFixed(2);
  $("axisInfo").textContent = x0 === y0 && x1 === y1 ? `[${r(x0)}, ${r(x1)}]²` : `x ∈ [${r(x0)}, ${r(x1)}], y ∈ [${r(y0)}, ${r(y1)}]`;
  const note = $("heatNote");
  if (data.plotted) {
    const extra = (data.extraInputs || []).map((n, k) => `${n} = ${data.extraMeans[k]}`).join(", ");
    note.textContent = `${t("plotted")}: x = ${data.plotted[0]}, y = ${data.plotted[1]}` + (extra ? `. ${t("heldAtMean")}: ${extra}` : "");
    note.hidden = false;
  } else note.hidden = true;
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
  const c = $("chart"), g = c.getContext("2d"), W = c.width, H = c.height;
  g.clearRect(0, 0, W, H);
  if (chartHover !== null && chartHover >= hist.length) chartHover = null;
  if (hist.length < 2) return;
  let lo = Infinity, hi = -Infinity;
  for (const [, a, b] of hist) for (const v of [a, b]) if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!isFinite(lo)) return; if (hi - lo < 1e-9) hi = lo + 1e-9;
  const e0 = hist[0][0], e1 = hist[hist.length - 1][0] || 1;
  for (const [k, col] of [[1, "#777"], [2, "#000"]]) {
    g.beginPath(); g.strokeStyle = col; g.lineWidth = 1; let started = false;
    for (const p of hist) {
      if (p[k] === null) { started = false; continue; }
      const x = ((p[0] - e0) / Math.max(1, e1 - e0)) * W, y = H - 2 - ((p[k] - lo) / (hi - lo)) * (H - 4);
      started ? g.lineTo(x, y) : g.moveTo(x, y); started = true;
    }
    g.stroke();
  }
  if (chartHover !== null) { // marker at the hovered epoch
    const x = ((hist[chartHover][0] - e0) / Math.max(1, e1 - e0)) * W;
    g.strokeStyle = "#0877bd"; g.beginPath(); g.moveTo(x, 0); g.lineTo(x, H); g.stroke();
  }
}

// ---------------------------------------------------------------- start
$("chart").onmousemove = (ev) => {
  chartHover = chartPoint(ev);
  if (chartHover === null) return untip();
  showTip(ev, chartHoverText(chartHover)); drawChart();
};
$("chart").onmouseleave = () => { chartHover = null; untip(); drawChart(); };
buildControls(); applyLang(); serialize(); connect();
window.addEventListener("resize", () => buildNetwork());
window.mlplab = { get state() { return state; }, get frame() { return frame; }, get data() { return data; }, send };
