// ffnn.js agrees with Python: run with `node --test tests/js/` (Node >= 20, no packages).
//   FFNN_LIT_DATA  folder with the MNIST .gz files (t10k-*): for the 10,000-digit parity check
//   EXPECTED       Python's probabilities for them, written by tests/js/make_expected.py
// Without them, the MNIST check is skipped with a message; the fixture checks always run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ffnn from '../../nbs/static/ffnn.js';

const HERE = dirname(fileURLToPath(import.meta.url)), ROOT = join(HERE, '..', '..');
const readJSON = (p) => JSON.parse(readFileSync(p, 'utf8'));
const MODEL = readJSON(join(ROOT, 'nbs', 'static', 'mnist-784-256-10.json'));

/** The largest |a[i] - b[i]|. */
function maxAbsDiff(a, b) {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The numbers of an IDX file (MNIST's format): big-endian magic 0x0000 0x08 ndim, ndim sizes, then unsigned bytes. */
function parseIdx(buf) {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  assert.equal(view.getUint16(0), 0, 'IDX magic must start with two zero bytes');
  assert.equal(view.getUint8(2), 0x08, 'only unsigned-byte IDX files are MNIST');
  const ndim = view.getUint8(3), shape = [];
  for (let i = 0; i < ndim; i++) shape.push(view.getUint32(4 + 4 * i));
  const data = buf.subarray(4 + 4 * ndim);
  assert.equal(data.length, shape.reduce((a, b) => a * b, 1), 'IDX data length must match its shape');
  return { shape, data };
}

/** Pixels scaled as load_mnist scales them: uint8 times float32(1/255), rounded to float32. */
function scalePixels(bytes) {
  const X = new Float32Array(bytes.length), s = Math.fround(1 / 255);
  for (let i = 0; i < bytes.length; i++) X[i] = bytes[i] * s;
  return X;
}

/** The synthetic inputs of nbs/16_web.ipynb (`synthetic_inputs`): MNIST's pixel values from an integer formula. */
function syntheticInputs(n, nIn = 784) {
  const bytes = new Uint8Array(n * nIn);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < nIn; j++) {
      const h = ((i + 1) * (j + 3) * 2654435761) % 1000003 % 512;   // < 2^53: exact in a double
      bytes[i * nIn + j] = h < 256 ? h : 0;
    }
  return scalePixels(bytes);
}

test('activations are stable at extreme inputs', () => {
  assert.equal(ffnn.sigmoid(1000), 1); assert.equal(ffnn.sigmoid(-1000), 0); assert.equal(ffnn.sigmoid(0), 0.5);
  assert.ok(ffnn.sigmoid(-745) > 0 || ffnn.sigmoid(-745) === 0);
  const Z = new Float64Array([1000, 1001, 1002, -1000, -1001, -1002]), A = new Float64Array(6);
  ffnn.activations.softmax.f(Z, A, 3);
  const e = [Math.exp(-2), Math.exp(-1), 1], s = e[0] + e[1] + e[2];
  assert.ok(maxAbsDiff(A.subarray(0, 3), e.map((x) => x / s)) < 1e-15);
  assert.ok(maxAbsDiff(A.subarray(3), e.reverse().map((x) => x / s)) < 1e-15);
});

test('loadModel refuses what it cannot run', () => {
  const tweak = (f) => { const d = structuredClone(MODEL); f(d); return d; };
  assert.throws(() => ffnn.loadModel(tweak((d) => { d.format = 'keras'; })), /format is "keras"/);
  assert.throws(() => ffnn.loadModel(tweak((d) => { d.version = 2; })), /version 2 is newer/);
  assert.throws(() => ffnn.loadModel(tweak((d) => { d.dtype = 'float16'; })), /dtype must be float32 or float64/);
  assert.throws(() => ffnn.loadModel(tweak((d) => { d.layers[0].activation = 'gelu'; })), /unknown activation "gelu"/);
  assert.throws(() => ffnn.loadModel(tweak((d) => { d.layers[1].b = d.layers[1].b.slice(0, 8); })), /b holds 1 numbers, 10 expected/);
  assert.throws(() => ffnn.loadModel(tweak((d) => { d.sizes = [784, 256]; })), /1 layers expected/);
  assert.throws(() => ffnn.predictProba(ffnn.loadModel(MODEL), new Float32Array(785)), /not a whole number of rows of 784/);
});

test('the MNIST model on synthetic inputs: Python\'s outputs (committed fixture)', () => {
  const fx = readJSON(join(HERE, 'fixtures', 'mnist-synthetic.json')), model = ffnn.loadModel(MODEL);
  const P = ffnn.predictProba(model, syntheticInputs(fx.n));
  assert.ok(P instanceof Float64Array);
  const d = maxAbsDiff(P, fx.expected.flat());
  console.log(`synthetic inputs: ${fx.n} rows, largest difference from Python ${d.toExponential(2)}`);
  assert.ok(d < 1e-5, `largest difference ${d}`);
});

test('the MNIST model on the 10,000 test digits: the same labels as Python, probabilities within 1e-5', (t) => {
  const dir = process.env.FFNN_LIT_DATA, expected = process.env.EXPECTED;
  const images = dir && join(dir, 't10k-images-idx3-ubyte.gz'), labels = dir && join(dir, 't10k-labels-idx1-ubyte.gz');
  if (!dir || !existsSync(images) || !existsSync(labels)) { t.skip('MNIST is missing: set FFNN_LIT_DATA to the folder of the .gz files'); return; }
  if (!expected || !existsSync(expected)) { t.skip('no expected outputs: set EXPECTED to the file tests/js/make_expected.py writes'); return; }
  const img = parseIdx(gunzipSync(readFileSync(images))), lab = parseIdx(gunzipSync(readFileSync(labels)));
  assert.deepEqual(img.shape, [10000, 28, 28]); assert.deepEqual(lab.shape, [10000]);
  const raw = readFileSync(expected), Pexp = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  assert.equal(Pexp.length, 10000 * 10);
  const model = ffnn.loadModel(MODEL), X = scalePixels(img.data);
  const P = ffnn.predictProba(model, X), pred = ffnn.predict(model, X);
  let sameLabels = 0, hits = 0;
  for (let r = 0; r < 10000; r++) {
    let best = 0;
    for (let j = 1; j < 10; j++) if (Pexp[r * 10 + j] > Pexp[r * 10 + best]) best = j;
    sameLabels += pred[r] === best; hits += pred[r] === lab.data[r];
  }
  const d = maxAbsDiff(P, Pexp);
  console.log(`MNIST: ${sameLabels} of 10000 labels as Python's, accuracy ${hits / 10000}, largest difference ${d.toExponential(2)}`);
  assert.equal(sameLabels, 10000);
  assert.ok(d < 1e-5, `largest difference ${d}`);
  assert.ok(hits / 10000 >= 0.98);
});

for (const run of readJSON(join(HERE, 'fixtures', 'xor-2-3-1.json')).runs) {
  test(`XOR, ${run.optimizer} lr=${run.lr}: 100 steps end within 1e-9 of Python's parameters`, () => {
    const fx = readJSON(join(HERE, 'fixtures', 'xor-2-3-1.json'));
    const model = ffnn.loadModel(fx.init), final = ffnn.loadModel(run.final);
    const X = new Float64Array(fx.X.flat()), Y = new Float64Array(fx.Y);
    const opt = ffnn.makeOptimizer(run.optimizer, { lr: run.lr });
    const J = [];
    for (let s = 0; s < fx.steps; s++) J.push(ffnn.trainStep(model, X, Y, opt));
    let d = 0;
    model.layers.forEach((l, i) => {
      d = Math.max(d, maxAbsDiff(l.W, final.layers[i].W));
      if (l.b !== null) d = Math.max(d, maxAbsDiff(l.b, final.layers[i].b));
    });
    const dJ = maxAbsDiff(J, run.loss);
    console.log(`XOR ${run.optimizer}: largest parameter difference ${d.toExponential(2)}, cost ${dJ.toExponential(2)}`);
    assert.ok(d < 1e-9, `largest parameter difference ${d}`);
    assert.ok(dJ < 1e-9, `largest cost difference ${dJ}`);
    assert.deepEqual(Array.from(ffnn.predict(model, X)), run.predict);
    assert.notDeepEqual(Array.from(model.layers[0].W), Array.from(ffnn.loadModel(fx.init).layers[0].W));   // it did train
  });
}

test('trainStep refuses an output it has no delta for', () => {
  const fx = readJSON(join(HERE, 'fixtures', 'xor-2-3-1.json')), model = ffnn.loadModel(fx.init);
  model.layers[1].activation = 'tanh';
  assert.throws(() => ffnn.trainStep(model, new Float64Array(fx.X.flat()), new Float64Array(fx.Y), ffnn.makeOptimizer('sgd')), /sigmoid or softmax output/);
  assert.throws(() => ffnn.makeOptimizer('rmsprop'), /unknown optimizer "rmsprop"/);
});
