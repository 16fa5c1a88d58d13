"""Time from sending a question in the chat app to the first streamed text and to the complete answer, warm.

Run against a running app: `python -m evals.chat_timing --url http://127.0.0.1:8000` (Debian chromium, headless).
"""

from __future__ import annotations

import argparse
import json

from evals import metrics as m
from evals.run import load_questions

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def measure(url: str, questions: list[str]) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    first, full = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        page.goto(url)
        page.get_by_text("Learn: what is CLAS?").wait_for(timeout=60000)
        msgs = page.locator('[data-step-type="assistant_message"]')
        # Timed inside the page: the send click, the first text of the new answer, and its last change.
        page.evaluate("""() => {
          window.__wf = {};
          document.addEventListener('click', e => {
            if (e.target.closest('#chat-submit')) window.__wf = {sent: performance.now(), n:
              document.querySelectorAll('[data-step-type="assistant_message"]').length};
          }, true);
          new MutationObserver(() => {
            const w = window.__wf; if (w.sent === undefined) return;
            const m = document.querySelectorAll('[data-step-type="assistant_message"]')[w.n];
            if (!m || !m.innerText.trim()) return;
            const now = performance.now();
            if (w.first === undefined) w.first = now;
            if (m.innerText !== w.text) { w.text = m.innerText; w.last = now; }
          }).observe(document.body, {subtree: true, childList: true, characterData: true});
        }""")
        for i, q in enumerate(["warm-up: what is CLAS?", *questions]):
            n = msgs.count()
            page.fill("#chat-input", q)
            page.locator("#chat-submit").click()
            msgs.nth(n).wait_for(timeout=60000)
            page.wait_for_function("() => window.__wf.last && performance.now() - window.__wf.last > 500")
            t = page.evaluate("() => window.__wf")
            if i:  # the first question only warms up
                first.append(t["first"] - t["sent"])
                full.append(t["last"] - t["sent"])
        browser.close()
    return {"questions": len(first), "first_text_median_ms": m.median(first), "first_text_p95_ms":
            m.percentile(first, 95), "complete_median_ms": m.median(full), "complete_p95_ms": m.percentile(full, 95)}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("-n", type=int, default=15)
    a = ap.parse_args()
    qs = [q["question"] for q in load_questions("dev") if not q["conversation"]][: a.n]
    print(json.dumps(measure(a.url, qs), indent=2))
