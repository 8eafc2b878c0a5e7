"""Shared fixtures: the repository's root and the `brink` command line to compare against."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"


def _cli_path():
    p = os.environ.get("BRINK_BIN")
    if p:
        return Path(p)
    return ROOT / "target" / "release" / "brink"


@pytest.fixture(scope="session")
def cli():
    """Runs the `brink` command line (target/release/brink, or $BRINK_BIN) from the repository's
    root and returns its standard output. Without the binary the comparison tests skip, except
    under CI, where `cargo test --workspace --release` has built it and they must run."""
    path = _cli_path()
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"no brink binary at {path} (build it with cargo build --release)")
        pytest.skip(f"no brink binary at {path}: build it with cargo build --release")

    def run(*args):
        out = subprocess.run(
            [str(path), *args], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return out.stdout

    return run


@pytest.fixture
def in_root(monkeypatch):
    """Runs the test from the repository's root, so that file names in documents match the
    command line's."""
    monkeypatch.chdir(ROOT)
    return ROOT
