"""Static checks run with the tests: ruff (style, bugs and flake8-bandit
rules) over the code, and bandit with no high-severity finding.

Outside CI a missing tool skips with the reason; under CI=true it fails."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
IN_CI = os.environ.get("CI", "").lower() == "true"


def _tool(name: str) -> Path:
    path = BIN / name
    if not path.exists():
        message = f"{name} is not installed in {BIN} (pip install -r requirements-dev.txt)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_ruff_finds_nothing():
    targets = [t for t in ("workshops", "tests", "bench", "wsgi.py") if (ROOT / t).exists()]
    result = _run(str(_tool("ruff")), "check", "--no-cache", *targets)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


@pytest.mark.slow
def test_bandit_finds_no_high_severity_problem():
    result = _run(str(_tool("bandit")), "-q", "-r", "workshops", "-c", "pyproject.toml",
                  "--severity-level", "high", "--format", "txt")
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert "No issues identified." in result.stdout or result.stdout.strip() == "", result.stdout[-2000:]
