// The page's preprocessing of a drawing (nbs/static/ffnn-widgets.js) does what MNIST's did: `node --test tests/js/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preprocessDigit, resampleArea } from '../../nbs/static/ffnn-widgets.js';
import { loadModel, predict } from '../../nbs/static/ffnn.js';

const HERE = dirname(fileURLToPath(import.meta.url)), ROOT = join(HERE, '..', '..');

/** Centre of mass (x, y) of a 28 x 28 image, in pixel units (the centre of pixel x is x + 0.5). */
function centre(X) {
  let m = 0, cx = 0, cy = 0;
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) { const v = X[y * 28 + x]; m += v; cx += v * (x + 0.5); cy += v * (y + 0.5); }
  return [cx / m, cy / m];
}

/** A w x h canvas of ink with the rectangle [x0, x1) x [y0, y1) filled. */
function rect(w, h, x0, x1, y0, y1) {
  const ink = new Float32Array(w * h);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * w + x] = 1;
  return ink;
}

test('no ink: an empty digit', () => {
  assert.ok(preprocessDigit(new Float32Array(280 * 280), 280, 280).every((v) => v === 0));
});

test('area averaging keeps the ink (times the area scale) and the value range', () => {
  const src = new Float64Array(30 * 20).map((_, i) => (i * 7919 % 13) / 12), s = 0.23;
  const { out, tw, th } = resampleArea(src, 30, 20, s);
  const sum = (a) => a.reduce((t, v) => t + v, 0);
  assert.deepEqual([tw, th], [7, 5]);                                      // ceil(6.9), ceil(4.6): the last column and row partly covered
  assert.ok(Math.abs(sum(out) - sum(src) * s * s) < 1e-9);
  assert.ok(out.every((v) => v >= 0 && v <= 1 + 1e-12));
  const ones = resampleArea(new Float64Array(100).fill(1), 10, 10, 0.5).out;
  assert.ok(ones.every((v) => Math.abs(v - 1) < 1e-12));                   // a uniform image stays uniform
});

test('the bounding box is scaled to 20 pixels on its longer side and centred by mass in 28 x 28', () => {
  const X = preprocessDigit(rect(280, 280, 30, 130, 50, 250), 280, 280);   // 100 wide, 200 tall, off centre
  let n = 0, x0 = 28, x1 = -1, y0 = 28, y1 = -1;
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) if (X[y * 28 + x] > 0) { n++; x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
  assert.deepEqual([x1 - x0 + 1, y1 - y0 + 1, n], [10, 20, 200]);
  const [cx, cy] = centre(X);
  assert.ok(Math.abs(cx - 14) <= 0.5 && Math.abs(cy - 14) <= 0.5, `centre of mass ${cx}, ${cy}`);
  assert.ok(X.every((v) => v >= 0 && v <= 1));
});

test('edges are anti-aliased: a box that does not scale to whole pixels gets grey borders', () => {
  const X = preprocessDigit(rect(280, 280, 0, 61, 0, 210), 280, 280);      // 61 x 210 -> 5.81 x 20: a column 0.81 full
  assert.ok(X.some((v) => v > 0.05 && v < 0.95));
});

test('MNIST digits drawn ten times larger are read as the digits themselves', (t) => {
  const dir = process.env.FFNN_LIT_DATA, f = dir && join(dir, 't10k-images-idx3-ubyte.gz');
  if (!dir || !existsSync(f)) { t.skip('MNIST is missing: set FFNN_LIT_DATA to the folder of the .gz files'); return; }
  const raw = gunzipSync(readFileSync(f)).subarray(16), n = 500, s = Math.fround(1 / 255);
  const model = loadModel(JSON.parse(readFileSync(join(ROOT, 'nbs', 'static', 'mnist-784-256-10.json'), 'utf8')));
  const direct = new Float32Array(n * 784), drawn = new Float32Array(n * 784);
  for (let k = 0; k < n; k++) {
    const ink = new Float32Array(280 * 280);                              // nearest-neighbour upscaling: a "drawing" of the digit
    for (let y = 0; y < 280; y++) for (let x = 0; x < 280; x++) ink[y * 280 + x] = raw[k * 784 + Math.floor(y / 10) * 28 + Math.floor(x / 10)] / 255;
    drawn.set(preprocessDigit(ink, 280, 280), k * 784);
    for (let i = 0; i < 784; i++) direct[k * 784 + i] = raw[k * 784 + i] * s;
  }
  const a = predict(model, direct), b = predict(model, drawn);
  let same = 0; for (let k = 0; k < n; k++) same += a[k] === b[k];
  console.log(`MNIST re-drawn: ${same} of ${n} read as the original`);
  assert.ok(same / n >= 0.95, `${same} of ${n}`);
});
