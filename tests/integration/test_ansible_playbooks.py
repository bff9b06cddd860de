"""The bundled playbooks, run for real: ``ansible-playbook`` subprocesses against lab twins on 127.0.0.1.

Each test starts its own small fleet (3 devices at most) and writes the intended configs itself,
so a reader sees every line that is expected on a device. Host keys stay verified: each run gets
a temporary HOME whose ``~/.ssh/known_hosts`` holds the fleet's ``[127.0.0.1]:PORT`` lines, the
file paramiko (ansible's network_cli without ansible-pylibssh) reads.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import asyncssh
import pytest

from ccinfra.lab import DeviceSpec, Faults, LabFleet

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
PLAYBOOKS = Path(str(files("ccinfra.playbooks")))
ANSIBLE_PLAYBOOK = Path(sys.executable).with_name("ansible-playbook")
CCINFRA = Path(sys.executable).with_name("ccinfra")
USERNAME = "lab-ops"
# Distinctive, so a test can look for them in every output and file.
PASSWORD = "Pw-51d0c2-never-in-output"
SECRET = "En-9e77a3-never-in-output"
NAMES = ("cc-as01", "cc-as02", "cc-as03")


def intended_config(name: str) -> str:
    """The rendered config of one access switch, written out by hand (full interface names)."""
    return f"""hostname {name}
!
vlan 10
 name DATA
!
vlan 20
 name VOICE
!
interface GigabitEthernet1/0/1
 description agent seat 1
 switchport mode access
 switchport access vlan 10
 switchport voice vlan 20
