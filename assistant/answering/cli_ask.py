"""`wayfinder ask`: one question, a batch of JSONL questions, or an interactive conversation."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from assistant.answering.render import render_text
from assistant.answering.service import Assistant


def run_batch(assistant: Assistant, lines: Any, out: Any) -> int:
    failures = 0
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        qid: Any = None
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("each line must be a JSON object")
            qid = item.get("id", n)
            conv = item.get("conversation") or []
            if not isinstance(conv, list) or not all(isinstance(x, str) for x in conv):
                raise ValueError("'conversation' must be a list of earlier questions")
            if not isinstance(item.get("question"), str) or not item["question"].strip():
                raise ValueError("'question' must be a non-empty string")
            result = assistant.ask(item["question"], conv, qid=qid).to_json()
        except (ValueError, json.JSONDecodeError) as exc:
            failures += 1
            result = {"id": qid if qid is not None else n, "error": f"line {n}: {exc}"}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return 0 if not failures else 1


def run_ask(args: argparse.Namespace, components: Any) -> int:
    from ingest.pipeline import ensure_indexed

    ensure_indexed(components)
    assistant = Assistant(components)
    if args.batch:
        components.embedder.embed_query("warm-up")  # load the model once, before the first question's clock
        src = sys.stdin if args.batch == "-" else open(args.batch, encoding="utf-8")  # noqa: SIM115
        with src:
            return run_batch(assistant, src, sys.stdout)
    if args.question:
        answer = assistant.ask(args.question)
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2) if args.json else render_text(answer))
        return 0
    print("Wayfinder — ask about route maps, data and the framework. Empty line or Ctrl-D to quit.")
    conversation: list[str] = []
    while True:
        try:
            q = input("\n? ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not q:
            return 0
        answer = assistant.ask(q, conversation)
        print(json.dumps(answer.to_json(), ensure_ascii=False) if args.json else render_text(answer))
        conversation.append(q)
