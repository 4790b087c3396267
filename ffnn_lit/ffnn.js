// ffnn.js: the ffnn-lit network in the browser, as a dependency-free ES module.
//
// The same math as the notebooks, with the same names. A batch is a flat row-major array of n rows:
// X is n x n_in, and for every layer l
//     Z = X W + b        (n x n_out)        W is n_in x n_out, b is n_out, both row-major
//     A = f(Z)           (n x n_out)        A is the next layer's X
// and backward, for a sigmoid output with binary cross-entropy (or softmax with categorical cross-entropy),
//     delta_L = (A_L - Y) / n
//     dW = X^T delta,  db = column sums of delta,  delta_{l-1} = (delta W^T) * f'(Z_{l-1})
// All arithmetic is in float64 (JavaScript numbers). Parameters are held as Float64Array whatever the
// dtype of the file: a float32 model's weights are exactly representable, so nothing is lost.
//
// The file format (written by ffnn_lit.web.export_web, read by loadModel), "ffnn-lit-web" version 1:
//     {"format": "ffnn-lit-web", "version": 1, "sizes": [784, 256, 10], "dtype": "float32",
//      "layers": [{"activation": "relu", "W": "<base64>", "b": "<base64>" or null}, ...], "meta": {...}}
// W and b are the little-endian bytes of the dtype (float32 or float64), row-major, in base64.

export const FORMAT = 'ffnn-lit-web';
export const VERSION = 1;
const ITEMSIZE = { float32: 4, float64: 8 };

// ---------------------------------------------------------------------------------------------- loading

/** The numbers in `s` (base64 of little-endian float32 or float64 bytes), as a Float64Array. */
export function decodeBase64(s, dtype) {
  const bin = atob(s), bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const size = ITEMSIZE[dtype], view = new DataView(bytes.buffer), out = new Float64Array(bytes.length / size);
  for (let i = 0; i < out.length; i++) out[i] = size === 4 ? view.getFloat32(4 * i, true) : view.getFloat64(8 * i, true);
  return out;
}

/** A model from the JSON that export_web writes (the parsed object, or its text): checked, then decoded. */
export function loadModel(json) {
  const d = typeof json === 'string' ? JSON.parse(json) : json;
  const bad = (why) => { throw new Error(`not an ffnn-lit web model: ${why}`); };
  if (d === null || typeof d !== 'object') bad('not a JSON object');
  if (d.format !== FORMAT) bad(`format is ${JSON.stringify(d.format)}, expected "${FORMAT}"`);
  if (!Number.isInteger(d.version) || d.version < 1) bad(`version is ${JSON.stringify(d.version)}`);
  if (d.version > VERSION) bad(`version ${d.version} is newer than this ffnn.js reads (${VERSION})`);
  if (!(d.dtype in ITEMSIZE)) bad(`dtype must be float32 or float64, got ${JSON.stringify(d.dtype)}`);
  const sizes = d.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s > 0)) bad('sizes must be >= 2 positive integers');
  if (!Array.isArray(d.layers) || d.layers.length !== sizes.length - 1) bad(`${sizes.length - 1} layers expected`);
  const layers = d.layers.map((l, i) => {
    const nIn = sizes[i], nOut = sizes[i + 1];
    if (!(l.activation in activations)) bad(`layer ${i + 1}: unknown activation ${JSON.stringify(l.activation)}`);
    const W = decodeBase64(l.W, d.dtype), b = l.b === null ? null : decodeBase64(l.b, d.dtype);
    if (W.length !== nIn * nOut) bad(`layer ${i + 1}: W holds ${W.length} numbers, ${nIn} x ${nOut} expected`);
    if (b !== null && b.length !== nOut) bad(`layer ${i + 1}: b holds ${b.length} numbers, ${nOut} expected`);
    return { nIn, nOut, activation: l.activation, W, b };
  });
  return { sizes: sizes.slice(), dtype: d.dtype, layers, meta: d.meta ?? {} };
}

// ------------------------------------------------------------------------------------------ activations
// Each activation: f(Z, A) writes f(Z) into A, for `n` rows of `k` columns; backward(dA, Z, A) returns
// the gradient w.r.t. Z from the gradient dA w.r.t. A (in place in dA), as Activation.backward in Python.

/** Numerically stable logistic function: never exponentiates a positive number. */
export function sigmoid(z) {
  const e = Math.exp(-Math.abs(z));
  return (z >= 0 ? 1 : e) / (1 + e);
}

