"""Shared test fixtures: where the shared seeds, samples and corpus live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
#: ../shared beside the checkout (as in CI); GXPARSE_SHARED overrides.
SHARED = Path(os.environ.get("GXPARSE_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
SAMPLES = SHARED / "samples"
CORPUS = SHARED / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Hypothesis profiles (docs/testing.md): "ci" (default) keeps .ci/run quick and
# reproducible: derandomized, the same examples on every machine, so a red CI run is
# a change in the code, never a lucky draw. "thorough" explores at random with many
# more examples, for a nightly or a release: GXPARSE_HYPOTHESIS_PROFILE=thorough
# pytest. "dev" explores at random, briefly, while editing.
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=20, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("GXPARSE_HYPOTHESIS_PROFILE", "ci"))


#: Why a test that reads the shared documents did not run (a fresh clone with no ../shared).
SHARED_MISSING = (f"needs the shared documents: {SHARED} is missing (put ../shared beside the checkout, "
                  "as in CI, or set GXPARSE_SHARED)")


def need_shared(*paths: Path) -> None:
    """Skip the calling test, naming the missing folder, unless every path exists.

    In CI the documents are there and every such test runs; the skip is for a fresh
    clone with nothing beside it, whose own fixtures still cover every format.
    """
    for path in paths:
        if not path.exists():
            pytest.skip(SHARED_MISSING if not SHARED.exists() else f"needs {path}, which is missing")


def _need(path: Path) -> Path:
    need_shared(path)
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return _need(SEEDS)


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return _need(SAMPLES)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return _need(CORPUS)
