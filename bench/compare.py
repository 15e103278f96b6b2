"""Time the same pages on two revisions of the portal, back to back, on one database.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/sammachip_scale
    .venv/bin/python bench/pages.py --repeat 1     # once: makes the provincial user and admin
    .venv/bin/python bench/compare.py 56f236d HEAD [--pages board visit-list] [--rounds 2]

Each revision is checked out in a temporary git worktree and timed by bench/timing.py (of
this checkout) in a fresh process, the two taking turns ``--rounds`` times; the table shows
the mean of the rounds' medians. Figures taken on different days, or machines, are not
comparable on this kind of virtual machine; figures taken this way are. The database must
have the newest schema (``migrate``): older revisions run on it as long as they do not need
a table or column that was removed since, which none of this project's migrations did.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
PAGES = [
    "officer-home", "visit-form", "district", "board", "visit-list", "province", "country",
    "district-largest", "board-largest", "visits-earliest",
]  # fmt: skip


def worktree(revision: str, into: Path) -> Path:
    path = into / revision.replace("/", "_")
    subprocess.run(
        ["git", "-C", str(HERE), "worktree", "add", "--detach", "-q", str(path), revision],
        check=True,
    )
    (path / "node_modules").symlink_to(HERE / "node_modules")
    return path


def timed(root: Path, pages: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(HERE / "bench" / "timing.py"), *pages],
        env={**os.environ, "ROOT": str(root)},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {name: float(ms) for name, ms in (line.split("\t") for line in out.splitlines())}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("before")
    parser.add_argument("after", nargs="?", default="HEAD")
    parser.add_argument("--pages", nargs="+", default=PAGES, choices=PAGES)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        sys.exit("set DATABASE_URL to the seed_scale database")
    with tempfile.TemporaryDirectory() as tmp:
        roots = {rev: worktree(rev, Path(tmp)) for rev in (args.before, args.after)}
        try:
            runs = {rev: [] for rev in roots}
            for _ in range(args.rounds):
                for rev, root in roots.items():
                    runs[rev].append(timed(root, args.pages))
        finally:
            for root in roots.values():
                subprocess.run(
                    ["git", "-C", str(HERE), "worktree", "remove", "--force", str(root)],
                    check=False,
                )
    print(f"{'page':<14} {args.before:>12} {args.after:>12}   (ms, mean of {args.rounds} medians)")
    for page in args.pages:
        before = statistics.mean(r[page] for r in runs[args.before])
        after = statistics.mean(r[page] for r in runs[args.after])
        print(f"{page:<14} {before:12.1f} {after:12.1f}")


if __name__ == "__main__":
    main()
