"""Regenerate the Python code in ``scheduler/v1`` from ``proto/scheduler/v1`` (``make proto``).

The generated modules are committed so that installing the package needs no protoc; a test runs
:func:`generate` into a temporary directory and fails if the committed files differ.

Run from anywhere: ``python -m scheduler.service.protogen [--check]``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PROTO_ROOT = REPO_ROOT / "proto"
PROTO_PACKAGE = Path("scheduler") / "v1"
GENERATED_SUFFIXES = ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py")


def proto_files(proto_root: Path = PROTO_ROOT) -> list[Path]:
    """The ``.proto`` files of the API, relative to ``proto_root``, sorted."""
    return sorted(p.relative_to(proto_root) for p in (proto_root / PROTO_PACKAGE).glob("*.proto"))


def generate(out_dir: Path, proto_root: Path = PROTO_ROOT) -> list[Path]:
    """Run protoc (from grpcio-tools) for every API proto into ``out_dir``.

    Parameters
    ----------
    out_dir
        Root of the output tree; files land in ``out_dir/scheduler/v1``.
    proto_root
        Directory holding ``scheduler/v1/*.proto``.

    Returns
    -------
    list of pathlib.Path
        The generated files, relative to ``out_dir``, sorted.

    Raises
    ------
    RuntimeError
        If protoc reports an error.
    """
    import grpc_tools

    well_known = Path(grpc_tools.__file__).parent / "_proto"
    files = proto_files(proto_root)
    args = [
        sys.executable,
        "-m",
        "grpc_tools.protoc",
        f"-I{proto_root}",
        f"-I{well_known}",
        f"--python_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        f"--pyi_out={out_dir}",
        *(str(proto_root / f) for f in files),
    ]
    (out_dir / PROTO_PACKAGE).mkdir(parents=True, exist_ok=True)
    # A subprocess: protoc in-process can abort a process that also runs a gRPC server.
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"protoc failed ({done.returncode}): {done.stderr.strip()}")
    return sorted(
        p.relative_to(out_dir)
        for p in (out_dir / PROTO_PACKAGE).iterdir()
        if p.name.endswith(GENERATED_SUFFIXES)
    )


def stale_files(repo_root: Path = REPO_ROOT) -> list[str]:
    """Generated files that differ from (or are missing in, or extra in) ``scheduler/v1``."""
    committed_dir = repo_root / PROTO_PACKAGE
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate(Path(tmp), repo_root / "proto")
        stale = []
        for rel in fresh:
            committed = repo_root / rel
            if not committed.exists() or committed.read_bytes() != (Path(tmp) / rel).read_bytes():
                stale.append(str(rel))
        fresh_names = {p.name for p in fresh}
        for path in committed_dir.iterdir():
            if path.name.endswith(GENERATED_SUFFIXES) and path.name not in fresh_names:
                stale.append(str(path.relative_to(repo_root)))
    return sorted(stale)


def main(argv: list[str] | None = None) -> int:
    """Regenerate ``scheduler/v1`` (or with ``--check`` only report stale files)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the code is stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for name in stale:
            print(f"stale: {name}", file=sys.stderr)
        return 1 if stale else 0
    target = REPO_ROOT / PROTO_PACKAGE
    with tempfile.TemporaryDirectory() as tmp:
        for rel in generate(Path(tmp)):
            shutil.copyfile(Path(tmp) / rel, REPO_ROOT / rel)
    init = target / "__init__.py"
    if not init.exists():
        init.write_text('"""Generated gRPC code for package scheduler.v1 (never edit)."""\n')
    for path in sorted(target.iterdir()):
        if path.name.endswith(GENERATED_SUFFIXES):
            print(path.relative_to(REPO_ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
