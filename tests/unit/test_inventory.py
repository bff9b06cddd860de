"""ccinfra inventory: the shared shape, credentials only as lookups, Ansible itself parses it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ccinfra.cli.main import cli
from ccinfra.errors import RenderError, SpecError
from ccinfra.manifest import ManifestError, read_manifest
from ccinfra.inventory import (
    HEADER,
    InventoryHost,
    inventory_yaml,
    plan_inventory,
    write_inventory_dir,
)
from ccinfra.render import load_source, render_build

ROOT = Path(__file__).resolve().parents[2]
ANSIBLE_INVENTORY = Path(sys.executable).parent / "ansible-inventory"
ANSIBLE = Path(sys.executable).parent / "ansible"
LOOKUP = "{{{{ lookup('ansible.builtin.env', '{}') | default({} | default(''), true) }}}}"


@pytest.fixture(scope="module")
def plan():
    from importlib.resources import files

    return load_source(str(files("ccinfra.examples") / "site.yaml"))


def test_plan_inventory_has_the_documented_shape(plan, tmp_path):
    build = tmp_path / "build"
    render_build(plan, build)
    inventory = plan_inventory(plan, build)
    doc = yaml.safe_load(inventory.texts()["hosts.yml"])
    network = doc["all"]["children"]["network"]
    assert doc["all"]["vars"] == {}
    assert network["vars"] == {
        "ansible_connection": "ansible.netcommon.network_cli",
        "ansible_network_os": "cisco.ios.ios",
        "ansible_user": LOOKUP.format("CCINFRA_USERNAME", "vault_ccinfra_username"),
        "ansible_password": LOOKUP.format("CCINFRA_PASSWORD", "vault_ccinfra_password"),
        "ansible_become": True,
        "ansible_become_method": "enable",
        "ansible_become_password": LOOKUP.format("CCINFRA_SECRET", "vault_ccinfra_secret"),
        "ansible_connect_timeout": 300,
        "ansible_command_timeout": 60,
    }
    # Addresses from the example plan: switches from the 11th host of 10.20.99.0/24, gateways from the 5th.
    assert network["children"]["switches"]["hosts"]["lisbon-as01"] == {
        "ansible_host": "10.20.99.11", "ccinfra_platform": "cisco_ios",
        "ccinfra_config": str(build / "switches" / "lisbon-as01.cfg"),
    }
    assert sorted(network["children"]["gateways"]["hosts"]) == ["lisbon-gw01", "lisbon-gw02"]
    assert doc["all"]["children"]["provisioning"]["hosts"] == {"lisbon-prov01": {
        "ansible_host": "10.20.1.30", "ccinfra_tftp_root": "/srv/tftp", "ccinfra_phone_dir": str(build / "phones"),
    }}
    manifest, entries = read_manifest(build)
    digest = next(e.sha256 for e in entries if e.device == "lisbon-as01")
    assert inventory.host_vars["lisbon-as01"] == {
        "ccinfra_role": "switch", "ccinfra_config": str(build / "switches" / "lisbon-as01.cfg"),
        "ccinfra_config_sha256": digest,
    }
    assert inventory.warnings == []


def test_ansible_inventory_parses_the_generated_inventory(plan, tmp_path):
    build = tmp_path / "build"
    render_build(plan, build)
    folder = write_inventory_dir(plan_inventory(plan, build), tmp_path / "inventory")
    out = subprocess.run([str(ANSIBLE_INVENTORY), "-i", str(folder / "hosts.yml"), "--list"],
                         capture_output=True, text=True, timeout=120, check=True)
    data = json.loads(out.stdout)
    assert sorted(data["switches"]["hosts"]) == ["lisbon-as01", "lisbon-as02", "lisbon-as03", "lisbon-as04"]
    assert data["provisioning"]["hosts"] == ["lisbon-prov01"]
    hostvars = data["_meta"]["hostvars"]["lisbon-gw02"]
    assert hostvars["ccinfra_config"] == str(build / "gateways" / "lisbon-gw02.cfg")
    assert hostvars["ccinfra_site"] == "lisbon"  # group_vars/network.yml is read
    assert hostvars["ccinfra_role"] == "gateway"  # host_vars/lisbon-gw02.yml is read
    assert hostvars["ansible_network_os"] == "cisco.ios.ios"
    # A lab-style inventory (ports on 127.0.0.1, known_hosts) written by the same code parses too.
    lab = tmp_path / "lab.yml"
    lab.write_text(inventory_yaml([InventoryHost("lab-as01", "switches", "127.0.0.1", 40001, "/b/s.cfg")],
                                  known_hosts_path="/tmp/known_hosts"))
    out = subprocess.run([str(ANSIBLE_INVENTORY), "-i", str(lab), "--list"],
                         capture_output=True, text=True, timeout=120, check=True)
    lab_vars = json.loads(out.stdout)["_meta"]["hostvars"]["lab-as01"]
    assert (lab_vars["ansible_port"], lab_vars["ccinfra_known_hosts"]) == (40001, "/tmp/known_hosts")


def test_credentials_come_from_the_environment_else_from_the_vault(tmp_path):
    # inventories/example as written by `ccinfra inventory`, plus its lab-only ansible-vault file
    # (vault_ccinfra_username "lab"); ansible itself evaluates the lookups.
    folder = shutil.copytree(ROOT / "inventories" / "example", tmp_path / "inv")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "CCINFRA_"))}
    env.update(HOME=str(tmp_path), ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"))
    argv = [str(ANSIBLE), "lisbon-as01", "-i", str(folder / "hosts.yml"), "-m", "ansible.builtin.debug",
            "-a", "var=ansible_user", "--vault-password-file", str(folder / "vault-password.lab-only.txt"),
            "-e", "ansible_connection=ansible.builtin.local"]  # debug runs on the controller: no SSH at all

    def user(**extra: str) -> str:
        done = subprocess.run(argv, env={**env, **extra}, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        return re.search(r"ansible_user: (\S+)", done.stdout)[1]

    assert user(CCINFRA_USERNAME="ops-from-env") == "ops-from-env"
    assert user() == "lab"  # the vault's
    assert user(CCINFRA_USERNAME="") == "lab"  # empty counts as unset


def test_no_secret_in_any_inventory_file(plan, tmp_path):
    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                yield key, value
                yield from walk(value)

    for name, text in plan_inventory(plan, tmp_path / "build").texts().items():
        if name.endswith(".yml"):
            for key, value in walk(yaml.safe_load(text)):
                if any(word in key for word in ("password", "secret", "user", "community", "key")):
                    assert "lookup('ansible.builtin.env'" in value, f"{name}: {key}: {value}"


def test_inventory_refuses_a_build_of_another_plan(plan, tmp_path):
    other = load_source(str(ROOT / "examples" / "site.yaml"))
    other.network.switches[0].management_ip = "10.20.99.200"
    render_build(other, tmp_path / "build")
    with pytest.raises(RenderError, match="was rendered from another plan"):
        plan_inventory(plan, tmp_path / "build")


def test_without_a_build_the_paths_are_where_render_writes_with_a_warning(plan, tmp_path):
    inventory = plan_inventory(plan, tmp_path / "nowhere")
    assert inventory.host_vars["lisbon-gw01"]["ccinfra_config"] == str(tmp_path / "nowhere" / "gateways" / "lisbon-gw01.cfg")
    assert inventory.warnings and "no manifest.json yet" in inventory.warnings[0]


# A lab inventory (``ccinfra lab up --inventory-out``, ``LabFleet.write_inventory``), written out in full.
LAB_INVENTORY = """\
# Ansible inventory written by ccinfra; regenerate it rather than editing it.
all:
  vars:
    ccinfra_known_hosts: /abs/path/known_hosts
  children:
    network:
      vars:
        ansible_connection: ansible.netcommon.network_cli
        ansible_network_os: cisco.ios.ios
        ansible_user: "{{ lookup('ansible.builtin.env', 'CCINFRA_USERNAME') | default(vault_ccinfra_username | default(''), true) }}"
        ansible_password: "{{ lookup('ansible.builtin.env', 'CCINFRA_PASSWORD') | default(vault_ccinfra_password | default(''), true) }}"
        ansible_become: true
        ansible_become_method: enable
        ansible_become_password: "{{ lookup('ansible.builtin.env', 'CCINFRA_SECRET') | default(vault_ccinfra_secret | default(''), true) }}"
        ansible_connect_timeout: 300
        ansible_command_timeout: 60
      children:
        switches:
          hosts:
            cc-as01:
              ansible_host: 127.0.0.1
              ansible_port: 40001
              ccinfra_platform: cisco_ios
              ccinfra_config: /abs/build/switches/cc-as01.cfg
        gateways:
          hosts: {}
    provisioning:
      hosts: {}
