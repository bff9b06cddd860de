"""The playbooks pass ansible-lint's production profile (settings in .ansible-lint, no rule skipped)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ansiblelint", reason="ansible-lint is not installed (pip install ansible-lint)")
pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]


def test_playbooks_pass_the_production_profile(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update(HOME=str(tmp_path), ANSIBLE_CONFIG=str(REPO / "ansible.cfg"))
    lint = Path(sys.executable).with_name("ansible-lint")
    done = subprocess.run([str(lint), "--profile", "production", "playbooks/"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Profile 'production' was required, and it passed" in done.stdout + done.stderr
