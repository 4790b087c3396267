#!/usr/bin/env python3
"""The page's widgets in a real browser: serve the repository on 127.0.0.1, open tests/js/page.html, draw and click.

    python tests/js/browser_check.py [SCREENSHOT.png]

Needs Playwright (`pip install playwright`) and a Chromium at /usr/bin/chromium (Debian: `apt-get install chromium`;
never `playwright install`). CI installs Debian's chromium and runs it; run it yourself after changing nbs/static/ffnn-widgets.js.
Exits non-zero on the first failed check, or on any error the page logs.
"""
import functools, http.server, json, math, sys, threading
from pathlib import Path
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]

def serve():
    "A quiet HTTP server of the repository on a free port of 127.0.0.1, in a thread; returns (server, base URL)."
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a): pass
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Quiet, directory=str(ROOT)))
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

def main(shot=None):
    srv, base = serve()
    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path='/usr/bin/chromium', args=['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'])
        page = browser.new_page(viewport={'width': 1000, 'height': 1100}, has_touch=True)
        page.on('pageerror', lambda e: errors.append(str(e)))
        page.on('console', lambda m: errors.append(m.text) if m.type == 'error' else None)
        outside = []                                                     # every request must stay on 127.0.0.1
        page.on('request', lambda r: None if r.url.startswith((base + '/', 'data:', 'blob:')) else outside.append(r.url))
        page.goto(f"{base}/tests/js/page.html")
        page.wait_for_function("window.digitPad && window.xorWidget", timeout=20_000)
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

        xor = page.locator('#xor-learn')
        check(xor.get_attribute('data-steps') == '0', "XOR starts at step 0")
        for _ in range(3): xor.get_by_role('button', name='Step').click()
        check(xor.get_attribute('data-steps') == '3', "Step trains one step")
        xor.get_by_role('button', name='Start').click()
        page.wait_for_function("Number(document.querySelector('#xor-learn').dataset.steps) >= 300", timeout=30_000)
        xor.get_by_role('button', name='Pause').click()
        out = page.evaluate("""async () => { const f = await import('/nbs/static/ffnn.js');
            return Array.from(f.predict(window.xorWidget.model, new Float64Array([0,0, 0,1, 1,0, 1,1]))); }""")
        check(out == [0, 1, 1, 0], f"after {xor.get_attribute('data-steps')} steps the network computes XOR")
        if shot: page.screenshot(path=shot, full_page=True)

        fx = json.loads((ROOT / 'tests/js/fixtures/xor-2-3-1.json').read_text())                # the browser trains as Python does
        d = page.evaluate("""async (fx) => { const f = await import('/nbs/static/ffnn.js'); const w = window.xorWidget;
            w.reset(false); w.train(fx.steps); const final = f.loadModel(fx.runs[0].final); let d = 0;
            w.model.layers.forEach((l, i) => { l.W.forEach((v, k) => { d = Math.max(d, Math.abs(v - final.layers[i].W[k])); });
                                              l.b.forEach((v, k) => { d = Math.max(d, Math.abs(v - final.layers[i].b[k])); }); });
            return d; }""", fx)
        check(d < 1e-9, f"Reset, then 100 Adam steps in the browser: within {d:.1e} of Python's parameters")
        xor.get_by_role('button', name='Reset').click()
        check(xor.get_attribute('data-steps') == '0', "Reset goes back to step 0")
        browser.close()
    srv.shutdown()
    check(not errors, f"no errors logged by the page {errors if errors else ''}")
    check(not outside, f"no request left 127.0.0.1 {outside if outside else ''}")

if __name__ == '__main__': main(*sys.argv[1:2])
