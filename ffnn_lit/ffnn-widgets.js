// ffnn-widgets.js: the two widgets of the "Play with the network" page, on top of ffnn.js. No dependencies.
//   mountDigitPad(root, modelUrl)  draw a digit; the model's ten probabilities and its hidden layer, live
//   mountXor(root, initUrl)        a 2-3-1 network learning XOR step by step: decision boundary and weights
// The preprocessing of a drawing (preprocessDigit) is a pure function, tested with Node like ffnn.js.
import { loadModel, forward, predictProba, makeOptimizer, trainStep, cost } from './ffnn.js';

// ------------------------------------------------------------------------------------- MNIST preprocessing

/** Per target cell of an axis scaled by `s`, the source cells of the length-n axis it covers and by how much
 *  (area averaging). Target cell i covers source [i / s, (i + 1) / s); the last one may be partly empty. */
function areaWeights(n, s) {
  const m = Math.ceil(n * s - 1e-9), out = [];
  for (let i = 0; i < m; i++) {
    const a = i / s, b = (i + 1) / s, ws = [];
    for (let j = Math.floor(a); j < Math.min(n, Math.ceil(b)); j++) {
      const overlap = Math.min(b, j + 1) - Math.max(a, j);
      if (overlap > 0) ws.push([j, overlap * s]);
    }
    out.push(ws);
  }
  return out;
}

/** The w x h image `src` scaled by `s` with area averaging (anti-aliased), one axis at a time: {out, tw, th}. */
export function resampleArea(src, w, h, s) {
  const wx = areaWeights(w, s), wy = areaWeights(h, s), tw = wx.length, th = wy.length;
  const rows = new Float64Array(h * tw), out = new Float64Array(tw * th);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < tw; x++) { let v = 0; for (const [j, f] of wx[x]) v += f * src[y * w + j]; rows[y * tw + x] = v; }
  for (let y = 0; y < th; y++)
    for (let x = 0; x < tw; x++) { let v = 0; for (const [j, f] of wy[y]) v += f * rows[j * tw + x]; out[y * tw + x] = v; }
  return { out, tw, th };
}

/** A drawing (w x h ink values in [0, 1], row-major) prepared as MNIST's digits were: the ink's bounding box scaled,
 *  keeping its aspect ratio, so that its longer side is 20 pixels (area averaging: anti-aliased), then placed in a
 *  28 x 28 field with its centre of mass on the field's centre. Returns 784 values in [0, 1] (all 0 without ink). */
export function preprocessDigit(ink, w, h) {
  let x0 = w, x1 = -1, y0 = h, y1 = -1;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      if (ink[y * w + x] > 0) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
  const X = new Float32Array(784);
  if (x1 < 0) return X;
  const bw = x1 - x0 + 1, bh = y1 - y0 + 1;
  const box = new Float64Array(bw * bh);
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) box[y * bw + x] = ink[(y0 + y) * w + x0 + x];
  const { out: small, tw, th } = resampleArea(box, bw, bh, 20 / Math.max(bw, bh));
  let mass = 0, cx = 0, cy = 0;                                 // centre of mass, in pixel units (centre of pixel x is x + 0.5)
  for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) { const v = small[y * tw + x]; mass += v; cx += v * (x + 0.5); cy += v * (y + 0.5); }
  const ox = Math.round(14 - cx / mass), oy = Math.round(14 - cy / mass);
  for (let y = 0; y < th; y++)
    for (let x = 0; x < tw; x++) {
      const X28 = x + ox, Y28 = y + oy;
      if (X28 >= 0 && X28 < 28 && Y28 >= 0 && Y28 < 28) X[Y28 * 28 + X28] = Math.min(1, Math.max(0, small[y * tw + x]));
    }
  return X;
}

// ----------------------------------------------------------------------------------------------- helpers

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (k === 'style') e.style.cssText = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

/** Matplotlib's RdBu_r, roughly: blue at 0, near-white at 0.5, red at 1. */
function rdbu(p) {
  const lo = [33, 102, 172], mid = [247, 247, 247], hi = [178, 24, 43];
  const [a, b, t] = p < 0.5 ? [lo, mid, p / 0.5] : [mid, hi, (p - 0.5) / 0.5];
  return a.map((v, i) => Math.round(v + (b[i] - v) * t));
}

