"""Bad input to the floor commands: one clear line naming the flag or field, never a traceback."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccinfra.cli.main import cli
from ccinfra.render import load_source, render_build

EXAMPLE = Path(str(files("ccinfra.examples") / "site.yaml"))


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("floor-cli")
    render_build(load_source(EXAMPLE), root / "build")
    return root / "build"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), env={"CCINFRA_USERNAME": "u", "CCINFRA_PASSWORD": "p"})


@pytest.mark.parametrize(("args", "code", "words"), [
    (("lab", "up", "--devices", "1", "--empty", "S01"), 2, "need --phones"),
    (("lab", "up", "--devices", "1", "--phones", str(EXAMPLE.with_name("phones.csv"))), 2, "--phones needs --from"),
    (("lab", "up", "--from", "{build}", "--phones", str(EXAMPLE.with_name("phones.csv")), "--move", "A030"), 2,
     "SEAT=VALUE"),
    (("lab", "up", "--from", "{build}", "--phones", str(EXAMPLE.with_name("phones.csv")), "--silent", "Z999"), 1,
     "seat 'Z999' is not a seat"),
    (("lab", "up", "--from", "{build}", "--phones", str(EXAMPLE.with_name("phones.csv")), "--foreign", "sw9:Gi1"), 1,
     "no such port"),
    (("discover", "{build}", "--inventory", "{build}/missing.yml"), 1, "missing.yml"),
    (("discover", "{build}", "--inventory", "{inventory}", "--limit", "nope"), 1, "--limit: nope"),
    (("audit", "asbuilt", "{build}/..", "--inventory", "{inventory}"), 1, "not a build"),
])
def test_bad_input_is_one_line(build, tmp_path, args, code, words):
    inventory = tmp_path / "inventory.yml"
    inventory.write_text("all:\n  hosts:\n    lisbon-as01: {ansible_host: 127.0.0.1, ansible_port: 1}\n")
    result = run(*[a.format(build=build, inventory=inventory) for a in args])
    assert result.exit_code == code, result.output
    assert words in result.output and "Traceback" not in result.output


def test_a_build_without_plan_json_is_named(build, tmp_path):
    import shutil

    old = tmp_path / "old-build"
    shutil.copytree(build, old)
    (old / "plan.json").unlink()
    result = run("discover", str(old), "--inventory", str(old / "x.yml"))
    assert result.exit_code == 1 and "has no plan.json" in result.output
