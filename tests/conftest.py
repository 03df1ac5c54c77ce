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


def _need(path: Path) -> Path:
    if not path.exists():  # fail, never skip: a silently skipped golden test proves nothing
        pytest.fail(f"{path} is missing: put ../shared beside the checkout or set GXPARSE_SHARED")
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
