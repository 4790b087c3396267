#!/usr/bin/env python3
"""The docs pages' widgets in a real browser: build the pages from the notebooks' own outputs, serve them on 127.0.0.1,
draw and click.

    python tests/js/browser_check.py [SCREENSHOT_DIR]

Quarto cannot run here, so `build_site` lays the pages out as Quarto does: one `NAME.html` per notebook that embeds a
widget, holding that notebook's saved HTML outputs in order, beside only the files Quarto would copy (the `resources`
of `_quarto.yml` and of the page's front matter). A widget whose script or model Quarto would not publish fails here.
Needs Playwright (`pip install playwright`) and a Chromium at /usr/bin/chromium (Debian: `apt-get install chromium`;
never `playwright install`). CI installs Debian's chromium and runs it.
Then the page `ffnn_lit.web.export_page` writes for a user (a network trained here for a few seconds on MNIST, the
package's own ffnn.js and widgets), served from a temporary directory: MNIST test digits put on its pad read as
Python's `predict` reads them, and ffnn.js in that page predicts 1,000 test digits as Python does.
Exits non-zero on the first failed check, or on any error or failed request of a page.
"""
import functools, http.server, json, math, shutil, sys, tempfile, threading
from pathlib import Path
import numpy as np
import yaml
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
NBS = ROOT / 'nbs'

def front_matter(cells) -> dict:
    "The YAML front matter of a notebook: its first raw cell between `---` lines ({} if none)."
    raw = next((''.join(c['source']) for c in cells if c['cell_type'] == 'raw'), '')
    return yaml.safe_load(raw.strip().strip('-')) or {} if raw.strip().startswith('---') else {}

def html_outputs(cells) -> list:
    """The HTML a page carries, in order: `text/html` outputs of code cells, and Markdown cells holding a `<script>`
    (the widgets are written as raw HTML in Markdown: a `text/html` output makes Quarto load jQuery and RequireJS)."""
    def html(c):
        if c['cell_type'] == 'markdown': return [''.join(c['source'])] if '<script' in ''.join(c['source']) else []
        return [''.join(o['data']['text/html']) for o in c.get('outputs', []) if 'text/html' in o.get('data', {})]
    return [h for c in cells for h in html(c)]

def build_site(dst:Path) -> list:
    "Write a page for every notebook whose outputs mount a widget, with the resources Quarto copies; returns the pages."
    globs = yaml.safe_load((NBS / '_quarto.yml').read_text())['project'].get('resources', [])
    pages = []
    for nb in sorted(NBS.glob('*.ipynb')):
        cells = json.loads(nb.read_text())['cells']
        widgets = [h for h in html_outputs(cells) if 'ffnn-widgets.js' in h]
        if not widgets: continue
        for g in globs + front_matter(cells).get('resources', []):
            for f in NBS.glob(g):
                (dst / f.relative_to(NBS)).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(f, dst / f.relative_to(NBS))
        body = '\n'.join(widgets)
        (dst / f'{nb.stem}.html').write_text(f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                                             f'<link rel="icon" href="data:,"><title>{nb.stem}</title></head><body>\n{body}\n</body></html>')
        pages.append(nb.stem)
    return pages

def serve(root:Path):
    "A quiet HTTP server of `root` on a free port of 127.0.0.1, in a thread; returns (server, base URL)."
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a): pass
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}"

def stroke(page, box, points, touch=False):
    "Draw through `points` (fractions of the pad) with the mouse."
    x = lambda p: (box['x'] + p[0] * box['width'], box['y'] + p[1] * box['height'])
    page.mouse.move(*x(points[0])); page.mouse.down()
    for p in points[1:]: page.mouse.move(*x(p), steps=4)
    page.mouse.up()

def prediction(page):
    "The pad's current reading, after the frames that follow the last pointer event."
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page.locator('#digit-pad').get_attribute('data-prediction')

def test_digits(n):
    "The first `n` MNIST test images (28x28, values in [0, 1]) and labels, from FFNN_LIT_DATA or the cache."
    from ffnn_lit.data import load_mnist
    _, (X, y) = load_mnist(flatten=False, download=False)
    return list(zip(X[:n], y[:n]))

def pixel_runs(img, thresh=0.5):
    "The image's dark pixels as horizontal strokes, one per run of a row, in pad fractions (the pad maps 28 pixels)."
    runs = []
    for r in range(28):
        c = 0
        while c < 28:
            if img[r, c] > thresh:
                c0 = c
                while c < 28 and img[r, c] > thresh: c += 1
                runs.append([((c0 + 0.5) / 28, (r + 0.5) / 28), ((c - 0.5) / 28, (r + 0.5) / 28)])
            c += 1
    return runs

def check(cond, what):
    if not cond: sys.exit(f"FAIL: {what}")
    print(f"ok: {what}")

def widget(sel): return f"document.querySelector('{sel}').ffnnWidget"