/** Draw `values` (n x m, in [0, 1]) as a grey-scale image of n x m pixels on `canvas` (ink dark, like show_digits). */
function drawGrey(canvas, values, m, n) {
  const ctx = canvas.getContext('2d'), img = ctx.createImageData(m, n);
  for (let i = 0; i < m * n; i++) { const g = 255 - Math.round(255 * values[i]); img.data.set([g, g, g, 255], 4 * i); }
  ctx.putImageData(img, 0, 0);
}

// ------------------------------------------------------------------------------------------- draw a digit

/** The "Draw a digit" widget in `root`: a 28 x 28 canvas drawn large, the ten probabilities, the hidden layer. */
export async function mountDigitPad(root, modelUrl) {
  const model = loadModel(await (await fetch(modelUrl)).json());
  const SIZE = 280, pad = el('canvas', { width: SIZE, height: SIZE, 'aria-label': 'drawing area: draw a digit',
    style: 'width:280px;height:280px;border:1px solid #999;border-radius:4px;background:#fff;touch-action:none;cursor:crosshair' });
  const input = el('canvas', { width: 28, height: 28, title: 'what the network sees: 28 x 28, as MNIST',
    style: 'width:112px;height:112px;image-rendering:pixelated;border:1px solid #ccc' });
  const hiddenN = model.sizes[1], side = Math.ceil(Math.sqrt(hiddenN));
  const heat = el('canvas', { width: side, height: side, title: `the ${hiddenN} hidden activations A1`,
    style: 'width:112px;height:112px;image-rendering:pixelated;border:1px solid #ccc' });
  const bars = el('div', { class: 'ffnn-bars', style: 'display:flex;align-items:flex-end;gap:4px;height:150px;margin-top:4px' });
  const barEls = [];
  for (let d = 0; d < 10; d++) {
    const fill = el('div', { style: 'width:100%;background:#4c72b0;height:0%' }), pct = el('div', { style: 'font-size:10px;height:14px' }, '');
    const col = el('div', { class: 'ffnn-bar', 'data-digit': d, style: 'display:flex;flex-direction:column;justify-content:flex-end;align-items:center;width:26px;height:100%' },
      pct, el('div', { style: 'height:110px;width:100%;display:flex;align-items:flex-end;background:#f2f2f2' }, fill), el('div', { style: 'font-weight:bold' }, String(d)));
    barEls.push({ fill, pct }); bars.append(col);
  }
  const verdict = el('div', { class: 'ffnn-verdict', style: 'font-size:1.2em;height:1.5em' }, 'Draw a digit in the box.');
  const clear = el('button', { type: 'button', class: 'btn btn-outline-secondary btn-sm' }, 'Clear');
  root.append(el('div', { style: 'display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start' },
    el('div', {}, pad, el('div', {}, clear)),
    el('div', {}, verdict, bars,
      el('div', { style: 'display:flex;gap:12px;margin-top:8px' },
        el('figure', { style: 'margin:0' }, input, el('figcaption', { style: 'font-size:11px' }, 'input X (28×28)')),
        el('figure', { style: 'margin:0' }, heat, el('figcaption', { style: 'font-size:11px' }, `hidden A₁ (${hiddenN})`))))));

  const ctx = pad.getContext('2d', { willReadFrequently: true });   // update() reads the pixels back on every stroke
  ctx.lineWidth = 22; ctx.lineCap = ctx.lineJoin = 'round'; ctx.strokeStyle = ctx.fillStyle = '#000';
  let drawing = false, last = null, queued = false;
  const at = (e) => { const r = pad.getBoundingClientRect(); return [(e.clientX - r.left) * SIZE / r.width, (e.clientY - r.top) * SIZE / r.height]; };
  pad.addEventListener('pointerdown', (e) => { drawing = true; last = at(e); pad.setPointerCapture(e.pointerId); stroke(at(e)); });
  pad.addEventListener('pointermove', (e) => { if (drawing) stroke(at(e)); });
  for (const ev of ['pointerup', 'pointercancel']) pad.addEventListener(ev, () => { drawing = false; last = null; });
  function stroke(p) {
    ctx.beginPath();
    if (p[0] === last[0] && p[1] === last[1]) { ctx.arc(...p, ctx.lineWidth / 2, 0, 2 * Math.PI); ctx.fill(); }   // a tap: a dot
    else { ctx.moveTo(...last); ctx.lineTo(...p); ctx.stroke(); }
    last = p;
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; update(); }); }
  }
  function update() {
    const rgba = ctx.getImageData(0, 0, SIZE, SIZE).data, ink = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i + 3] / 255;       // the stroke's opacity is the ink
    const X = preprocessDigit(ink, SIZE, SIZE);
    drawGrey(input, X, 28, 28);
    const cache = forward(model, X), P = cache[cache.length - 1].A, A1 = cache[0].A;
    let amax = 0; for (const a of A1) amax = Math.max(amax, a);
    const hv = new Float64Array(side * side); A1.forEach((a, i) => { hv[i] = amax > 0 ? a / amax : 0; });
    drawGrey(heat, hv, side, side);
    let best = 0; for (let d = 1; d < 10; d++) if (P[d] > P[best]) best = d;
    const empty = X.every((v) => v === 0);
    barEls.forEach(({ fill, pct }, d) => {
      fill.style.height = empty ? '0%' : `${(100 * P[d]).toFixed(1)}%`;
      fill.style.background = d === best && !empty ? '#dd8452' : '#4c72b0';
      pct.textContent = empty ? '' : `${Math.round(100 * P[d])}%`;
    });
    verdict.textContent = empty ? 'Draw a digit in the box.' : `The network reads a ${best} (${(100 * P[best]).toFixed(1)}%).`;
    root.dataset.prediction = empty ? '' : String(best);
  }
  clear.addEventListener('click', () => { ctx.clearRect(0, 0, SIZE, SIZE); update(); });
  update();
  return (root.ffnnWidget = { model, update, pad });   // kept on the element too: a test (or a curious reader) can reach it
}