export const activations = {
  identity: {
    f(Z, A) { A.set(Z); },
    backward(dA) { return dA; },
  },
  relu: {
    f(Z, A) { for (let i = 0; i < Z.length; i++) A[i] = Z[i] > 0 ? Z[i] : 0; },
    backward(dA, Z) { for (let i = 0; i < dA.length; i++) if (!(Z[i] > 0)) dA[i] = 0; return dA; },
  },
  sigmoid: {
    f(Z, A) { for (let i = 0; i < Z.length; i++) A[i] = sigmoid(Z[i]); },
    backward(dA, Z, A) { for (let i = 0; i < dA.length; i++) dA[i] *= A[i] * (1 - A[i]); return dA; },
  },
  tanh: {
    f(Z, A) { for (let i = 0; i < Z.length; i++) A[i] = Math.tanh(Z[i]); },
    backward(dA, Z, A) { for (let i = 0; i < dA.length; i++) dA[i] *= 1 - A[i] * A[i]; return dA; },
  },
  softmax: {            // row by row, stable: the row maximum is subtracted before exponentiating
    f(Z, A, k) {
      for (let r = 0; r < Z.length; r += k) {
        let max = -Infinity, sum = 0;
        for (let j = 0; j < k; j++) max = Math.max(max, Z[r + j]);
        for (let j = 0; j < k; j++) sum += (A[r + j] = Math.exp(Z[r + j] - max));
        for (let j = 0; j < k; j++) A[r + j] /= sum;
      }
    },
    backward(dA, Z, A, k) {   // dZ = A * (dA - sum(dA * A)) per row
      for (let r = 0; r < dA.length; r += k) {
        let s = 0;
        for (let j = 0; j < k; j++) s += dA[r + j] * A[r + j];
        for (let j = 0; j < k; j++) dA[r + j] = A[r + j] * (dA[r + j] - s);
      }
      return dA;
    },
  },
};

// ------------------------------------------------------------------------------------------------ forward

/** Z = X W + b for `n` rows: X is n x nIn, W is nIn x nOut, both row-major. */
export function linear(X, W, b, n, nIn, nOut) {
  const Z = new Float64Array(n * nOut);
  for (let r = 0; r < n; r++) {
    const z = r * nOut;
    for (let i = 0; i < nIn; i++) {
      const x = X[r * nIn + i];
      if (x === 0) continue;                       // MNIST rows are mostly zeros
      const w = i * nOut;
      for (let j = 0; j < nOut; j++) Z[z + j] += x * W[w + j];
    }
    if (b !== null) for (let j = 0; j < nOut; j++) Z[z + j] += b[j];   // X W first, then + b, as NumPy does
  }
  return Z;
}

/** Feed the n x n_in batch `X` through every layer; per layer {X, Z, A} (what backward needs). */
export function forward(model, X) {
  const n = batchRows(model, X), cache = [];
  for (const l of model.layers) {
    const Z = linear(X, l.W, l.b, n, l.nIn, l.nOut), A = new Float64Array(Z.length);
    activations[l.activation].f(Z, A, l.nOut);
    cache.push({ X, Z, A });
    X = A;
  }
  return cache;
}

function batchRows(model, X) {
  const nIn = model.sizes[0], n = X.length / nIn;
  if (!Number.isInteger(n) || n < 1) throw new Error(`X holds ${X.length} numbers: not a whole number of rows of ${nIn}`);
  return n;
}

/** The network's outputs for the n x n_in batch `X` (e.g. a Float32Array): a Float64Array of n x n_out. */
export function predictProba(model, X) {
  const cache = forward(model, X);
  return cache[cache.length - 1].A;
}

/** Class labels: P >= 0.5 for a single output, the argmax of each row for several (an Int32Array of n). */
export function predict(model, X) {
  const P = predictProba(model, X), k = model.sizes[model.sizes.length - 1], n = P.length / k;
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    if (k === 1) { y[r] = P[r] >= 0.5 ? 1 : 0; continue; }
    let best = 0;
    for (let j = 1; j < k; j++) if (P[r * k + j] > P[r * k + best]) best = j;
    y[r] = best;
  }
  return y;
}

// ----------------------------------------------------------------------------------------------- backward

/** Mean cross-entropy of the outputs P for targets Y (binary for one output, categorical for several). */
export function cost(P, Y, k) {
  const eps = 1e-12, n = P.length / k;
  let J = 0;
  for (let i = 0; i < P.length; i++) {
    const p = Math.min(Math.max(P[i], eps), 1 - eps);
    J -= k === 1 ? Y[i] * Math.log(p) + (1 - Y[i]) * Math.log(1 - p) : Y[i] * Math.log(Math.max(P[i], eps));
  }
  return J / n;
}