!
ip domain name cc.example
!
end
"""


def skeleton(name: str) -> str:
    return f"hostname {name}\n!\nline con 0\nline vty 0 4\n login local\n transport input ssh\n!\nend\n"


@dataclass
class Lab:
    fleet: LabFleet
    root: Path
    inventory: Path
    home: Path

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CCINFRA_"))}
        env.update(
            HOME=str(self.home),
            ANSIBLE_CONFIG=str(REPO / "ansible.cfg"),
            CCINFRA_USERNAME=USERNAME,
            CCINFRA_PASSWORD=PASSWORD,
            CCINFRA_SECRET=SECRET,
        )
        env.update(extra)
        return env

    def play(self, playbook: str, *args: str, env: dict[str, str] | None = None) -> Run:
        argv = [str(ANSIBLE_PLAYBOOK), "-i", str(self.inventory), str(PLAYBOOKS / playbook), *args]
        done = subprocess.run(argv, cwd=self.root, env=env or self.env(), capture_output=True, text=True, timeout=240)
        return Run(done.returncode, done.stdout, done.stderr)


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def recap(self) -> dict[str, dict[str, int]]:
        """``PLAY RECAP`` as {host: {"ok": n, "changed": n, "failed": n, ...}}."""
        text = self.stdout.split("PLAY RECAP", 1)[1]
        rows = re.findall(r"^(\S+)\s+:\s+(.*)$", text, re.M)
        return {host: {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", counts)} for host, counts in rows}

    def __repr__(self) -> str:  # shown by pytest when an assert fails
        return f"rc={self.returncode}\n{self.stdout[-4000:]}\n{self.stderr[-2000:]}"


def write_build(build: Path, configs: dict[str, str]) -> Path:
    folder = build / "switches"
    folder.mkdir(parents=True, exist_ok=True)
    devices = []
    for name, text in configs.items():
        (folder / f"{name}.cfg").write_text(text)
        devices.append({"device": name, "role": "switch", "platform": "cisco_ios", "path": f"switches/{name}.cfg"})
    (build / "manifest.json").write_text(json.dumps({"devices": devices}))
    return build


@pytest.fixture
def make_lab(tmp_path: Path) -> Iterator:
    """Factory: ``make_lab(faults={name: Faults}, initial={name: text}, names=NAMES, ...)``.

    ``credentials`` are the twins' (user, password, secret); ``inventory`` is where the inventory
    is written (a folder gets ``hosts.yml``, so group_vars/ can sit next to it).
    """
    fleets: list[LabFleet] = []

    def make(
        faults: dict[str, Faults] | None = None,
        initial: dict[str, str] | None = None,
        names: Sequence[str] = NAMES,
        credentials: tuple[str, str, str] = (USERNAME, PASSWORD, SECRET),
        inventory: Path | None = None,
    ) -> Lab:
        faults, initial = faults or {}, initial or {}
        specs = [
            DeviceSpec(n, initial_config=initial.get(n, skeleton(n)), faults=faults.get(n, Faults())) for n in names
        ]
        user, password, secret = credentials
        fleet = LabFleet(specs, username=user, password=password, secret=secret).start()
        fleets.append(fleet)
        build = write_build(tmp_path / "build", {n: intended_config(n) for n in names})
        home = tmp_path / "home"
        (home / ".ssh").mkdir(parents=True)
        known = home / ".ssh" / "known_hosts"
        target = inventory / "hosts.yml" if inventory else tmp_path / "inventory.yml"
        fleet.write_inventory(target, build_dir=build, known_hosts_path=known)
        return Lab(fleet, tmp_path, inventory or target, home)

    yield make
    for fleet in fleets:
        fleet.stop()


def assert_no_credentials(*texts: str) -> None:
    for text in texts:
        assert PASSWORD not in text and SECRET not in text


def config_lines(text: str) -> set[str]:
    return {line.rstrip() for line in text.splitlines() if line.strip() not in ("", "!", "end")}


def test_first_push_changes_and_saves_second_reports_changed_0(make_lab) -> None:
    lab = make_lab()
    before = {d.name: d.running_config for d in lab.fleet}

    first = lab.play("push_network.yml")

    assert first.returncode == 0, first
    for name in NAMES:
        device = lab.fleet[name]
        assert first.recap[name]["changed"] >= 1 and first.recap[name]["failed"] == 0, first
        assert config_lines(intended_config(name)) <= config_lines(device.running_config)
        assert device.startup_config == device.running_config  # save_when: modified saved it
        # The backup holds the config from before the change, not after.
        backup = (lab.root / "backups" / "pre-push" / f"{name}.cfg").read_text()
        assert config_lines(before[name]) <= config_lines(backup)
        assert "vlan 10" not in backup
        assert oct((lab.root / "backups" / "pre-push" / f"{name}.cfg").stat().st_mode & 0o777) == "0o600"

    lines_after_first = {d.name: d.config_lines_received for d in lab.fleet}
    second = lab.play("push_network.yml")

    assert second.returncode == 0, second
    assert {h: r["changed"] for h, r in second.recap.items()} == {n: 0 for n in NAMES}, second
    assert {d.name: d.config_lines_received for d in lab.fleet} == lines_after_first  # nothing sent
    assert_no_credentials(first.stdout, first.stderr, second.stdout, second.stderr)


def test_check_diff_through_ccinfra_ansible_push_changes_nothing(make_lab) -> None:
    lab = make_lab()
    # The keys come only through --known-hosts: the wrapper's private HOME must carry them.
    lab_known_hosts = lab.root / "lab_known_hosts"
    (lab.home / ".ssh" / "known_hosts").rename(lab_known_hosts)
    before = {d.name: (d.running_config, d.startup_config) for d in lab.fleet}

    argv = [str(CCINFRA), "ansible", "push", "-i", str(lab.inventory), "--known-hosts", str(lab_known_hosts),
            "--check", "--diff"]
    done = subprocess.run(argv, cwd=lab.root, env=lab.env(), capture_output=True, text=True, timeout=240)
    run = Run(done.returncode, done.stdout, done.stderr)

    assert run.returncode == 0, run
    assert all(run.recap[n]["changed"] >= 1 for n in NAMES), run
    assert "- vlan 10" in run.stdout and "- switchport voice vlan 20" in run.stdout  # the lines --check would send
    assert {d.name: (d.running_config, d.startup_config) for d in lab.fleet} == before
    assert all(d.config_lines_received == 0 for d in lab.fleet)
    assert not (lab.root / "backups").exists()
    assert not (lab.home / ".ssh" / "known_hosts").exists()  # the user's HOME was not written to


def test_rejected_line_fails_that_host_only(make_lab) -> None:
    lab = make_lab(faults={"cc-as02": Faults(reject_pattern=r"^switchport voice vlan")})
    startup_before = lab.fleet["cc-as02"].startup_config

    run = lab.play("push_network.yml")

    assert run.returncode == 2, run  # ansible-playbook: 2 = one or more hosts failed
    assert run.recap["cc-as02"]["failed"] == 1, run
    assert "Invalid input" in run.stdout
    for name in ("cc-as01", "cc-as03"):
        assert run.recap[name]["failed"] == 0 and run.recap[name]["changed"] >= 1, run
        assert config_lines(intended_config(name)) <= config_lines(lab.fleet[name].running_config)
    rejected = lab.fleet["cc-as02"]
    # ios_config has no rollback: lines before the rejected one stay in running, nothing is saved.
    assert "vlan 10" in rejected.running_config
    assert "switchport voice vlan 20" not in rejected.running_config
    assert rejected.startup_config == startup_before


def test_commit_confirm_timeout_confirms_after_verify_and_reverts_a_failed_host(make_lab) -> None:
    # cisco.ios cliconf: with ansible_ios_commit_confirm_timeout it checks `show archive` and `show
    # archive config rollback timer`, then enters `configure terminal revert timer N`; the playbook
    # verifies, then `configure confirm`, then saves; its rescue runs `configure revert now`.
    with_archive = {n: skeleton(n).replace("!\nline con 0", "!\narchive\n path flash:archive\n!\nline con 0")
                    for n in NAMES}
    initial = {"cc-as01": with_archive["cc-as01"], "cc-as02": skeleton("cc-as02"), "cc-as03": with_archive["cc-as03"]}
    lab = make_lab(initial=initial, faults={"cc-as03": Faults(reject_pattern=r"^switchport voice vlan")})
    before = {d.name: (d.running_config, d.startup_config) for d in lab.fleet}

    run = lab.play("push_network.yml", "-e", "ansible_ios_commit_confirm_timeout=1")

    assert run.returncode == 2, run
    confirmed = lab.fleet["cc-as01"]
    assert run.recap["cc-as01"]["failed"] == 0 and run.recap["cc-as01"]["changed"] >= 1, run
    assert config_lines(intended_config("cc-as01")) <= config_lines(confirmed.running_config)
    assert confirmed.startup_config == confirmed.running_config
    assert confirmed.state.rollback.pending is None and len(confirmed.state.rollback.archives) == 1
    # No archive: cliconf refuses before sending anything.
    assert run.recap["cc-as02"]["failed"] == 1 and "archiving not enabled" in run.stdout, run
    assert lab.fleet["cc-as02"].config_lines_received == 0
    # A rejected line: reverted at once, nothing saved.
    reverted = lab.fleet["cc-as03"]
    assert run.recap["cc-as03"]["failed"] == 1, run
    assert reverted.state.rollback.pending is None and reverted.state.rollback.expired == 0
    assert config_lines(reverted.running_config) == config_lines(before["cc-as03"][0])
    assert reverted.startup_config == before["cc-as03"][1]
    assert_no_credentials(run.stdout, run.stderr)


def test_backup_writes_one_file_per_device_in_a_dated_folder_using_the_vault(make_lab, tmp_path: Path) -> None:
    # Credentials from the example ansible-vault file instead of CCINFRA_*: the twins take the
    # vault's lab-only credentials (user lab, password lab, secret lab).
    inventory = tmp_path / "vaulted"
    (inventory / "group_vars" / "network").mkdir(parents=True)
    (inventory / "group_vars" / "all").mkdir(parents=True)
    shutil.copy(REPO / "inventories/example/group_vars/all/vault.yml", inventory / "group_vars/all")
    (inventory / "group_vars" / "network" / "vars.yml").write_text(
        "ansible_user: '{{ vault_ccinfra_username }}'\n"
        "ansible_password: '{{ vault_ccinfra_password }}'\n"
        "ansible_become_password: '{{ vault_ccinfra_secret }}'\n"
    )
    lab = make_lab(names=NAMES[:2], credentials=("lab", "lab", "lab"), inventory=inventory)
    env = {k: v for k, v in lab.env().items() if not k.startswith("CCINFRA_")}

    run = lab.play(
        "backup.yml",
        "--vault-password-file", str(REPO / "inventories/example/vault-password.lab-only.txt"),
        "-e", json.dumps({"ccinfra_backup_root": str(tmp_path / "bk")}),
        env=env,
    )

    assert run.returncode == 0, run
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d")
    folder = tmp_path / "bk" / today
    assert sorted(p.name for p in folder.iterdir()) == ["cc-as01.cfg", "cc-as02.cfg"]
    for device in lab.fleet:
        saved = (folder / f"{device.name}.cfg").read_text()
        assert config_lines(device.running_config) <= config_lines(saved)
        assert oct((folder / f"{device.name}.cfg").stat().st_mode & 0o777) == "0o600"


def test_audit_fails_the_drifted_device_and_reports_its_lines(make_lab) -> None:
    drifted = intended_config("cc-as02").replace("description agent seat 1", "description moved by hand")
    drifted = drifted.replace("ip domain name cc.example\n",
                              "ip domain name cc.example\nsnmp-server community s3cret RW\n")
    lab = make_lab(initial={"cc-as01": intended_config("cc-as01"), "cc-as02": drifted,
                            "cc-as03": intended_config("cc-as03")})

    run = lab.play("audit.yml", "-e", json.dumps({"ccinfra_audit_dir": str(lab.root / "audit")}))

    assert run.returncode == 2, run
    assert {h: r["failed"] for h, r in run.recap.items()} == {"cc-as01": 0, "cc-as02": 1, "cc-as03": 0}, run
    assert all(r["changed"] == 0 for r in run.recap.values()), run
    report = json.loads((lab.root / "audit" / "cc-as02.json").read_text())
    assert report["missing"] == ["interface GigabitEthernet1/0/1", "description agent seat 1"]
    # The community string is a secret: the report names the line, not the value.
    assert report["extra"] == ["interface GigabitEthernet1/0/1", "description moved by hand",
                               "snmp-server community <hidden> RW"]
    assert "s3cret" not in run.stdout + (lab.root / "audit" / "cc-as02.json").read_text()
    clean = json.loads((lab.root / "audit" / "cc-as01.json").read_text())
    assert clean["missing"] == [] and clean["extra"] == []


@pytest.mark.parametrize("known", ["empty", "other key"])
def test_unknown_or_changed_host_key_is_refused(make_lab, known: str) -> None:
    lab = make_lab(names=NAMES[:1])
    known_hosts = lab.home / ".ssh" / "known_hosts"
    if known == "empty":
        known_hosts.write_text("")
        expected = "can't be established"
    else:  # the right [127.0.0.1]:PORT entry, with another device's key
        other = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh").decode().split()[:2]
        known_hosts.write_text(f"[127.0.0.1]:{lab.fleet['cc-as01'].port} {' '.join(other)}\n")
        expected = "host key mismatch"

    run = lab.play("push_network.yml")

    assert run.returncode == 2, run
    assert run.recap["cc-as01"]["failed"] == 1, run
    assert expected in run.stdout + run.stderr, run
    assert lab.fleet["cc-as01"].config_lines_received == 0


def test_missing_credentials_stop_the_play_before_any_connection(make_lab) -> None:
    lab = make_lab(names=NAMES[:2])

    run = lab.play("backup.yml", env=lab.env(CCINFRA_PASSWORD=""))

    assert run.returncode == 2, run
    assert {h: r["failed"] for h, r in run.recap.items()} == {"cc-as01": 1, "cc-as02": 1}, run
    assert "no SSH password or enable secret. Export CCINFRA_USERNAME" in run.stdout, run
    assert not (lab.root / "backups").exists()
