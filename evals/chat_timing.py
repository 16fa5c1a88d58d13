"""Time from sending a question in the chat app to the first streamed text and to the complete answer, warm.

Run against a running app: `python -m evals.chat_timing --url http://127.0.0.1:8000` (Debian chromium, headless).
"""

from __future__ import annotations

import argparse
import json
import time

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
        for i, q in enumerate(["warm-up: what is CLAS?", *questions]):
            n = msgs.count()
            page.fill("#chat-input", q)
            t0 = time.perf_counter()
            page.locator("#chat-submit").click()
            while msgs.count() <= n or not msgs.nth(n).inner_text().strip():
                time.sleep(0.005)
            t_first = time.perf_counter() - t0
            last, stable_since = "", time.perf_counter()
            while time.perf_counter() - stable_since < 0.3:  # complete: no change for 300 ms
                text = msgs.nth(n).inner_text()
                if text != last:
                    last, stable_since = text, time.perf_counter()
                time.sleep(0.005)
            if i:  # the first question only warms up
                first.append(t_first * 1000)
                full.append((stable_since - t0) * 1000)
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