/** Gradients [{dW, db}] per layer, for the `cache` of a forward pass and targets Y (n x n_out). */
export function backward(model, cache, Y) {
  const L = model.layers, out = L[L.length - 1], last = cache[cache.length - 1];
  const pair = `${out.activation}+${out.nOut === 1 ? 'bce' : 'cce'}`;
  if (pair !== 'sigmoid+bce' && pair !== 'softmax+cce') throw new Error(`training needs a sigmoid or softmax output layer, got ${out.activation}`);
  const n = last.A.length / out.nOut;
  let delta = new Float64Array(last.A.length);
  for (let i = 0; i < delta.length; i++) delta[i] = (last.A[i] - Y[i]) / n;                      // delta_L = (A_L - Y) / n
  const grads = new Array(L.length);
  for (let l = L.length - 1; l >= 0; l--) {
    const { nIn, nOut, W, b } = L[l], X = cache[l].X;
    const dW = new Float64Array(nIn * nOut), db = b === null ? null : new Float64Array(nOut);
    for (let i = 0; i < nIn; i++)                                                               // dW = X^T delta
      for (let j = 0; j < nOut; j++) {
        let s = 0;
        for (let r = 0; r < n; r++) s += X[r * nIn + i] * delta[r * nOut + j];
        dW[i * nOut + j] = s;
      }
    if (db !== null) for (let r = 0; r < n; r++) for (let j = 0; j < nOut; j++) db[j] += delta[r * nOut + j];  // db = column sums
    grads[l] = { dW, db };
    if (l > 0) {                                                                                // delta_{l-1} = delta W^T * f'(Z_{l-1})
      const dA = new Float64Array(n * nIn);
      for (let r = 0; r < n; r++)
        for (let i = 0; i < nIn; i++) {
          let s = 0;
          for (let j = 0; j < nOut; j++) s += delta[r * nOut + j] * W[i * nOut + j];
          dA[r * nIn + i] = s;
        }
      delta = activations[L[l - 1].activation].backward(dA, cache[l - 1].Z, cache[l - 1].A, nIn);
    }
  }
  return grads;
}

// ------------------------------------------------------------------------------------------------ optimisers

const DEFAULTS = { sgd: { lr: 0.1 }, adam: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 } };

/** An optimiser: {name, lr, ...hyper-parameters, t, state}; the defaults are those of ffnn_lit.learner. */
export function makeOptimizer(name, hyper = {}) {
  if (!(name in DEFAULTS)) throw new Error(`unknown optimizer ${JSON.stringify(name)}: use sgd or adam`);
  return { name, ...DEFAULTS[name], ...hyper, t: 0, state: null };
}

/** One update of every parameter array from its gradient (the optimiser's state advances by one step). */
export function step(model, grads, opt) {
  const params = [], gs = [];
  model.layers.forEach((l, i) => {
    params.push(l.W); gs.push(grads[i].dW);
    if (l.b !== null) { params.push(l.b); gs.push(grads[i].db); }
  });
  if (opt.state === null) opt.state = params.map((p) => ({ m: new Float64Array(p.length), v: new Float64Array(p.length) }));
  opt.t += 1;
  if (opt.name === 'sgd') {
    params.forEach((p, k) => { const g = gs[k]; for (let i = 0; i < p.length; i++) p[i] -= opt.lr * g[i]; });     // theta -= lr g
    return;
  }
  // Adam as ffnn_lit.learner.Adam does it: the bias corrections are folded into the step size and epsilon,
  //   lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t),  eps_t = eps sqrt(1 - beta2^t),  theta -= lr_t m / (sqrt(v) + eps_t)
  const { beta1, beta2, t } = opt, c2 = Math.sqrt(1 - beta2 ** t);
  const lrT = opt.lr * c2 / (1 - beta1 ** t), epsT = opt.eps * c2;
  params.forEach((p, k) => {
    const g = gs[k], { m, v } = opt.state[k];
    for (let i = 0; i < p.length; i++) {
      m[i] = m[i] * beta1 + g[i] * (1 - beta1);                   // m = beta1 m + (1 - beta1) g
      v[i] = v[i] * beta2 + g[i] * g[i] * (1 - beta2);            // v = beta2 v + (1 - beta2) g^2
      p[i] -= m[i] / (Math.sqrt(v[i]) + epsT) * lrT;
    }
  });
}

/** One full-batch training step on X (n x n_in), Y (n x n_out): forward, backward, update; returns the cost before it. */
export function trainStep(model, X, Y, opt) {
  const cache = forward(model, X), P = cache[cache.length - 1].A;
  const J = cost(P, Y, model.sizes[model.sizes.length - 1]);
  step(model, backward(model, cache, Y), opt);
  return J;
}
