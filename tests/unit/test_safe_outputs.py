"""Issue 13: outputs never lose a file; limits and render readiness found at the edge (in process, fast)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccinfra import limits
from ccinfra.cli.main import cli
from ccinfra.errors import RenderError, SpecError
from ccinfra.fsio import check_output_file, write_text_atomic, written_by_ccinfra
from ccinfra.plan import Gateway, Trunks
from ccinfra.render import load_source
from ccinfra.render.build import render_plan, write_build
from ccinfra.safeload import load_json_text, load_yaml_text
from ccinfra.sizing.readiness import gateway_checks
from ccinfra.sizing.site import size
from ccinfra.spec import parse_spec

SITE = "name: lab\ndemand: {agents: 10}\n"


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text(SITE)
    return path


def render(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.output


# ---------------------------------------------------------------------------- render -o
def test_render_twice_then_refuses_a_foreign_file_an_edit_or_another_site(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    assert render(["render", str(site), "-o", str(out)])[0] == 0
    assert render(["render", str(site), "-o", str(out)])[0] == 0  # its own untouched build is replaced

    (out / "thesis.docx").write_text("two years of work")
    code, text = render(["render", str(site), "-o", str(out)])
    assert code == 1 and "thesis.docx is not part of the build ccinfra wrote" in text
    assert (out / "thesis.docx").read_text() == "two years of work"
    (out / "thesis.docx").unlink()

    config = out / "switches" / "lab-as01.cfg"
    config.write_text(config.read_text() + "! a hand edit\n")
    code, text = render(["render", str(site), "-o", str(out)])
    assert code == 1 and "switches/lab-as01.cfg was changed after ccinfra wrote it" in text
    assert config.read_text().endswith("! a hand edit\n")
    config.unlink()

    other = tmp_path / "other.yaml"
    other.write_text(SITE.replace("name: lab", "name: porto"))
    code, text = render(["render", str(other), "-o", str(out)])
    assert code == 1 and "holds the build of site 'lab', not 'porto'" in text


def test_render_refuses_an_empty_or_foreign_manifest(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    (out / "manifest.json").write_text("{}")
    (out / "thesis.docx").write_text("x")
    code, text = render(["render", str(site), "-o", str(out)])
    assert code == 1 and 'manifest.json is not one ccinfra wrote (no "schema": "ccinfra.manifest/1")' in text
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "thesis.docx"]


def test_render_keeps_the_lab_files_ccinfra_wrote_beside_the_build(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    assert render(["render", str(site), "-o", str(out)])[0] == 0
    (out / "lab-inventory.yml").write_text("# Ansible inventory written by ccinfra; regenerate it.\nall: {}\n")
    (out / "lab-inventory.yml.known_hosts").write_text("# written by ccinfra lab up: ...\n")
    assert render(["render", str(site), "-o", str(out)])[0] == 0
    assert (out / "lab-inventory.yml").read_text().endswith("all: {}\n")
    assert (out / "lab-inventory.yml.known_hosts").exists()


def test_symlinked_output_folder_is_followed_and_no_old_folder_is_left(site: Path, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    for _ in range(2):
        assert render(["render", str(site), "-o", str(link)])[0] == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert (real / "manifest.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real", "site.yaml"]


def test_dangling_symlink_as_output_is_refused(site: Path, tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "nowhere")
    code, text = render(["render", str(site), "-o", str(link)])
    assert code == 1 and "a symlink to" in text and link.is_symlink()


# ---------------------------------------------------------------------------- single output files
def test_written_by_ccinfra_knows_its_markers_and_its_own_shapes(tmp_path: Path) -> None:
    path = tmp_path / "f"
    for text, ours in [("# written by ccinfra lab up\n", True), ('{"schema": "ccinfra.plan/1"}', True),
                       ("my thesis", False), ('{"name": "mine"}', False), ("", False)]:
        path.write_text(text)
        assert written_by_ccinfra(path) is ours, text
    path.write_text('{"agents": 14, "occupancy": 0.7}')
    assert written_by_ccinfra(path, '{"agents": 15, "occupancy": 0.8}')  # the same command's JSON again
    assert not written_by_ccinfra(path, '{"agents": 15}')
    path.write_text("Trunks (Erlang B)\n-----------------\nchannels 18\n")
    assert written_by_ccinfra(path, "Trunks (Erlang B)\n-----------------\nchannels 19\n")


def test_check_output_file_refuses_foreign_files_folders_and_unwritable_places(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SpecError, match="not written by ccinfra; .* or add --force"):
        check_output_file(tmp_path / "notes.txt", "-o")
    assert check_output_file(tmp_path / "notes.txt", "-o", force=True) == tmp_path / "notes.txt"
    with pytest.raises(SpecError, match="is a folder"):
        check_output_file(tmp_path, "-o")
    (tmp_path / "file").write_text("x")
    with pytest.raises(SpecError, match="is a file, not a folder"):
        check_output_file(tmp_path / "file" / "r.json", "--result-json")


def test_atomic_write_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "target.txt").write_text("old")
    (tmp_path / "link.txt").symlink_to(tmp_path / "target.txt")
    write_text_atomic(tmp_path / "link.txt", "new")
    assert (tmp_path / "link.txt").is_symlink() and (tmp_path / "target.txt").read_text() == "new"


def test_size_o_refuses_a_foreign_file_unless_force(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    out.write_text('{"my": "data"}')
    code, text = render(["size", str(site), "--format", "json", "-o", str(out)])
    assert code == 1 and "not written by ccinfra" in text and out.read_text() == '{"my": "data"}'
    assert render(["size", str(site), "--format", "json", "-o", str(out), "--force"])[0] == 0
    assert render(["size", str(site), "--format", "json", "-o", str(out)])[0] == 0  # now it is ccinfra's


def test_report_format_from_suffix_or_refused(site: Path, tmp_path: Path) -> None:
    code, text = render(["report", str(site), "-o", str(tmp_path / "r.pdf")])
    assert code == 2 and "cannot tell the format from '.pdf'" in text and not (tmp_path / "r.pdf").exists()
    assert render(["report", str(site), "-o", str(tmp_path / "r.md")])[0] == 0
    assert (tmp_path / "r.md").read_text().startswith("#")
    code, text = render(["report", str(site), "-o", str(tmp_path / "r.md"), "--format", "html"])
    assert code == 2 and "make them agree" in text


# ---------------------------------------------------------------------------- --strict
def test_strict_turns_a_fail_check_into_exit_1(tmp_path: Path) -> None:
    # 127 seats × 2.3 m² = 292.1 m² of floor; a 3 × 3 m room has 9 m²: floor.room_area FAILs.
    room = tmp_path / "room.yaml"
    room.write_text("name: x\ndemand: {agents: 127}\nfloor: {room: {width_m: 3, depth_m: 3}}\n")
    code, text = render(["size", str(room)])
    assert code == 0 and "FAIL" in text
    code, text = render(["size", str(room), "--strict"])
    assert code == 1 and text.splitlines()[-1].startswith("Error: --strict: 2 check(s) FAIL: floor.room_area")
    assert render(["report", str(room), "-o", str(tmp_path / "r.html"), "--strict"])[0] == 1
    code, _ = render(["render", str(room), "-o", str(tmp_path / "b"), "--strict"])
    assert code == 1 and not (tmp_path / "b").exists()


# ---------------------------------------------------------------------------- right before rendering
def _pri(spans: int) -> Gateway:
    return Gateway(name="x-gw01", role="pri", platform="cisco_ios", management_ip="10.0.0.5", channels=spans * 30,
                   spans=spans, span_type="e1")


def _trunks(channels: int) -> Trunks:
    return Trunks(type="e1", fallback="none", traffic_erlangs=1.0, traffic_basis="", blocking_target=0.01,
                  channels=channels, blocking=0.01, e1_spans=0, t1_pri_spans=0, t1_cas_spans=0,
                  peak_concurrent_calls=channels, sources=[])


def test_pri_spans_per_gateway_limit_is_three_nim_cards_of_eight() -> None:
    assert gateway_checks([_pri(24)], _trunks(720)) == []
    [check] = gateway_checks([_pri(25)], _trunks(750))
    assert check.status == "fail" and check.id == "render.x-gw01.spans"
    assert check.detail.startswith("telephony.trunk: e1 needs 25 spans for 750 channels; one gateway takes 24")


def _phones_site(start: int, count: int, **extra: object) -> dict:
    devices = [{"mac": f"02:00:00:00:00:{i:02x}"} for i in range(1, count + 1)]
    return {"name": "x", "demand": {"agents": 10},
            "phones": {"extension_start": start, "devices": devices, **extra}}


def test_extensions_past_the_dial_plan_are_a_fail_check_that_render_refuses() -> None:
    # 99999995 + 4 = 99999999 (the last 8-digit number): fits; a 6th phone would get 100000000.
    assert not [c for c in size(parse_spec(_phones_site(99_999_995, 5))).checks if c.id.startswith("render.")]
    plan = size(parse_spec(_phones_site(99_999_995, 6)))
    [check] = [c for c in plan.checks if c.id.startswith("render.")]
    assert check.id == "render.extensions.range" and "phones.extension_start: 99999995 + 6 phones" in check.detail
    with pytest.raises(RenderError, match="nothing written: phones.extension_start"):
        render_plan(plan)


def test_an_extension_given_twice_is_found_by_size_and_an_unknown_yealink_model_by_the_spec() -> None:
    data = _phones_site(2001, 2, vendor="yealink", model="T46S")
    data["phones"]["devices"][1]["extension"] = 2001  # the first phone gets 2001 from extension_start
    ids = [c.id for c in size(parse_spec(data)).checks if c.status == "fail"]
    assert ids == ["render.extensions.unique"]
    # issue 12's model catalogue refuses an unknown model while loading, naming the field
    with pytest.raises(SpecError, match="phones: model: 'T99Z' is not a yealink phone model"):
        parse_spec(_phones_site(2001, 2, vendor="yealink", model="T99Z"))


def test_the_same_mac_twice_is_refused_while_loading(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text("mac,name\n00:1a:2b:3c:4d:5e,a\n00:1b:00:00:00:01,b\n001A.2B3C.4D5E,c\n")
    (tmp_path / "s.yaml").write_text(SITE + "phones: {macs_file: p.csv}\n")
    with pytest.raises(SpecError, match="lines 2 and 4 have the same MAC 001A.2B3C.4D5E"):
        load_source(tmp_path / "s.yaml")


# ---------------------------------------------------------------------------- limits at the edge
@pytest.mark.parametrize("yaml_text, field", [
    ("name: x\ndemand: {agents: 100001}\n", "demand.agents"),
    ("name: x\ndemand: {forecast: {calls_per_interval: 100, aht_s: 180, interval_min: 0.5}}\n", "interval_min"),
    ("name: x\ndemand: {forecast: {calls_per_interval: 100, aht_s: 180, service_level: 0.9999999}}\n",
     "service_level"),
    ("name: x\ndemand: {forecast: {calls_per_interval: 100, aht_s: 86401}}\n", "aht_s"),
    ("name: x\ndemand: {agents: 10}\ntelephony: {blocking: 1.0e-7}\n", "telephony.blocking"),
])
def test_site_magnitudes_past_a_named_limit_are_refused(tmp_path: Path, yaml_text: str, field: str) -> None:
    (tmp_path / "s.yaml").write_text(yaml_text)
    with pytest.raises(SpecError, match=field):
        load_source(tmp_path / "s.yaml")


def test_limits_at_their_boundaries() -> None:
    assert limits.check_max("x", limits.MAX_AGENTS, limits.MAX_AGENTS) == 100_000
    assert limits.check_interval_min("x", 1) == 1 and limits.check_interval_min("x", 1440) == 1440
    with pytest.raises(SpecError, match="1441"):
        limits.check_interval_min("x", 1441)
    assert limits.check_fraction("x", 1e-6) == 1e-6
    with pytest.raises(SpecError):
        limits.check_fraction("x", 1e-7)
    assert limits.check_name_pattern("p", "{site}-{index:063d}")
    with pytest.raises(SpecError, match="width 64"):
        limits.check_name_pattern("p", "{site}-{index:064d}")


def test_depth_limit_of_yaml_and_json() -> None:
    shallow = "[" * 10 + "]" * 10
    assert load_yaml_text("a: " + shallow, "s") == {"a": [[[[[[[[[[]]]]]]]]]]}
    assert load_json_text(shallow, "p") == [[[[[[[[[[]]]]]]]]]]
    with pytest.raises(SpecError, match="MAX_DEPTH"):
        load_yaml_text("a: " + "[" * 40 + "]" * 40, "s")
    with pytest.raises(SpecError, match="MAX_DEPTH"):
        load_json_text("[" * 40 + "]" * 40, "p")


def test_an_unexpected_error_is_still_one_line_and_the_traceback_comes_on_request(monkeypatch) -> None:
    import ccinfra.cli.sizing_cmds as sizing_cmds

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(sizing_cmds.trunking, "size_trunks", broken)
    monkeypatch.delenv("CCINFRA_DEBUG", raising=False)
    result = CliRunner().invoke(cli, ["trunks", "--erlangs", "10"])
    assert result.exit_code == 1 and result.output.splitlines() == [
        "Error: trunks: unexpected ValueError: boom; this is a bug in ccinfra: rerun with CCINFRA_DEBUG=1 "
        "for the traceback and report it"]
    monkeypatch.setenv("CCINFRA_DEBUG", "1")
    result = CliRunner().invoke(cli, ["trunks", "--erlangs", "10"])
    assert isinstance(result.exception, ValueError)
