"""``python -m demos.gallery [--out docs/gallery] [NAME ...]``: remake the README's gallery.

Runs the lessons (full runs, seeded, so the pictures are the ones a learner gets) into a
temporary directory and copies the figures the README shows into ``--out``, flat, each checked
to stay under the README's size budget (200 KB), and each written atomically.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
from pathlib import Path

import matplotlib

from autograd.files import atomic_write

from . import lesson

# lesson -> the figures of it that the README shows
GALLERY = {
    "tour": ["neuron_graph.svg", "tour_misclassified.png"],
    "perceptron": ["perceptron_boundaries.png"],
    "xor": ["xor_network.svg", "xor_hidden_units.png"],
    "approximation": ["approximation_bumps.png"],
    "moons": ["moons_boundary.png"],
    "digits": ["digits_training.png"],
    "optimizers": ["optimizers_valley.png"],
    "activations": ["activations_vanishing.png"],
    "cnn": ["cnn_kernels.png", "cnn_feature_maps.png"],
}
MAX_BYTES = 200_000  # keep the repository small: each gallery image under 200 KB


def make(out: Path, names: list[str]) -> list[Path]:
    """Run the lessons ``names`` and copy their gallery figures into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    copied = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            work = Path(tmp) / name
            work.mkdir()
            print(f"running {name} ...", flush=True)
            with contextlib.redirect_stdout(io.StringIO()):
                lesson(name).run(work, quick=False)
            for figure in GALLERY[name]:
                source = work / figure
                if not source.exists():
                    print(f"  note: {name} made no {figure} (is the drawing extra installed?)")
                    continue
                size = source.stat().st_size
                if size > MAX_BYTES:
                    raise SystemExit(f"{figure} is {size:,} bytes, over the gallery's {MAX_BYTES:,}")
                with atomic_write(out / figure) as f:  # an interrupted remake keeps the old figure
                    f.write(source.read_bytes())
                copied.append(out / figure)
                print(f"  {out / figure}  ({size / 1000:.0f} KB)")
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demos.gallery", description=__doc__)
    parser.add_argument("names", nargs="*", help="lessons to remake (default: all)")
    parser.add_argument("--out", type=Path, default=Path("docs/gallery"),
                        help="folder for the figures, relative to the current one (default: docs/gallery)")
    args = parser.parse_args(argv)
    if args.out.exists() and not args.out.is_dir():
        parser.error(f"--out {args.out}: is a file, not a folder")
    unknown = sorted(set(args.names) - set(GALLERY))
    if unknown:
        raise SystemExit(f"no gallery figures for {', '.join(unknown)}; choose from {', '.join(GALLERY)}")
    matplotlib.use("Agg")
    make(args.out, args.names or list(GALLERY))
    return 0


if __name__ == "__main__":
    sys.exit(main())
