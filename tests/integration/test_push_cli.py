"""``ccinfra push`` end to end through click's CliRunner, against lab twins over loopback SSH."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccinfra.cli.main import cli
from ccinfra.lab import Faults

from .push_fixtures import PASSWORD, SECRET, push_lab  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration


def run(lab, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["push", str(lab.build), "--inventory", str(lab.inventory),
                                    "--backup-dir", str(lab.backups), *args],
                              env=lab.env() if env is None else env, catch_exceptions=False)


def test_dry_run_then_commit_then_unchanged(push_lab, tmp_path):
    lab = push_lab(n=2)
    dry = run(lab)
    assert dry.exit_code == 0, dry.output
    assert "--- cc-as01 (dry-run): remediation from running to intended" in dry.stdout
    assert "  switchport voice vlan 20" in dry.stdout and "ip domain-name" not in dry.stdout  # unmanaged
    assert "2 device(s): 0 changed, 0 unchanged, 2 dry-run, 0 rolled back, 0 skipped, 0 failed" in dry.stdout
    assert "[2/2]" in dry.stderr  # plain progress lines when stderr is not a terminal
    assert all(device.config_lines_received == 0 for device in lab.fleet)

    out = tmp_path / "result.json"
    commit = run(lab, "--commit", "--workers", "2", "--result-json", str(out))
    assert commit.exit_code == 0, commit.output
    document = json.loads(out.read_text())
    assert [(d["device"], d["status"], d["lines_sent"], d["error"]) for d in document["devices"]] == [
        ("cc-as01", "changed", 15, ""), ("cc-as02", "changed", 15, "")]
    assert all(isinstance(d["duration_s"], float) and d["duration_s"] > 0 for d in document["devices"])

    again = run(lab, "--commit", "--result-json", str(out))
    assert again.exit_code == 0
    assert [d["status"] for d in json.loads(out.read_text())["devices"]] == ["unchanged", "unchanged"]


def test_a_rolled_back_device_makes_exit_status_1(push_lab, tmp_path):
    lab = push_lab(n=2)
    lab.fleet["cc-as02"].set_faults(Faults(reject_pattern=r"^name VOICE"))
    out = tmp_path / "result.json"
    result = run(lab, "--commit", "--result-json", str(out))
    assert result.exit_code == 1
    devices = json.loads(out.read_text())["devices"]
    assert [d["status"] for d in devices] == ["changed", "rolled-back"]
    assert "'name VOICE' rejected" in devices[1]["error"]
    assert "1 rolled back" in result.stdout


def test_limit_pushes_only_the_named_devices(push_lab):
    lab = push_lab(n=3)
    result = run(lab, "--commit", "--limit", "cc-as02")
    assert result.exit_code == 0
    assert [d.config_lines_received for d in lab.fleet] == [0, 12, 0]
    typo = run(lab, "--limit", "cc-as99")
    assert typo.exit_code == 1 and "--limit: cc-as99 not in" in typo.stderr


def test_missing_credentials_name_the_env_vars(push_lab):
    lab = push_lab()
    result = run(lab, env={"CCINFRA_USERNAME": "", "CCINFRA_PASSWORD": "", "CCINFRA_SECRET": ""})
    assert result.exit_code == 1
    assert result.stderr.strip() == ("Error: no device credentials: set CCINFRA_USERNAME and CCINFRA_PASSWORD "
                                     "(and CCINFRA_SECRET for enable) in the environment")


def test_unknown_host_key_fails_and_insecure_flag_warns(push_lab):
    lab = push_lab()
    lab.known_hosts.write_text("")
    refused = run(lab)
    assert refused.exit_code == 1 and "host key unknown" in refused.stdout
    insecure = run(lab, "--insecure-host-keys")
    assert insecure.exit_code == 0
    assert "WARNING: --insecure-host-keys: SSH host keys are NOT checked" in insecure.stderr


def test_known_hosts_flag_overrides_the_inventory(push_lab, tmp_path):
    lab = push_lab()
    other = tmp_path / "other_known_hosts"
    other.write_text(lab.fleet["cc-as01"].known_hosts_line + "\n")
    lab.known_hosts.write_text("")  # the inventory's file no longer knows the device
    assert run(lab, "--known-hosts", str(other)).exit_code == 0


def test_password_never_appears_in_outputs_results_or_backups(push_lab, tmp_path):
    lab = push_lab(n=2)
    lab.fleet["cc-as02"].set_faults(Faults(reject_pattern=r"^vlan 20"))
    out = tmp_path / "result.json"
    results = [run(lab, "--result-json", str(out)), run(lab, "--commit", "--result-json", str(out))]
    bad = run(lab, env={**lab.env(), "CCINFRA_PASSWORD": PASSWORD + "-wrong"})  # failed logins too
    texts = [r.stdout + r.stderr for r in [*results, bad]]
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.parent == lab.backups for p in files) and out in files
    texts += [p.read_text(errors="replace") for p in files] + [p.name for p in files]
    for text in texts:
        assert PASSWORD not in text and SECRET not in text


def test_push_spread_over_worker_processes(push_lab, tmp_path):
    lab = push_lab(n=3)
    lab.fleet["cc-as03"].set_faults(Faults(reject_pattern=r"^vlan 20"))
    out = tmp_path / "result.json"
    result = run(lab, "--commit", "--processes", "2", "--result-json", str(out))
    assert result.exit_code == 1
    devices = json.loads(out.read_text())["devices"]
    assert [(d["device"], d["status"]) for d in devices] == [
        ("cc-as01", "changed"), ("cc-as02", "changed"), ("cc-as03", "rolled-back")]
    assert "[3/3]" in result.stderr  # progress events come back from the worker processes
    assert [d.config_lines_received for d in lab.fleet][:2] == [12, 12]


def test_lines_typed_ahead_in_worker_processes(push_lab, tmp_path):
    lab = push_lab(n=3)
    lab.fleet["cc-as03"].set_faults(Faults(reject_pattern=r"^switchport access vlan"))
    out = tmp_path / "result.json"
    result = run(lab, "--commit", "--processes", "2", "--lines-per-write", "16", "--result-json", str(out))
    assert result.exit_code == 1
    devices = json.loads(out.read_text())["devices"]
    assert [(d["device"], d["status"], d["lines_sent"]) for d in devices][:2] == [
        ("cc-as01", "changed", 15), ("cc-as02", "changed", 15)]
    assert devices[2]["status"] == "rolled-back"
    assert "line 'switchport access vlan 10' rejected: % Invalid input" in devices[2]["error"]
    assert [d.config_lines_received for d in lab.fleet][:2] == [12, 12]


@pytest.mark.parametrize("value", ["0", "65", "many"])
def test_lines_per_write_out_of_range_is_a_usage_error(push_lab, value):
    lab = push_lab()
    result = run(lab, "--commit", "--lines-per-write", value)
    assert result.exit_code == 2
    assert "--lines-per-write" in result.output and "Traceback" not in result.output
    assert lab.fleet["cc-as01"].config_lines_received == 0


def test_push_as_a_command_on_a_terminal_with_worker_processes(push_lab, tmp_path):
    """``ccinfra push`` as its own process (single-threaded, so its workers are forked: see
    runner.start_method) with stderr on a terminal: the rich display starts at the first event."""
    lab = push_lab(n=3)
    out = tmp_path / "result.json"
    argv = [str(Path(sys.executable).with_name("ccinfra")), "push", str(lab.build), "--inventory", str(lab.inventory),
            "--backup-dir", str(lab.backups), "--commit", "--processes", "2", "--result-json", str(out)]
    main, terminal = pty.openpty()
    shown: list[bytes] = []

    def drain() -> None:  # read the terminal while the command runs, so that it never blocks on it
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the other end is closed: everything was read
                return
            if not chunk:
                return
            shown.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        done = subprocess.run(argv, env={**os.environ, **lab.env()}, stdout=subprocess.PIPE, stderr=terminal,
                              text=True, timeout=120)
    finally:
        os.close(terminal)
        reader.join(10)
        os.close(main)
    assert done.returncode == 0, done.stdout
    assert [d["status"] for d in json.loads(out.read_text())["devices"]] == ["changed"] * 3
    assert "3 device(s): 3 changed" in done.stdout
    screen = b"".join(shown).decode(errors="replace")
    assert all(name in screen for name in lab.names) and "changed" in screen  # the live display ran
    assert [d.config_lines_received for d in lab.fleet] == [12, 12, 12]


def test_revert_minutes_0_pushes_without_a_timer_and_says_so(push_lab):
    lab = push_lab()
    result = run(lab, "--commit", "--revert-minutes", "0")
    assert result.exit_code == 0, result.output
    assert "WARNING: --revert-minutes 0: no revert timer" in result.stderr
    assert lab.fleet["cc-as01"].state.rollback.archives == []  # no `configure terminal revert timer`
    out_of_range = run(lab, "--commit", "--revert-minutes", "121")
    assert out_of_range.exit_code == 2 and "--revert-minutes" in out_of_range.stderr


def test_commit_uses_the_timer_and_leaves_no_lock(push_lab):
    lab = push_lab()
    result = run(lab, "--commit")
    assert result.exit_code == 0, result.output
    device = lab.fleet["cc-as01"]
    assert len(device.state.rollback.archives) == 1 and device.state.rollback.pending is None
    assert (lab.inventory.parent / ".ccinfra-locks").is_dir()
    assert not list((lab.inventory.parent / ".ccinfra-locks").iterdir())