// ------------------------------------------------------------------------------------------ watch XOR learn

/** Fresh Glorot-uniform weights for `model` (biases 0.5 after ReLU, else 0), from Math.random. */
function newWeights(model) {
  for (const l of model.layers) {
    const bound = Math.sqrt(6 / (l.nIn + l.nOut));
    for (let i = 0; i < l.W.length; i++) l.W[i] = (2 * Math.random() - 1) * bound;
    if (l.b !== null) l.b.fill(l.activation === 'relu' ? 0.5 : 0);
  }
}

/** The network drawn as draw_network draws it: red for positive weights, blue for negative, thicker when larger. */
function drawNetwork(canvas, model) {
  const ctx = canvas.getContext('2d'), { width: W, height: H } = canvas, sizes = model.sizes;
  ctx.clearRect(0, 0, W, H);
  const x = (li) => 30 + li * (W - 60) / (sizes.length - 1), y = (li, i) => H / 2 + (i - (sizes[li] - 1) / 2) * 48;
  let wmax = 0; for (const l of model.layers) for (const w of l.W) wmax = Math.max(wmax, Math.abs(w));
  model.layers.forEach((l, li) => {
    for (let i = 0; i < l.nIn; i++)
      for (let j = 0; j < l.nOut; j++) {
        const w = l.W[i * l.nOut + j];
        ctx.strokeStyle = w > 0 ? 'rgba(214,39,40,0.75)' : 'rgba(31,119,180,0.75)';
        ctx.lineWidth = 0.5 + 5 * Math.abs(w) / (wmax || 1);
        ctx.beginPath(); ctx.moveTo(x(li), y(li, i)); ctx.lineTo(x(li + 1), y(li + 1, j)); ctx.stroke();
      }
  });
  sizes.forEach((n, li) => {
    for (let i = 0; i < n; i++) {
      ctx.fillStyle = li === 0 ? '#2ca02c' : li === sizes.length - 1 ? '#ff7f0e' : '#9467bd';
      ctx.beginPath(); ctx.arc(x(li), y(li, i), 11, 0, 2 * Math.PI); ctx.fill(); ctx.strokeStyle = '#000'; ctx.lineWidth = 1; ctx.stroke();
    }
  });
}

