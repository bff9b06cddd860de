"""ccinfra render: the build layout and manifest, plan.json = site YAML, atomic writes, templates, CLI errors."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccinfra.cli.main import cli
from ccinfra.errors import SpecError, RenderError
from ccinfra.render import load_source, render_build, render_plan
from ccinfra.sizing.site import size
from ccinfra.spec import load_spec, parse_spec


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def example_plan():
    from importlib.resources import files

    return load_source(str(files("ccinfra.examples") / "site.yaml"))


def test_build_layout_and_manifest(example_plan, tmp_path):
    build = render_build(example_plan, tmp_path / "build")
    root = tmp_path / "build"
    manifest = json.loads((root / "manifest.json").read_text())
    assert manifest["site"] == "lisbon" and len(manifest["plan_sha256"]) == 64
    roles = [d["role"] for d in manifest["devices"]]
    # The plan of the example: 4 access switches, a CUBE and an E1 PRI gateway, 130 phone MACs in phones.csv.
    assert roles.count("switch") == len(example_plan.network.switches) == 4
    assert roles.count("gateway") == 2 and roles.count("phone") == 130
    for device in manifest["devices"]:
        assert {"device", "role", "platform", "path", "sha256"} <= device.keys()
        data = (root / device["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == device["sha256"]
    first = manifest["devices"][0]
    assert (first["device"], first["platform"], first["path"]) == ("lisbon-as01", "cisco_ios", "switches/lisbon-as01.cfg")
    phone = next(d for d in manifest["devices"] if d["role"] == "phone")
    assert (phone["platform"], phone["path"], phone["extension"]) == (
        "cisco_phone", "phones/SEP001B54C00001.cnf.xml", 2001)
    on_disk = {p for p in snapshot(root) if p not in ("manifest.json", "plan.json")}
    assert on_disk == {f.path for f in build.files}
    assert not list(tmp_path.glob(".build.*")), "staging folders must not be left behind"


def test_plan_json_renders_the_same_build_as_the_site_yaml(example_site, tmp_path):
    assert run("size", str(example_site), "--format", "json", "-o", str(tmp_path / "plan.json")).exit_code == 0
    assert run("render", str(example_site), "-o", str(tmp_path / "from-yaml")).exit_code == 0
    assert run("render", str(tmp_path / "plan.json"), "-o", str(tmp_path / "from-plan")).exit_code == 0
    assert snapshot(tmp_path / "from-yaml") == snapshot(tmp_path / "from-plan")


def test_a_plan_without_json_suffix_is_recognised_by_content(example_site, tmp_path):
    plan_file = tmp_path / "plan.txt"
    run("size", str(example_site), "--format", "json", "-o", str(plan_file))
    assert load_source(plan_file).site == "lisbon"


def test_failed_template_leaves_the_previous_build_untouched(example_plan, tmp_path):
    target = tmp_path / "build"
    render_build(example_plan, target)
    before = snapshot(target)
    broken = tmp_path / "tpl" / "switch"
    broken.mkdir(parents=True)
    (broken / "cisco_ios.cfg.j2").write_text("hostname {{ hostname }}\n{{ no_such_variable }}\n")
    with pytest.raises(RenderError, match=r"switch/cisco_ios.cfg.j2 line 2: 'no_such_variable' is undefined"):
        render_build(example_plan, target, tmp_path / "tpl")
    assert snapshot(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "tpl"]


def test_failed_check_writes_nothing(example_plan, tmp_path):
    override = tmp_path / "tpl" / "switch"
    override.mkdir(parents=True)
    from importlib.resources import files

    text = (files("ccinfra.templates") / "switch" / "cisco_ios.cfg.j2").read_text()
    (override / "cisco_ios.cfg.j2").write_text(text.replace("allowed vlan {{ vlan_list }}", "allowed vlan 1-4094"))
    with pytest.raises(RenderError, match=r"lisbon-as01 \(switches/lisbon-as01.cfg\) line \d+: trunk allows VLANs"):
        render_build(example_plan, tmp_path / "build", tmp_path / "tpl")
    assert not (tmp_path / "build").exists()


def test_templates_override_by_relative_name_and_come_from_the_package_not_the_cwd(example_plan, tmp_path):
    # A templates/ folder in the current directory must not be picked up.
    (tmp_path / "templates" / "switch").mkdir(parents=True)
    (tmp_path / "templates" / "switch" / "cisco_ios.cfg.j2").write_text("{{ broken")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert render_plan(example_plan).files[0].text.splitlines()[5] == "hostname lisbon-as01"
    finally:
        os.chdir(cwd)  # not monkeypatch: the example plan fixture is shared by the module
    override = tmp_path / "mine" / "gateway"
    override.mkdir(parents=True)
    from importlib.resources import files

    cube = (files("ccinfra.templates") / "gateway" / "cube.cfg.j2").read_text()
    marker = "service tcp-keepalives-in"
    (override / "cube.cfg.j2").write_text(cube.replace("hostname {{ hostname }}", f"hostname {{{{ hostname }}}}\n{marker}"))
    texts = {f.path: f.text for f in render_plan(example_plan, tmp_path / "mine").files}
    assert marker in texts["gateways/lisbon-gw01.cfg"]
    assert marker not in texts["gateways/lisbon-gw02.cfg"]  # the PRI template stays bundled


def test_unparsable_config_is_a_render_error(example_plan, tmp_path):
    override = tmp_path / "tpl" / "gateway"
    override.mkdir(parents=True)
    (override / "cube.cfg.j2").write_text("hostname {{ hostname }}\nbanner-free\n")
    with pytest.raises(RenderError, match=r"lisbon-gw01 \(gateways/lisbon-gw01.cfg\) line 0: cannot be parsed"):
        render_plan(example_plan, tmp_path / "tpl")


def test_sandbox_refuses_attribute_tricks(example_plan, tmp_path):
    override = tmp_path / "tpl" / "switch"
    override.mkdir(parents=True)
    (override / "cisco_ios.cfg.j2").write_text("{{ hostname.__class__.__mro__[1].__subclasses__() }}\n")
    with pytest.raises(RenderError, match="sandbox|unsafe|undefined"):
        render_plan(example_plan, tmp_path / "tpl")


def test_template_syntax_error_names_the_template_and_line(example_plan, tmp_path):
    override = tmp_path / "tpl" / "switch"
    override.mkdir(parents=True)
    (override / "cisco_ios.cfg.j2").write_text("hostname x\n{% if %}\n")
    with pytest.raises(RenderError, match=r"cisco_ios.cfg.j2 line 2"):
        render_plan(example_plan, tmp_path / "tpl")


def _site(**overrides):
    data = {"name": "small", "demand": {"agents": 10, "supervisors": {"count": 1}},
            "phones": {"devices": [{"mac": "02:00:5e:00:00:01"}, {"mac": "02:00:5e:00:00:02"}]}}
    for key, value in overrides.items():
        data[key] = value
    return parse_spec(data)


def test_seats_without_macs_are_warned_about_and_never_invented(tmp_path):
    build = render_build(size(_site()), tmp_path / "b")
    phones = [d for d in build.manifest["devices"] if d["role"] == "phone"]
    assert [p["device"] for p in phones] == ["02005e000001", "02005e000002"]
    # 10 agents + 1 supervisor = 11 seats, 2 MACs: 9 seats without a phone file.
    assert any(w.startswith("9 of 11 seats have no phone MAC") for w in build.manifest["warnings"])


def test_cli_prints_the_warning_on_stderr(tmp_path):
    site = tmp_path / "site.yaml"
    site.write_text("name: small\ndemand: {agents: 10, supervisors: {count: 1}}\n")
    result = CliRunner().invoke(cli, ["render", str(site), "-o", str(tmp_path / "b")])
    assert result.exit_code == 0
    assert "warning: 11 of 11 seats have no phone MAC" in result.stderr
    assert "rendered site small" in result.stdout


def test_yealink_model_without_known_common_file_is_refused():
    # the spec refuses it first (catalogue); a hand-edited plan.json still meets the renderer's own check
    with pytest.raises(SpecError, match=r"phones: model: 'T99Z' is not a yealink phone model"):
        _site(phones={"vendor": "yealink", "model": "T99Z", "devices": [{"mac": "02:00:5e:00:00:01"}]})
    plan = size(_site(phones={"vendor": "yealink", "model": "T54W", "devices": [{"mac": "02:00:5e:00:00:01"}]}))
    plan.spec["phones"]["model"] = "T99Z"
    with pytest.raises(RenderError, match="phones: model: 'T99Z' is not a yealink phone model"):
        render_plan(plan)


@pytest.mark.parametrize("args, message", [
    (["render", "no-such-site.yaml", "-o", "b"], "no such file"),
    (["render", "no-such-plan.json", "-o", "b"], "no such file"),
])
def test_cli_errors_are_one_line(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]


def test_cli_refuses_to_replace_a_folder_that_is_not_a_build(example_site, tmp_path):
    precious = tmp_path / "docs"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    result = CliRunner().invoke(cli, ["render", str(example_site), "-o", str(precious)])
    assert result.exit_code == 1 and "not empty and not an earlier build" in result.output
    assert (precious / "notes.txt").read_text() == "keep me"


def test_cli_broken_template_is_a_one_line_error(example_site, tmp_path):
    (tmp_path / "tpl" / "phone" / "cisco").mkdir(parents=True)
    (tmp_path / "tpl" / "phone" / "cisco" / "sep.cnf.xml.j2").write_text("<device>{{ nope }}</device>\n")
    result = CliRunner().invoke(cli, ["render", str(example_site), "-o", str(tmp_path / "b"),
                                      "--templates", str(tmp_path / "tpl")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: 001b54c00001: template phone/cisco/sep.cnf.xml.j2 line 1: 'nope' is undefined; the variable is missing"
    ]


def test_render_from_loaded_spec_matches_example(example_site):
    plan = size(load_spec(example_site))
    assert render_plan(plan).manifest == render_plan(plan).manifest  # deterministic: no clock, no randomness