def check_digit_pad(page):
    "Draw on the pad: strokes, real test digits traced, Clear, a touch."
    pad = page.locator('#digit-pad canvas').first
    box = pad.bounding_box()
    check(prediction(page) == '', "an empty pad predicts nothing")
    stroke(page, box, [(0.5, 0.15), (0.5, 0.5), (0.5, 0.85)])                         # a one
    check(prediction(page) == '1', "a vertical stroke reads as 1")
    heights = page.eval_on_selector_all('#digit-pad .ffnn-bar div div', "els => els.map(e => parseFloat(e.style.height) || 0)")
    check(abs(sum(heights) - 100) < 1.5 and max(heights) > 50, f"the ten bars add up to 100% ({sum(heights):.1f}%)")
    page.get_by_role('button', name='Clear').click()
    check(prediction(page) == '', "Clear empties the pad")
    ring = [(0.5 + 0.22 * math.cos(t / 20 * 6.2832), 0.5 + 0.33 * math.sin(t / 20 * 6.2832)) for t in range(22)]
    stroke(page, box, ring)                                                              # a zero
    check(prediction(page) == '0', "an ellipse reads as 0")
    page.get_by_role('button', name='Clear').click()
    stroke(page, box, [(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)])                         # a seven, by hand
    check(prediction(page) == '7', "a hand-drawn 7 reads as 7")
    page.get_by_role('button', name='Clear').click()
    for i, (img, label) in enumerate(test_digits(3)):                                   # real test digits, traced
        for run in pixel_runs(img): stroke(page, box, run)
        got = prediction(page)
        check(got == str(label), f"MNIST test digit {i}, traced as strokes, reads as its label {label} (got {got!r})")
        page.get_by_role('button', name='Clear').click()
    page.touchscreen.tap(box['x'] + box['width'] / 2, box['y'] + box['height'] / 2)     # touch draws too
    check(prediction(page) != '', "a touch on the pad draws")

def check_xor(page, full=True):
    "Step, Start, Pause until the network computes XOR; with `full`, 100 Adam steps against Python's and Reset."
    xor = page.locator('#xor-learn')
    check(xor.get_attribute('data-steps') == '0', "XOR starts at step 0")
    for _ in range(3): xor.get_by_role('button', name='Step').click()
    check(xor.get_attribute('data-steps') == '3', "Step trains one step")
    xor.get_by_role('button', name='Start').click()
    page.wait_for_function("Number(document.querySelector('#xor-learn').dataset.steps) >= 300", timeout=30_000)
    xor.get_by_role('button', name='Pause').click()
    out = page.evaluate(f"""async () => {{ const f = await import('./static/ffnn.js');
        return Array.from(f.predict({widget('#xor-learn')}.model, new Float64Array([0,0, 0,1, 1,0, 1,1]))); }}""")
    check(out == [0, 1, 1, 0], f"after {xor.get_attribute('data-steps')} steps the network computes XOR")
    if not full: return
    fx = json.loads((ROOT / 'tests/js/fixtures/xor-2-3-1.json').read_text())                # the browser trains as Python does
    d = page.evaluate(f"""async (fx) => {{ const f = await import('./static/ffnn.js'); const w = {widget('#xor-learn')};
        w.reset(false); w.train(fx.steps); const final = f.loadModel(fx.runs[0].final); let d = 0;
        w.model.layers.forEach((l, i) => {{ l.W.forEach((v, k) => {{ d = Math.max(d, Math.abs(v - final.layers[i].W[k])); }});
                                          l.b.forEach((v, k) => {{ d = Math.max(d, Math.abs(v - final.layers[i].b[k])); }}); }});
        return d; }}""", fx)
    check(d < 1e-9, f"Reset, then 100 Adam steps in the browser: within {d:.1e} of Python's parameters")
    xor.get_by_role('button', name='Reset').click()
    check(xor.get_attribute('data-steps') == '0', "Reset goes back to step 0")

def quick_mnist_net():
    "A 784-64-10 network trained on MNIST for a few seconds (about 93% accurate), and the test set."
    from ffnn_lit.data import load_mnist
    from ffnn_lit.nn import NN
    (X, y), test = load_mnist(progress=False, download=False)
    net = NN.from_sizes([784, 64, 10], seed=0)
    net.fit(X[:20_000], y[:20_000], epochs=2, batch_size=64, seed=0, progress=False)
    return net, test

def put_digit(page, img):
    "Put a 28 x 28 image on the pad as if drawn (each pixel a 10 x 10 block of ink), and let the pad read it."
    page.evaluate("""(img) => { const w = document.querySelector('#digit-pad').ffnnWidget, c = w.pad.getContext('2d');
        const d = c.createImageData(280, 280);
        for (let y = 0; y < 280; y++) for (let x = 0; x < 280; x++) d.data[4 * (y * 280 + x) + 3] = Math.round(255 * img[(y / 10 | 0) * 28 + (x / 10 | 0)]);
        c.putImageData(d, 0, 0); w.update(); }""", [float(v) for v in img.ravel()])
    return page.locator('#digit-pad').get_attribute('data-prediction')