/** P(class 1) over [-0.5, 1.5]^2 as a coloured image, the 0.5 level darkened, and the four XOR points on top. */
function drawBoundary(canvas, model, X, Y) {
  const ctx = canvas.getContext('2d'), N = 120, S = canvas.width, lo = -0.5, hi = 1.5;
  const G = new Float64Array(N * N * 2);
  for (let r = 0; r < N; r++) for (let c = 0; c < N; c++) { G[2 * (r * N + c)] = lo + (c + 0.5) * (hi - lo) / N; G[2 * (r * N + c) + 1] = hi - (r + 0.5) * (hi - lo) / N; }
  const P = predictProba(model, G), img = ctx.createImageData(N, N);
  for (let i = 0; i < N * N; i++) {
    const side = P[i] >= 0.5, c = i % N;                              // on the 0.5 level: a neighbour on the other side
    const edge = (c + 1 < N && (P[i + 1] >= 0.5) !== side) || (i + N < N * N && (P[i + N] >= 0.5) !== side) ? 0.1 : 1;
    const [rr, gg, bb] = rdbu(P[i]);
    img.data.set([rr * edge, gg * edge, bb * edge, 255], 4 * i);
  }
  const off = new OffscreenCanvas(N, N); off.getContext('2d').putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true; ctx.drawImage(off, 0, 0, S, S);
  for (let i = 0; i < Y.length; i++) {
    const px = (X[2 * i] - lo) / (hi - lo) * S, py = (hi - X[2 * i + 1]) / (hi - lo) * S, [rr, gg, bb] = rdbu(Y[i]);
    ctx.fillStyle = `rgb(${rr},${gg},${bb})`; ctx.strokeStyle = '#000'; ctx.lineWidth = 2.5;
    ctx.beginPath(); ctx.arc(px, py, 9, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
  }
}

/** The "Watch XOR learn" widget in `root`: the 2-3-1 network of `initUrl` trained live on XOR with ffnn.js. */
export async function mountXor(root, initUrl) {
  const init = await (await fetch(initUrl)).json();
  const X = new Float64Array([0, 0, 0, 1, 1, 0, 1, 1]), Y = new Float64Array([0, 1, 1, 0]);
  let model = loadModel(init), opt, steps = 0, timer = null;
  const boundary = el('canvas', { width: 240, height: 240, 'aria-label': 'decision boundary', style: 'border:1px solid #999' });
  const net = el('canvas', { width: 300, height: 240, 'aria-label': 'the network, weights by colour and width' });
  const status = el('div', { class: 'ffnn-status', style: 'font-family:monospace' });
  const btn = (label, f) => el('button', { type: 'button', class: 'btn btn-outline-secondary btn-sm', style: 'margin-right:4px', onclick: f }, label);
  const optSel = el('select', { 'aria-label': 'optimizer' }, el('option', { value: 'adam' }, 'Adam'), el('option', { value: 'sgd' }, 'SGD'));
  const lrIn = el('input', { type: 'range', min: '-3', max: '0.3', step: '0.1', value: String(Math.log10(0.05)), 'aria-label': 'learning rate (log10)' });
  const lrOut = el('span', { style: 'font-family:monospace' });
  const lr = () => Number((10 ** Number(lrIn.value)).toPrecision(2));
  const start = btn('Start', () => (timer ? pause() : run()));
  root.append(el('div', {},
    el('div', { style: 'margin-bottom:6px' }, start, btn('Step', () => { pause(); train(1); }), btn('Reset', () => reset(false)),
      btn('New weights', () => reset(true)), ' ', optSel, ' learning rate ', lrIn, ' ', lrOut),
    el('div', { style: 'display:flex;flex-wrap:wrap;gap:16px;align-items:center' }, boundary, net), status));
  function newOpt() { opt = makeOptimizer(optSel.value, { lr: lr() }); }
  function draw() {
    const P = predictProba(model, X);
    drawBoundary(boundary, model, X, Y); drawNetwork(net, model);
    status.textContent = `step ${steps}   cost J = ${cost(P, Y, 1).toFixed(4)}   outputs ${Array.from(P, (p) => p.toFixed(3)).join(' ')}`;
    lrOut.textContent = String(lr());
    root.dataset.steps = String(steps);
  }
  function train(k) { for (let i = 0; i < k; i++) { trainStep(model, X, Y, opt); steps++; } draw(); }
  function run() { start.textContent = 'Pause'; const tick = () => { train(2); timer = requestAnimationFrame(tick); }; timer = requestAnimationFrame(tick); }
  function pause() { if (timer) cancelAnimationFrame(timer); timer = null; start.textContent = 'Start'; }
  function reset(fresh) { pause(); model = loadModel(init); if (fresh) newWeights(model); steps = 0; newOpt(); draw(); }
  optSel.addEventListener('change', () => { newOpt(); draw(); });
  lrIn.addEventListener('input', () => { opt.lr = lr(); draw(); });
  reset(false);
  return (root.ffnnWidget = { get model() { return model; }, get opt() { return opt; }, train, reset, pause });
}
