"""Mutation testing of the rewards: every verifier, the domain modules it reads, the reward
functions and the step similarity, each against the fast tests that should catch a wrong rule.

    nice -n 19 .venv/bin/python bench/mutation.py              # every target
    nice -n 19 .venv/bin/python bench/mutation.py tree sound   # some of them
    .venv/bin/python bench/mutation.py --list                  # the targets
    .venv/bin/python bench/mutation.py --report                # the last run's figures again
    nice -n 19 .venv/bin/python bench/mutation.py --sample 80  # 80 mutants a target, seeded

Each target runs mutmut (3.x) in its own copy of the tree under $TMPDIR/modelforge-mutation/,
so the checkout never sees a `mutants/` folder; there the plugins sit beside the core in src/
(mutmut names mutants by their path under src/) and the mutated copy is first on PYTHONPATH.
It prints the mutants caught (killed, or timed out) of all, per target and overall, and the surviving mutants by name (see them
with `cd <workspace> && mutmut show NAME`). A benchmark, not a test: it does not fail.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACK = "plugins/modelforge_gamepack"
PACK_TYPES = ("personality", "facial", "building", "animal", "plant", "tree", "sound")
GAMEPACK_TESTS = (
    "tests/gamepack/test_wrong_answers.py",
    "tests/gamepack/test_contract.py",
    "tests/gamepack/test_properties.py",
)


@dataclass(frozen=True)
class Target:
    files: tuple[str, ...]  # what is mutated
    tests: tuple[str, ...]  # the fast tests run against each mutant
    only: str = ""  # a mutant-name glob, to mutate one function of a larger module


def _pack(name: str, *domain: str) -> Target:
    files = (f"{PACK}/{name}/verify.py", *(f"{PACK}/{name}/{module}" for module in domain))
    return Target(files, (*GAMEPACK_TESTS, f"tests/gamepack/test_hand_{name}.py"))


TARGETS = {
    "personality": _pack("personality", "psyche.py"),
    "facial": _pack("facial", "face.py"),
    "building": _pack("building", "geometry.py"),
    "animal": _pack("animal", "ecology.py"),
    "plant": _pack("plant", "lsystem.py", "procedure.py"),
    "tree": _pack("tree", "growth.py"),
    "sound": _pack("sound"),
    # the checks and the step line every pack verifier uses
    "kit": Target(
        (f"{PACK}/kit/checks.py", f"{PACK}/kit/lines.py"),
        (*GAMEPACK_TESTS, *(f"tests/gamepack/test_hand_{n}.py" for n in PACK_TYPES)),
    ),
    "arith": Target(
        ("plugins/modelforge_arith/verify.py", "plugins/modelforge_arith/procedure.py"),
        (
            "tests/generate/test_arith.py",
            "tests/examples/test_modeltype.py",
            "tests/train/test_format_and_rewards.py",
            "tests/test_rewards.py",
            "tests/test_properties.py",
        ),
    ),
    "rewards": Target(
        ("plugins/modelforge_train/rewards.py",),
        (
            "tests/train/test_format_and_rewards.py",
            "tests/train/test_srl_step_rewards.py",
            "tests/test_rewards.py",
            "tests/test_srl_reward_properties.py",
            "tests/gamepack/test_hand_personality.py",
            "tests/gamepack/test_srl_step_rewards.py",
        ),
    ),
    "similarity": Target(
        ("src/modelforge/modeltype.py",),
        (
            "tests/examples/test_modeltype.py",
            "tests/test_rewards.py",
            "tests/train/test_format_and_rewards.py",
        ),
        only="modelforge.modeltype.x_action_similarity*",
    ),
}
DETECTED = ("killed", "timeout")  # a mutant that hangs the tests is caught too

COPIED = ("src", "tests", "docs", "pyproject.toml", "config.toml", "migrations", "alembic.ini")
MUTMUT = [sys.executable, "-m", "mutmut"]
STATUS = re.compile(r"^\s+(?P<name>\S+): (?P<status>.+)$")


def _config(target: Target) -> str:
    def listing(values) -> str:
        return "".join(f"\n    {value}" for value in values)

    tests = [test for test in target.tests if (ROOT / test).exists()]  # some come later

    return (
        "[mutmut]\n"
        "source_paths =\n    src\n"
        f"only_mutate ={listing(_in_src(f) for f in target.files)}\n"
        f"pytest_add_cli_args_test_selection ={listing(tests)}\n"
        "pytest_add_cli_args =\n    -q\n    -p\n    no:cacheprovider\n"
        "use_git_change_detection = false\n"
        "also_copy =\n    docs\n"  # a test reads the plugin example in docs/model-types.md
    )


def _in_src(path: str) -> str:
    return "src/" + path.removeprefix("plugins/").removeprefix("src/")


def run_target(target: Target, work: Path, jobs: int, sample: int = 0, seed: int = 0) -> None:
    """A fresh workspace for the target, and mutmut run in it."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    skip = shutil.ignore_patterns("__pycache__")
    for entry in COPIED:
        source = ROOT / entry
        if source.is_dir():
            shutil.copytree(source, work / entry, ignore=skip)
        elif source.exists():
            shutil.copy2(source, work / entry)
    # mutmut names a mutant by its path under src/: the plugins join the core there
    for package in (ROOT / "plugins").iterdir():
        if package.is_dir() and (package / "__init__.py").exists():
            shutil.copytree(package, work / "src" / package.name, ignore=skip)
    (work / "setup.cfg").write_text(_config(target))
    (work / "mutants" / "src").mkdir(parents=True)  # on PYTHONPATH from the start, or ignored
    names = [target.only] if target.only else []
    with open(work / "mutmut.log", "w") as log:
        if sample:  # generate the mutants (a filter nothing matches), then run a seeded few
            run = [*MUTMUT, "run", "--max-children", str(jobs), "no-such-mutant"]
            subprocess.run(run, cwd=work, env=_env(work), stdout=log, stderr=log, check=False)
            every = sorted(
                n for n in _mutant_names(work) if not target.only or fnmatch(n, target.only)
            )
            names = sorted(
                random.Random(f"{work.name}:{seed}").sample(every, min(sample, len(every)))
            )
        command = [*MUTMUT, "run", "--max-children", str(jobs), *names]
        subprocess.run(command, cwd=work, env=_env(work), stdout=log, stderr=log, check=False)


