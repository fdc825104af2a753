"""Executes the tutorial notebooks with the gcnlab kernel (nbclient) and saves them with their outputs.

Every plotly chart is then also drawn to a PNG (scripts/render-plots.mjs: Debian's Chromium, plotly.js from
node_modules), saved beside its plotly JSON as image/png, and the chart's HTML fallback (plotly.js inlined, 4.8 MB)
is dropped: JupyterLab draws the JSON itself (the gcnlab extension), while GitHub, nbviewer and nbconvert show the
image. That keeps each saved notebook well under 2 MB.

    /usr/bin/python3 scripts/run-notebooks.py                 # every notebook, outputs written back in place
    /usr/bin/python3 scripts/run-notebooks.py 03-training     # only the notebooks named
    /usr/bin/python3 scripts/run-notebooks.py --quick --output-dir DIR   # CI: fewer epochs, executed copies in DIR

Needs Python with nbclient and nbformat (Debian: python3-nbclient; pip: nbclient) and a built repository
(`npm run build`). The gcnlab kernelspec is installed into a temporary Jupyter data folder for the run, so nothing
outside the repository changes. Cells read GCNLAB_QUICK (set by --quick) and GCNLAB_RESULTS_DIR (where notebook 4
exports its files; with --output-dir, DIR/results).
"""

import argparse
import json
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


def runtime_constant(name: str) -> str:
    """A string constant of the built gcnlab runtime (`npm run notebooks` builds it first), so it is written once."""
    script = f"const gcnlab = await import('gcnlab'); process.stdout.write(gcnlab.{name})"
    return subprocess.run(["node", "--input-type=module", "-e", script], check=True, cwd=ROOT, capture_output=True, text=True).stdout


PLOTLY_MIME = runtime_constant("PLOTLY_MIME")


def plot_outputs(nb) -> list:
    return [
        output
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if PLOTLY_MIME in output.get("data", {})
    ]


def add_static_images(notebooks: list) -> None:
    """One Chromium for every chart of the run; each plotly output gets its PNG and loses its HTML fallback."""
    outputs = [output for nb in notebooks for output in plot_outputs(nb)]
    if not outputs:
        return
    with tempfile.TemporaryDirectory(prefix="gcnlab-plots-") as tmp:
        figures, images = Path(tmp) / "figures.json", Path(tmp) / "images.json"
        figures.write_text(json.dumps([output["data"][PLOTLY_MIME] for output in outputs]))
        started = time.monotonic()
        subprocess.run(["node", str(ROOT / "scripts" / "render-plots.mjs"), str(figures), str(images)], check=True, cwd=ROOT)
        total = time.monotonic() - started
        rendered = json.loads(images.read_text())
    cut = [(output["data"][PLOTLY_MIME].get("layout", {}).get("title", {}).get("text", "?"), image["cut"]) for output, image in zip(outputs, rendered["images"]) if image["cut"]]
    if cut:
        # A label past the image's edge is lost on GitHub: the chart's layout needs room for it (a margin, a range).
        sys.exit("run-notebooks: text cut off at the edge of the image in " + "; ".join(f"{title!r}: {texts}" for title, texts in cut))
    for output, image in zip(outputs, rendered["images"]):
        output["data"]["image/png"] = image["png"]
        output["data"].pop("text/html", None)
    per_plot = sorted(image["ms"] for image in rendered["images"])
    print(
        f"images: {len(outputs)} charts in {total:.1f} s (Chromium and plotly.js {rendered['launchMs'] / 1000:.1f} s once, "
        f"then {per_plot[len(per_plot) // 2]:.0f} ms per chart median, {per_plot[-1]:.0f} ms at most)",
        flush=True,
    )


def run(path: Path, timeout: int):
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
    return ok, nb


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
        results = [run(p, args.timeout) for p in paths]
    add_static_images([nb for _, nb in results])
    for path, (ok, nb) in zip(paths, results):
        target = (args.output_dir / path.name) if args.output_dir else path
        # In place, a failed run keeps the committed outputs; a copy is written either way, to read what went wrong.
        if ok or target != path:
            nbformat.write(nb, target)
            print(f"{target.name}: {target.stat().st_size / 1e6:.2f} MB written", flush=True)
    failed = [p.name for p, (ok, _) in zip(paths, results) if not ok]
    if failed:
        print(f"run-notebooks: {len(failed)} of {len(paths)} failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