"""


def test_lab_inventory_text():
    rows = [("cc-as01", "switches", "127.0.0.1", 40001, "/abs/build/switches/cc-as01.cfg")]
    assert inventory_yaml(rows, "/abs/path/known_hosts") == LAB_INVENTORY


def test_inventory_quotes_what_yaml_would_misread_and_round_trips():
    rows = [
        InventoryHost("cc-gw01", "gateways", "127.0.0.1", 40002, "/builds/site a/gw: 1.cfg"),
        InventoryHost("yes", "switches", "127.0.0.1", 40003, None),
        InventoryHost("1e3", "switches", "127.0.0.1", 40004, None),
    ]
    doc = yaml.safe_load(inventory_yaml(rows))
    groups = doc["all"]["children"]["network"]["children"]
    assert groups["gateways"]["hosts"]["cc-gw01"] == {
        "ansible_host": "127.0.0.1", "ansible_port": 40002, "ccinfra_platform": "cisco_ios",
        "ccinfra_config": "/builds/site a/gw: 1.cfg",
    }
    assert sorted(groups["switches"]["hosts"]) == ["1e3", "yes"]  # strings, not True and 1000.0
    assert doc["all"]["children"]["network"]["vars"]["ansible_become"] is True


def test_manifest_errors_name_the_file(tmp_path):
    with pytest.raises(ManifestError, match="manifest.json: no such file; run 'ccinfra render"):
        read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text('{"devices": [{"device": "x"}]}')
    with pytest.raises(ManifestError, match=r"not a ccinfra build manifest: devices\[0\].role is missing"):
        read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text('{"devices": [{"device": "a\\nb", "role": "switch", '
                                            '"platform": "cisco_ios", "path": "switches/a.cfg"}]}')
    with pytest.raises(ManifestError, match=r"devices\[0\].device"):
        read_manifest(tmp_path)


def test_bad_hosts_are_refused():
    with pytest.raises(SpecError, match="inventory host 'sw1\\\\nx'"):
        inventory_yaml([InventoryHost("sw1\nx", "switches", "127.0.0.1", 22)])
    with pytest.raises(SpecError, match="port 70000 is not 1-65535"):
        inventory_yaml([InventoryHost("sw1", "switches", "127.0.0.1", 70000)])
    with pytest.raises(SpecError, match="inventory host 'sw1'"):
        inventory_yaml([InventoryHost("sw1", "switches", "10.0.0.1\nx", 22)])
    with pytest.raises(SpecError, match="inventory host 'bad name'"):
        inventory_yaml([InventoryHost("bad name", "switches", "127.0.0.1", 22)])
    with pytest.raises(SpecError, match="port 0 is not 1-65535"):
        inventory_yaml([InventoryHost("sw1", "switches", "127.0.0.1", 0)])


def test_write_refuses_a_folder_it_did_not_write(plan, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep")
    with pytest.raises(SpecError, match="not an inventory written by ccinfra"):
        write_inventory_dir(plan_inventory(plan, tmp_path / "b"), folder)
    write_inventory_dir(plan_inventory(plan, tmp_path / "b"), tmp_path / "inv")
    write_inventory_dir(plan_inventory(plan, tmp_path / "b"), tmp_path / "inv")  # its own: replaced
    assert (tmp_path / "inv" / "hosts.yml").is_file()


def test_regenerating_keeps_vault_files_and_vault_passwords(plan, tmp_path):
    folder = write_inventory_dir(plan_inventory(plan, tmp_path / "b"), tmp_path / "inv")
    (folder / "group_vars" / "all").mkdir()
    vault = folder / "group_vars" / "all" / "vault.yml"
    vault.write_text("$ANSIBLE_VAULT;1.1;AES256\n6131\n")
    vault.chmod(0o600)
    (folder / "vault-password.lab-only.txt").write_text("not-a-real-one\n")
    (folder / "host_vars" / "lisbon-as01.yml").write_text(HEADER + "stale: true\n")  # generated: replaced
    (folder / "notes.txt").write_text("a person's notes\n")

    # A file ccinfra did not write would be lost: the folder is refused and left as it was (issue 13).
    with pytest.raises(SpecError, match="notes.txt was not written by ccinfra"):
        write_inventory_dir(plan_inventory(plan, tmp_path / "b"), folder)
    assert (folder / "notes.txt").read_text() == "a person's notes\n"
    (folder / "notes.txt").unlink()

    write_inventory_dir(plan_inventory(plan, tmp_path / "b"), folder)

    assert vault.read_text() == "$ANSIBLE_VAULT;1.1;AES256\n6131\n"
    assert oct(vault.stat().st_mode & 0o777) == "0o600"
    assert (folder / "vault-password.lab-only.txt").read_text() == "not-a-real-one\n"
    assert "stale" not in (folder / "host_vars" / "lisbon-as01.yml").read_text()


def test_cli_inventory(example_site, tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["render", str(example_site), "-o", str(tmp_path / "build")]).exit_code == 0
    result = runner.invoke(cli, ["inventory", str(example_site), "-o", str(tmp_path / "inv"),
                                 "--build", str(tmp_path / "build")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "inv" / "host_vars").iterdir())[:2] == ["lisbon-as01.yml", "lisbon-as02.yml"]
    bad = runner.invoke(cli, ["inventory", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "x")])
    assert bad.exit_code == 1 and len(bad.output.strip().splitlines()) == 1


def test_the_example_inventory_in_the_repository_is_current(plan):
    """inventories/example/ is `ccinfra inventory examples/site.yaml -o inventories/example --build /srv/ccinfra/build`."""
    example = ROOT / "inventories" / "example"
    texts = plan_inventory(plan, "/srv/ccinfra/build").texts()
    for relative, text in texts.items():
        assert (example / relative).read_text() == text, f"regenerate inventories/example ({relative} differs)"
