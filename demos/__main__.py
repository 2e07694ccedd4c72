"""``python -m demos [NAME] [--out DIR] [--quick] [--mnist DIR]``: list the lessons, or run one."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

from . import LESSONS, available, introduction, lesson


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demos", add_help=False, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run one lesson of the lectures (its text to the terminal, its figures to OUT/NAME/), "
                    "or list them.")
    parser.add_argument("name", nargs="?", help="the lesson to run; leave out to list them")
    parser.add_argument("--out", default="demo-output", type=Path,
                        help="figures and graphs go to OUT/NAME/ (default: ./demo-output/NAME/)")
    parser.add_argument("--quick", action="store_true", help="a small, fast run (seconds)")
    parser.add_argument("--mnist", type=Path, default=None,
                        help="digits lesson: a directory with the four MNIST IDX files "
                             "(train-images-idx3-ubyte and the others, .gz or not; "
                             "python -m demos digits --help says where to get them)")
    # `python -m demos NAME --help`: the lesson's own description after the options
    named = parser.parse_known_args(argv)[0].name
    if named in LESSONS:
        mod = lesson(named)
        parser.epilog = f"lesson {named}: {mod.TITLE}\n\n{introduction(mod)}"
    parser.add_argument("-h", "--help", action="help", help="show this help (with NAME: the lesson's too)")
    args = parser.parse_args(argv)
    if args.name is None:
        print("Lessons (python -m demos NAME [--out DIR] [--quick]; digits also takes --mnist DIR):\n")
        for name in available():
            mod = lesson(name)
            print(f"  {name:<14}{mod.TITLE}")
            print(f"  {'':<14}lecture topic: {mod.TOPIC}")
        return 0
    if args.mnist is not None and args.name != "digits":
        parser.error(f"--mnist is for the digits lesson, not {args.name!r}")
    if args.mnist is not None and not args.mnist.is_dir():
        why = "is a file, not a directory" if os.path.exists(args.mnist) else "no such directory"
        parser.error(f"--mnist {args.mnist}: {why} (it should hold the MNIST IDX files)")
    matplotlib.use("Agg")  # lessons write files; no window needed (or wanted in CI)
    mod = lesson(args.name)
    out = args.out / args.name
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):  # writable? (before the lesson runs, not after)
            pass
    except OSError as err:
        parser.error(f"--out {args.out}: cannot write into the folder {out} ({err.strerror})")
    print(f"== {args.name}: {mod.TITLE} ==\n")
    print(introduction(mod), end="\n\n")
    t0 = time.perf_counter()
    kwargs = {"mnist": args.mnist} if args.mnist is not None else {}
    try:
        mod.run(out, quick=args.quick, **kwargs)
    except getattr(mod, "DataError", ()) as err:  # a file named on the command line is missing or corrupt
        parser.error(f"--mnist: {err}")
    print(f"\nfiles in {out}/  ({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
