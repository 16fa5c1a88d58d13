"""The `wayfinder` command: ingest, sources, remove, check, user, ask, chat, eval, bench."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.settings import Settings, get_settings


def _components(args: argparse.Namespace):  # noqa: ANN202
    from core.components import Components

    return Components(get_settings(getattr(args, "store", None)))


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.pipeline import Ingestor

    c = _components(args)
    paths = [Path(p) for p in args.paths] or [c.settings.corpus]
    report = Ingestor(c).run(paths, progress=None if not args.quiet else False)
    for line in report.errors:
        print(f"error: {line}", file=sys.stderr)
    rate = report.chunks_embedded / report.embed_seconds if report.embed_seconds else 0.0
    summary = (f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
               f"{len(report.errors)} failed; {report.chunks_stored} chunks stored "
               f"({report.chunks_embedded} embedded, {report.chunks_reused} reused) in {report.seconds:.1f} s")
    if report.chunks_embedded:
        summary += f"; {rate:.1f} chunks/s while embedding"
    print(summary, file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps(report.__dict__, indent=2))
    return 0 if report.ok else 1


def cmd_inspect(args: argparse.Namespace) -> int:
    from ingest.inspect import main as inspect_main

    return inspect_main(args.source, as_json=args.json, limit=args.limit)


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.answering.cli_ask import run_ask

    return run_ask(args, _components(args))


def cmd_chat(args: argparse.Namespace) -> int:
    from assistant.app.launch import launch

    return launch(get_settings(args.store), host=args.host, port=args.port)


def cmd_eval(args: argparse.Namespace) -> int:
    from evals.run import main as eval_main

    return eval_main(args)


def cmd_fit(args: argparse.Namespace) -> int:
    from evals.fit import main as fit_main

    return fit_main([*(["--store", args.store] if args.store else []), *(["--wrong-cost", str(args.wrong_cost)] if args.wrong_cost else [])])


def cmd_bench(args: argparse.Namespace) -> int:
    from evals.bench import main as bench_main

    return bench_main(args, _components(args))


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="wayfinder", description=(
        "Answers questions about Scotland's Plan 24-30 route maps, data catalogues and framework documents, "
        "citing the passage each fact comes from."))
    sub = p.add_subparsers(dest="command", required=True)

    def with_store(sp: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sp.add_argument("--store", help=f"store folder (default: $WAYFINDER_STORE or {Settings().store})")
        return sp

    sp = with_store(sub.add_parser("ingest", help="index files or folders (default: the bundled corpus)"))
    sp.add_argument("paths", nargs="*")
    sp.add_argument("--json", action="store_true", help="print the report as JSON")
    sp.add_argument("--quiet", action="store_true", help="no progress bar")
    sp.set_defaults(func=cmd_ingest)

    from assistant.store_cli import add_parsers

    add_parsers(sub, with_store)

    sp = sub.add_parser("inspect", help="show how a file is read (sections, tables, records, dropped, warnings)")
    sp.add_argument("source", help="a file to read; nothing is stored")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--limit", type=int, default=12, help="tables and records to show")
    sp.set_defaults(func=cmd_inspect)

    sp = with_store(sub.add_parser("ask", help="ask a question (no question: an interactive conversation)"))
    sp.add_argument("question", nargs="?")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--batch", help="JSONL file of {id, question, conversation}; '-' for standard input")
    sp.set_defaults(func=cmd_ask)

    sp = with_store(sub.add_parser("chat", help="start the chat app (indexes the bundled corpus if empty)"))
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=8000)
    sp.set_defaults(func=cmd_chat)

    sp = with_store(sub.add_parser("eval", help="quality against the evaluation questions, with baselines"))
    sp.add_argument("--split", choices=["dev", "test", "all", "real", "fresh-a", "fresh-b", "followup-a", "followup-b"], default="test",
                    help="real: the questions on ../shared/realdocs, their own set; fresh-a, fresh-b: halves of the last set, "
                         "never fitted on; followup-a, followup-b: halves of the follow-up set, never fitted on")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--no-baselines", action="store_true")
    sp.add_argument("--write", action="store_true", help="write evals/results/ Markdown")
    sp.set_defaults(func=cmd_eval)

    sp = with_store(sub.add_parser("fit", help="fit the question models and the reader on the dev split"))
    sp.add_argument("--wrong-cost", type=float, help="what a wrong answer costs against +1 for a right one, when the "
                    "answer threshold is chosen on dev (default: evals/fit.py's WRONG_COST)")
    sp.set_defaults(func=cmd_fit)

    sp = with_store(sub.add_parser("bench", help="speed: ingestion, latency, scaling"))
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--scales", default="1,10,100,1000", help="corpus multiples to measure")
    sp.add_argument("--write", action="store_true", help="write evals/results/ Markdown")
    sp.set_defaults(func=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    from core.store.index import IndexDamaged
    from core.store.lock import StoreBusy

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (IndexDamaged, StoreBusy) as exc:  # a readable line and what to run, never a traceback
        from ingest.errors import printable

        print(f"error: {printable(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