def check_exported_page(browser, errors, outside, shots=None):
    "A page written by export_page into a temporary directory, served from there, reads digits as Python does."
    from ffnn_lit.web import export_page
    net, (X, y) = quick_mnist_net()
    site = Path(tempfile.mkdtemp(prefix='ffnn-page-'))
    export_page(net, site, meta={'test_acc': net.evaluate(X, y)['acc']})
    check(sorted(f.name for f in site.iterdir()) == ['ffnn-widgets.js', 'ffnn.js', 'index.html', 'model.json'],
          "export_page writes index.html, ffnn.js, ffnn-widgets.js and model.json")
    srv, base = serve(site)
    page = browser.new_page(viewport={'width': 1000, 'height': 900})
    page.on('pageerror', lambda e: errors.append(f"export_page: {e}"))
    page.on('console', lambda m: errors.append(f"export_page: {m.text}") if m.type == 'error' else None)
    page.on('requestfailed', lambda r: errors.append(f"export_page: request failed {r.url}"))
    page.on('response', lambda r: errors.append(f"export_page: HTTP {r.status} {r.url}") if r.status >= 400 else None)
    page.on('request', lambda r: None if r.url.startswith((base + '/', 'data:', 'blob:')) else outside.append(r.url))
    page.goto(f"{base}/")                                      # index.html, as a static host serves the directory
    print("-- a page written by export_page")
    try: page.wait_for_function(widget('#digit-pad'), timeout=20_000)
    except Exception: sys.exit(f"FAIL: the digit pad of the exported page never mounted; the page said: {errors}")
    P = net.predict_proba(X[:200])
    sure = [i for i in range(200) if P[i].max() > 0.95][:10]   # digits Python reads without doubt, whatever the pad's resampling
    got = [put_digit(page, X[i]) for i in sure]
    want = [str(k) for k in P[sure].argmax(1)]
    check(len(sure) == 10 and got == want, f"10 MNIST test digits put on the pad read as Python's predict reads them: {got}")
    if shots:                                                  # with the last digit on the pad
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / 'export_page.png'), full_page=True)
    page.get_by_role('button', name='Clear').click()
    check(prediction(page) == '', "Clear empties the pad")
    n = 1000
    js = page.evaluate("""async (X) => { const f = await import('./ffnn.js');
        return Array.from(f.predict(document.querySelector('#digit-pad').ffnnWidget.model, new Float64Array(X))); }""",
        [float(v) for v in X[:n].ravel()])
    P = np.sort(net.predict_proba(X[:n]), axis=1)
    clear = P[:, -1] - P[:, -2] > 1e-4                         # float32 in Python, float64 in JavaScript: near-ties may differ
    agree = int((np.array(js) == net.predict(X[:n]))[clear].sum())
    check(agree == clear.sum() >= 0.99 * n, f"ffnn.js in the exported page predicts {agree} of {clear.sum()} test digits "
                                             f"(of {n}, those without a near-tie) as Python's predict")
    page.close()
    srv.shutdown()
    shutil.rmtree(site)

def main(shots=None):
    site = Path(tempfile.mkdtemp(prefix='ffnn-site-'))
    pages = build_site(site)
    check('16_web' in pages and '03_xor' in pages, f"the pages that embed widgets are built from the notebooks: {pages}")
    srv, base = serve(site)
    errors, outside = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path='/usr/bin/chromium', args=['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'])
        for name in pages:
            page = browser.new_page(viewport={'width': 1000, 'height': 1100}, has_touch=True)
            page.on('pageerror', lambda e, n=name: errors.append(f"{n}: {e}"))
            page.on('console', lambda m, n=name: errors.append(f"{n}: {m.text}") if m.type == 'error' else None)
            page.on('requestfailed', lambda r, n=name: errors.append(f"{n}: request failed {r.url}"))
            page.on('response', lambda r, n=name: errors.append(f"{n}: HTTP {r.status} {r.url}") if r.status >= 400 else None)
            page.on('request', lambda r: None if r.url.startswith((base + '/', 'data:', 'blob:')) else outside.append(r.url))
            page.goto(f"{base}/{name}.html")
            print(f"-- {name}.html")
            has_pad, has_xor = page.locator('#digit-pad').count() > 0, page.locator('#xor-learn').count() > 0
            for sel, present in (('#digit-pad', has_pad), ('#xor-learn', has_xor)):
                if not present: continue
                try: page.wait_for_function(widget(sel), timeout=20_000)
                except Exception: sys.exit(f"FAIL: the widget {sel} never mounted on {name}.html; the page said: {errors}")
            if has_pad: check_digit_pad(page)
            if has_xor: check_xor(page, full=has_pad)
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)
            page.close()
        check_exported_page(browser, errors, outside, shots)
        browser.close()
    srv.shutdown()
    shutil.rmtree(site)
    check(not errors, f"no errors logged or requests failed {errors if errors else ''}")
    check(not outside, f"no request left 127.0.0.1 {outside if outside else ''}")

if __name__ == '__main__': main(*sys.argv[1:2])
