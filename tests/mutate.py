"""Do the fast tests catch wrong numbers? Apply deliberate mistakes one at a time and see.

Each mutation replaces one exact piece of source text (found exactly once, else the script
stops: the code moved and the mutation must be rewritten) in a copy of the working tree, then
runs the fast tier there. A mutation the fast tier does not fail on "survived": a wrong line of
code that no test would notice.

    .venv/bin/python tests/mutate.py            # all mutations, prints a table, exit 1 if any survived
    .venv/bin/python tests/mutate.py --only 3   # one of them
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAST = ["-m", "pytest", "-q", "-x", "-m", "not mirror and not browser and not deployment"]


@dataclass(frozen=True)
class Mutation:
    what: str  # the mistake, in words
    path: str  # file relative to the repository root
    old: str  # exact text, found once
    new: str


MUTATIONS: list[Mutation] = [
    Mutation("ratio inverted (denominator / numerator)", "dashboard/model/measures.py",
             "return numerator / denominator.replace(0, np.nan) * scale",
             "return denominator / numerator.replace(0, np.nan) * scale"),
    Mutation("ratio unscaled (share not x 100)", "dashboard/model/measures.py",
             "return numerator / denominator.replace(0, np.nan) * scale", "return numerator / denominator.replace(0, np.nan)"),
    Mutation("growth since 2014 off by 10x", "dashboard/model/measures.py",
             'return relative * scale if kind == "index" else (relative - 1.0) * scale',
             'return relative * scale if kind == "index" else (relative - 1.0) * scale * 10'),
    Mutation("trend index not multiplied by 100", "dashboard/figures.py",
             'index = derive("index", numerator, base_year=base, scale=INDEX_SCALE)',
             'index = derive("index", numerator, base_year=base, scale=1.0)'),
    Mutation("policy bands removed from the trend", "dashboard/policy_view.py",
             'if r.scope != "regional" or _missing(r.own) or not bool(r.own):',
             'if r.scope != "none":'),
    Mutation("deal ministry by the old unsourced tranche rule", "dashboard/model/policies.py",
             '"ministry": deals["ministry"].values,',
             '"ministry": ["LNV" if int(t) <= 3 else "BZK" for t in deals["tranche"]],'),
    Mutation("a deal's national contribution dropped", "dashboard/model/policies.py",
             '"budget_eur": pd.to_numeric(deals["contribution_eur"], errors="coerce").values,',
             '"budget_eur": float("nan"),'),
    Mutation("store pruning disabled", "store/files.py",
             "    for old in done[:-KEEP_BUILDS]:", "    for old in done[:0]:"),
    Mutation("harmonisation ignores the split share", "geo/harmonise.py",
             "acc[new] += w * values[old]", "acc[new] += values[old]"),
]


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if line and (ROOT / line).is_file()]


def copy_tree(dest: Path) -> None:
    for name in tracked_files():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)


def apply(tree: Path, m: Mutation) -> None:
    path = tree / m.path
    text = path.read_text(encoding="utf-8")
    count = text.count(m.old)
    if count != 1:
        raise SystemExit(f"mutation {m.what!r}: {m.path} holds the text {count} times (expected once): rewrite it")
    path.write_text(text.replace(m.old, m.new), encoding="utf-8")


def run_fast(tree: Path) -> tuple[bool, str]:
    env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "HOME": str(tree)}
    proc = subprocess.run([sys.executable, *FAST], cwd=tree, env=env, capture_output=True, text=True)
    last = (proc.stdout.strip().splitlines() or [""])[-1]
    return proc.returncode == 0, last


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", type=int, help="run mutation N (1-based) only")
    args = parser.parse_args()
    chosen = list(enumerate(MUTATIONS, 1))
    if args.only:
        chosen = [chosen[args.only - 1]]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "clean"
        copy_tree(base)
        ok, last = run_fast(base)
        if not ok:
            print(f"the fast tier fails without any mutation: {last}")
            return 2
        rows, survived = [], 0
        for number, m in chosen:
            tree = Path(tmp) / f"m{number}"
            shutil.copytree(base, tree)
            apply(tree, m)
            passed, last = run_fast(tree)
            survived += passed
            rows.append((number, m.what, "SURVIVED" if passed else "caught", last))
            shutil.rmtree(tree)
    width = max(len(r[1]) for r in rows)
    print(f"{'#':>2}  {'mutation':<{width}}  result    fast tier said")
    for number, what, result, last in rows:
        print(f"{number:>2}  {what:<{width}}  {result:<8}  {last}")
    print(f"{len(rows) - survived} of {len(rows)} mutations caught by the fast tier")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