def _mutant_names(work: Path) -> list[str]:
    """Every mutant mutmut generated in the workspace (from its .meta files)."""
    return [
        name
        for meta in (work / "mutants").rglob("*.py.meta")
        for name in json.loads(meta.read_text()).get("exit_code_by_key", {})
    ]


def _env(work: Path) -> dict[str, str]:
    # the mutated copy before the editable install's src/ and plugins/
    return {
        **os.environ,
        "PYTHONPATH": str(work / "mutants" / "src"),
        # fewer hypothesis examples per property test: each surviving mutant runs them all
        "MODELFORGE_HYPOTHESIS_EXAMPLES": os.environ.get("MODELFORGE_HYPOTHESIS_EXAMPLES", "20"),
    }


def statuses_of(target: Target, work: Path) -> dict[str, str]:
    """The status mutmut recorded for each mutant of the target, by mutant name."""
    listing = subprocess.run(
        [*MUTMUT, "results", "--all", "true"],
        cwd=work,
        env=_env(work),
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    statuses = {}
    for line in listing.splitlines():
        match = STATUS.match(line)
        if match and (not target.only or fnmatch(match["name"], target.only)):
            statuses[match["name"]] = match["status"].strip()
    return statuses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help=f"some of: {', '.join(TARGETS)}")
    parser.add_argument("--list", action="store_true", help="list the targets and exit")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once (default 2)")
    parser.add_argument("--keep", type=Path, help="workspace folder (default: a temporary one)")
    parser.add_argument(
        "--report", action="store_true", help="only report what the last run left in the workspace"
    )
    parser.add_argument(
        "--sample", type=int, default=0, help="run N mutants per target, drawn by --seed (0: all)"
    )
    parser.add_argument("--seed", type=int, default=0, help="the sample's seed (default 0)")
    args = parser.parse_args(argv)
    if args.list:
        for name, target in TARGETS.items():
            print(f"{name}: {', '.join(target.files)}{' ' + target.only if target.only else ''}")
        return 0
    unknown = sorted(set(args.targets) - set(TARGETS))
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; --list shows them")
    base = args.keep or Path(tempfile.gettempdir()) / "modelforge-mutation"
    caught_all = total_all = 0
    for name in args.targets or list(TARGETS):
        started, target = time.monotonic(), TARGETS[name]
        if not args.report:
            run_target(target, base / name, args.jobs, args.sample, args.seed)
        statuses = statuses_of(target, base / name)
        considered = [s for s in statuses.values() if s not in ("skipped", "not checked")]
        caught = sum(status in DETECTED for status in considered)
        caught_all += caught
        total_all += len(considered)
        score = f"{caught / len(considered):.1%}" if considered else "n/a"
        print(
            f"{name}: {caught}/{len(considered)} caught ({score}) "
            f"in {time.monotonic() - started:.0f} s; workspace {base / name}",
            flush=True,
        )
        for mutant, status in sorted(statuses.items()):
            if status not in (*DETECTED, "not checked"):
                print(f"    {mutant}: {status}", flush=True)
    if total_all:
        print(f"overall: {caught_all}/{total_all} caught ({caught_all / total_all:.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
