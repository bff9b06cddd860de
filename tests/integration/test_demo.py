"""`ccinfra demo` runs the whole chain on the embedded example, on this machine only."""

import json

import pytest
from click.testing import CliRunner

from ccinfra.cli.main import cli

pytestmark = pytest.mark.integration


def test_demo_end_to_end(tmp_path, monkeypatch):
    marker = "Sekr3t-demo-marker"
    monkeypatch.setattr("ccinfra.demo.secrets.token_urlsafe", lambda n: marker)
    out = tmp_path / "demo"
    result = CliRunner().invoke(cli, ["demo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for stage in ("size", "render", "lab", "push (dry run)", "push --commit", "push again", "audit drift", "report"):
        assert any(line.startswith("ok") and stage in line for line in lines), f"stage {stage!r} not ok"
    assert "6 changed" in result.output and "6 clean" in result.output
    assert "6 unchanged, 0 lines sent" in result.output
    plan = json.loads((out / "plan.json").read_text())
    assert plan["site"] == "lisbon"
    manifest = json.loads((out / "build" / "manifest.json").read_text())
    assert {d["role"] for d in manifest["devices"]} == {"switch", "gateway", "phone"}
    html = (out / "report.html").read_text()
    assert html.count('class="desk ') == plan["seats"]["total"]
    backups = list((out / "backups").iterdir())
    assert len(backups) >= 6
    # the made-up lab credentials are never printed nor written anywhere
    assert marker not in result.output
    for path in out.rglob("*"):
        if path.is_file():
            assert marker not in path.read_text(errors="replace"), path
