"""Executes the tutorial notebooks with the gcnlab kernel (nbclient) and saves them with their outputs.

    /usr/bin/python3 scripts/run-notebooks.py                 # every notebook, outputs written back in place
    /usr/bin/python3 scripts/run-notebooks.py 03-training     # only the notebooks named
    /usr/bin/python3 scripts/run-notebooks.py --quick --output-dir DIR   # CI: short protocol, executed copies in DIR

Needs Python with nbclient and nbformat (Debian: python3-nbclient; pip: nbclient) and a built repository
(`npm run build`). The gcnlab kernelspec is installed into a temporary Jupyter data folder for the run, so nothing
outside the repository changes. Cells read GCNLAB_QUICK (set by --quick) and GCNLAB_RESULTS_DIR (where notebook 4
exports its files; with --output-dir, DIR/results).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def install_kernelspec(prefix: Path) -> None:
    """The kernel engineer's installer, pointed at a throwaway prefix; Jupyter then finds it through JUPYTER_PATH."""
    cli = ROOT / "bin" / "gcnlab.js"
    if not (ROOT / "dist" / "kernel").is_dir():
        sys.exit("run-notebooks: dist/kernel is missing: run `npm run build` first")
    subprocess.run(["node", str(cli), "kernel", "install", "--prefix", str(prefix)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    data_dir = prefix / "share" / "jupyter"
    if not (data_dir / "kernels" / "gcnlab" / "kernel.json").is_file():
        sys.exit(f"run-notebooks: the kernel installer left no kernels/gcnlab/kernel.json under {data_dir}")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(data_dir), os.environ.get("JUPYTER_PATH")]))


def error_outputs(nb) -> list:
    return [
        (index, output)
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]


def run(path: Path, target: Path, timeout: int) -> bool:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="gcnlab",
        timeout=timeout,
        startup_timeout=120,
        record_timing=False,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    started = time.monotonic()
    ok = True
    try:
        client.execute()
    except CellExecutionError as error:
        ok = False
        print(f"{path.name}: a cell failed\n{error}", file=sys.stderr)
    if ok and error_outputs(nb):
        ok = False
        print(f"{path.name}: error output in cell(s) {[i for i, _ in error_outputs(nb)]}", file=sys.stderr)
    print(f"{path.name}: {'ok' if ok else 'FAILED'} in {time.monotonic() - started:.0f} s", flush=True)
    # In place, a failed run keeps the committed outputs; a copy is written either way, to read what went wrong.
    if ok or target != path:
        nbformat.write(nb, target)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="notebooks to run (file names, with or without .ipynb); default all")
    parser.add_argument("--quick", action="store_true", help="set GCNLAB_QUICK=1: fewer runs, epochs and graph sizes")
    parser.add_argument("--output-dir", type=Path, help="write executed copies here instead of over the notebooks")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds one cell may take (default 1800)")
    args = parser.parse_args()

    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    if args.names:
        wanted = {name.removesuffix(".ipynb") for name in args.names}
        unknown = wanted - {p.stem for p in paths}
        if unknown:
            sys.exit(f"run-notebooks: no notebook {', '.join(sorted(unknown))}; have {', '.join(p.stem for p in paths)}")
        paths = [p for p in paths if p.stem in wanted]

    if args.quick:
        os.environ["GCNLAB_QUICK"] = "1"
    if args.output_dir:
        args.output_dir = args.output_dir.resolve()
        args.output_dir.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("GCNLAB_RESULTS_DIR", str(args.output_dir / "results"))

    with tempfile.TemporaryDirectory(prefix="gcnlab-kernelspec-") as prefix:
        install_kernelspec(Path(prefix))
        results = [run(p, (args.output_dir / p.name) if args.output_dir else p, args.timeout) for p in paths]
    failed = [p.name for p, ok in zip(paths, results) if not ok]
    if failed:
        print(f"run-notebooks: {len(failed)} of {len(paths)} failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
