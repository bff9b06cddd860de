"""Shared fixtures: where the embedded example lives (found through the installed package)."""

from importlib.resources import files
from pathlib import Path

import pytest


@pytest.fixture
def example_site() -> Path:
    return Path(str(files("ccinfra.examples") / "site.yaml"))
