"""The store-keeping commands of `wayfinder`: sources, remove, check and user add.

Everything a document supplies (titles, file names, paths) is printed through ``printable``: a name holding an
escape sequence or a newline cannot clear the screen or forge a row.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from core.components import Components
from core.settings import get_settings
from ingest.errors import printable


def _components(args: argparse.Namespace) -> Components:
    return Components(get_settings(getattr(args, "store", None)))


def cmd_sources(args: argparse.Namespace) -> int:
    docs = _components(args).index.documents()
    rows = [{"source": d.source, "title": d.title, "kind": d.kind, "version": d.version, "path": d.path,
             "url": d.url, "chunks": d.n_chunks, "records": d.n_records, "ingested_at": d.ingested_at} for d in docs]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))  # JSON escapes control characters itself
        return 0
    if not rows:
        print("Nothing is indexed yet: run `wayfinder ingest`.")
        return 0
    for r in rows:
        version = f" ({printable(r['version'])})" if r["version"] else ""
        print(f"{printable(r['kind']):<10} {r['chunks']:>5} chunks {r['records']:>4} records  "
              f"{printable(r['title'])}{version}\n{'':<10} {printable(r['url'] or r['path'])}  "
              f"ingested {r['ingested_at']}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from ingest.pipeline import AmbiguousSource, Ingestor

    ingestor = Ingestor(_components(args))
    try:
        removed = ingestor.remove(args.source)
    except AmbiguousSource as exc:
        print(f"error: {printable(args.source)!s} names {len(exc.matches)} documents; nothing was removed. "
              "Give the exact path of one:", file=sys.stderr)
        for d in exc.matches:
            print(f"  {printable(d.path)}  ({printable(d.title)})", file=sys.stderr)
        return 2
    for p in ingestor.finished_removals:
        print(f"finished the interrupted removal of {printable(p)}")
    if not removed:
        if ingestor.finished_removals:
            return 0
        print(f"error: nothing indexed matches {printable(args.source)}; see `wayfinder sources`", file=sys.stderr)
        return 1
    for p in removed:
        print(f"removed {printable(p)}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from core.store.check import check_store, move_damaged_index, report_json
    from core.store.index import IndexDamaged
    from core.store.lock import writer_lock

    c = _components(args)
    try:
        if args.repair:
            with writer_lock(c.settings.store, "check --repair", c.settings.lock_timeout):
                try:
                    c.index  # noqa: B018 - opening it is the test
                except IndexDamaged:
                    report = move_damaged_index(c)
                else:
                    report = check_store(c, repair=True)
        else:
            report = check_store(c, repair=False)
    except IndexDamaged as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(report_json(report))
    else:
        print(", ".join(f"{k}: {v}" for k, v in report.counts.items()) or "store checked")
        for p in report.problems:
            print(f"problem: {printable(p)}")
        for r in report.repairs:
            print(f"repaired: {printable(r)}")
        if report.ok:
            print("the store is consistent")
        elif not args.repair:
            print("run `wayfinder check --repair` to fix these")
    return 0 if report.ok or args.repair else 1


def cmd_user_add(args: argparse.Namespace) -> int:
    from assistant.app.auth import hash_password

    password = args.password_stdin and sys.stdin.readline().rstrip("\n") or None
    if password is None:
        password = getpass.getpass(f"password for {args.name}: ")
        if password != getpass.getpass("again: "):
            print("error: the two passwords differ", file=sys.stderr)
            return 1
    if len(password) < 8:
        print("error: use a password of at least 8 characters", file=sys.stderr)
        return 1
    if ":" in args.name or "," in args.name or not args.name.strip():
        print("error: a user name cannot be empty or hold ':' or ','", file=sys.stderr)
        return 1
    entry = f"{args.name}:{hash_password(password)}"
    print(entry)
    print("add this to WAYFINDER_AUTH_USERS (comma-separated for several users); the password itself is not stored",
          file=sys.stderr)
    return 0


def add_parsers(sub: argparse._SubParsersAction, with_store) -> None:  # noqa: ANN001
    """Register sources, remove, check and user add on the main parser."""
    sp = with_store(sub.add_parser("sources", help="list what is indexed"))
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_sources)

    sp = with_store(sub.add_parser("remove", help="remove one document (its path; a file name or title if unique)"))
    sp.add_argument("source")
    sp.set_defaults(func=cmd_remove)

    sp = with_store(sub.add_parser("check", help="verify the SQLite index against Chroma (and repair)"))
    sp.add_argument("--repair", action="store_true", help="fix what the check finds")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_check)

    sp = sub.add_parser("user", help="chat-app logins")
    users = sp.add_subparsers(dest="user_command", required=True)
    sp = users.add_parser("add", help="print a WAYFINDER_AUTH_USERS entry with a hashed password")
    sp.add_argument("name")
    sp.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    sp.set_defaults(func=cmd_user_add)
