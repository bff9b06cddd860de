"""Ansible inventory: one writer for ``ccinfra inventory`` (from a Plan) and for the lab's twins.

Shape (``hosts.yml``)::

    all:
      vars: {}                      # lab inventories add ccinfra_known_hosts: /abs/path
      children:
        network:
          vars: {ansible_connection: ansible.netcommon.network_cli, ansible_network_os: cisco.ios.ios, ...}
          children:
            switches: {hosts: {lisbon-as01: {ansible_host: 10.20.99.11, ccinfra_platform: cisco_ios,
                                             ccinfra_config: /abs/build/switches/lisbon-as01.cfg}}}
            gateways: {hosts: {...}}
        provisioning:
          hosts: {lisbon-prov01: {ansible_host: 10.20.1.30, ccinfra_tftp_root: /srv/tftp,
                                  ccinfra_phone_dir: /abs/build/phones}}
        asterisk:                   # only with telephony.gateway_platform: asterisk
          hosts: {lisbon-gw01: {ansible_host: 10.20.99.5, ccinfra_platform: asterisk,
                                ccinfra_config: /abs/build/gateways/lisbon-gw01.pjsip.conf}}

An Asterisk SIP gateway is no IOS device: its ``pjsip.conf`` is installed on the host by hand or by
the host's own tooling. Its group sits outside ``network``, so ``push_network.yml`` (``hosts:
switches:gateways``), ``ccinfra push`` (which keeps platform ``cisco_ios``) and the lab skip it.

Credentials never appear: ``ansible_user``/``ansible_password``/``ansible_become_password`` look up
``CCINFRA_USERNAME``/``CCINFRA_PASSWORD``/``CCINFRA_SECRET`` in the environment at run time and,
when one is unset or empty, fall back to ``vault_ccinfra_username``/``vault_ccinfra_password``/
``vault_ccinfra_secret`` (an ansible-vault file such as ``group_vars/all/vault.yml``, which
regenerating an inventory folder keeps, as it keeps ``vault-password*.txt``).

>>> text = inventory_yaml([InventoryHost("cc-as01", "switches", "127.0.0.1", 40001, "/b/switches/cc-as01.cfg")])
>>> import yaml; doc = yaml.safe_load(text)
>>> doc["all"]["children"]["network"]["children"]["switches"]["hosts"]["cc-as01"]["ansible_port"]
40001
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml

from ccinfra.errors import RenderError, SpecError
from ccinfra.fsio import real_output_dir, write_text_atomic, write_tree_atomic, written_by_ccinfra
from ccinfra.manifest import read_manifest
from ccinfra.validation import safe_name

if TYPE_CHECKING:  # the lab writes inventories too and should not import the renderer for it
    from ccinfra.plan import Plan

NETWORK_GROUPS = ("switches", "gateways")
PROVISIONING = "provisioning"
# Asterisk SIP gateways (telephony.gateway_platform: asterisk) are not IOS devices: they sit in their
# own group outside `network`, so push_network.yml (hosts: switches:gateways) and `ccinfra push` skip them.
ASTERISK = "asterisk"
ROLE_GROUPS = {"switch": "switches", "gateway": "gateways"}


def credential_lookup(env_var: str, vault_var: str) -> str:
    """A Jinja expression: the environment variable, else (unset or empty) the vault variable, else "".

    >>> credential_lookup("CCINFRA_SECRET", "vault_ccinfra_secret")
    "{{ lookup('ansible.builtin.env', 'CCINFRA_SECRET') | default(vault_ccinfra_secret | default(''), true) }}"
    """
    # default(..., true) also replaces the empty string the env lookup returns for an unset variable.
    return f"{{{{ lookup('ansible.builtin.env', '{env_var}') | default({vault_var} | default(''), true) }}}}"


NETWORK_VARS: dict[str, Any] = {
    "ansible_connection": "ansible.netcommon.network_cli",
    "ansible_network_os": "cisco.ios.ios",
    "ansible_user": credential_lookup("CCINFRA_USERNAME", "vault_ccinfra_username"),
    "ansible_password": credential_lookup("CCINFRA_PASSWORD", "vault_ccinfra_password"),
    "ansible_become": True,
    "ansible_become_method": "enable",
    "ansible_become_password": credential_lookup("CCINFRA_SECRET", "vault_ccinfra_secret"),
    # How long a device session may stay idle between two tasks of its host (network_cli's
    # "connect" timeout; ansible.cfg explains): with many forks the default 30 s closed sessions
    # just as their next task started. Set here too so that it holds from any folder.
    "ansible_connect_timeout": 300,
    # How long one command may take (`copy running-config startup-config` on a big stack).
    "ansible_command_timeout": 60,
}
# Files a person adds to a generated inventory folder that regenerating it must keep (secrets that
# ccinfra never writes itself): ansible-vault files and vault password files.
KEPT_FILES = ("group_vars/*/vault.yml", "host_vars/*/vault.yml", "vault-password*.txt")
# Where the provisioning host serves phone files from (the playbook creates it).
PHONE_ROOTS = {"tftp": "/srv/tftp", "http": "/srv/http/phones"}
HEADER = "# Ansible inventory written by ccinfra; regenerate it rather than editing it.\n"


_README = """\
# Ansible inventory written by `ccinfra inventory`

Regenerate it instead of editing it: `ccinfra inventory SITE.yaml|plan.json -o DIR --build BUILD/`.

| file | holds |
|---|---|
| `hosts.yml` | groups `network` (`switches`, `gateways`: SSH with `ansible.netcommon.network_cli`, `cisco.ios.ios`) and `provisioning` (the TFTP/HTTP server the IP phones pull their files from); each host's `ansible_host`, `ccinfra_platform` and `ccinfra_config` (its rendered file, absolute path) |
| `group_vars/network.yml` | the site name and the build folder the configs come from |
| `host_vars/<host>.yml` | the host's role, rendered file and that file's SHA-256 from the build's `manifest.json` |

No credential is written here: `ansible_user`, `ansible_password` and `ansible_become_password` are
looked up at run time from the environment variables `CCINFRA_USERNAME`, `CCINFRA_PASSWORD` and
`CCINFRA_SECRET`; when one is unset they fall back to the ansible-vault variables
`vault_ccinfra_username`, `vault_ccinfra_password` and `vault_ccinfra_secret`, for instance in an
encrypted `group_vars/all/vault.yml`. Regenerating the folder keeps `group_vars/*/vault.yml`,
`host_vars/*/vault.yml` and `vault-password*.txt` files.

    ansible-inventory -i hosts.yml --graph
    ansible-playbook -i hosts.yml playbooks/push_network.yml --check --diff
    ansible-playbook -i hosts.yml playbooks/provision_phones.yml
"""


class InventoryHost(NamedTuple):
    """One host: network devices carry their rendered file (``config_path``, absolute) and platform."""

    name: str
    group: str  # switches | gateways | provisioning
    host: str
    port: int | None = None
    config_path: str | None = None
    platform: str | None = "cisco_ios"
    extra: tuple[tuple[str, Any], ...] = ()


def group_for_role(role: str) -> str:
    """Inventory group of a device role.

    >>> group_for_role("switch")
    'switches'
    """
    try:
        return ROLE_GROUPS[role]
    except KeyError:
        raise SpecError(f"role {role!r} has no SSH inventory group; expected one of {', '.join(ROLE_GROUPS)}") from None


def _host_vars(h: InventoryHost) -> dict[str, Any]:
    try:
        safe_name(h.name)
        IPv4Address(h.host)
    except ValueError as err:
        raise SpecError(f"inventory host {h.name!r}: {err}") from None
    if h.port is not None and (not isinstance(h.port, int) or not 0 < h.port < 65536):
        raise SpecError(f"inventory host {h.name}: port {h.port!r} is not 1-65535")
    found: dict[str, Any] = {"ansible_host": h.host}
    if h.port is not None:
        found["ansible_port"] = h.port
    if h.platform is not None and h.group != PROVISIONING:
        found["ccinfra_platform"] = h.platform
    if h.config_path is not None:
        found["ccinfra_config"] = str(h.config_path)
    found.update(dict(h.extra))
    return found


def inventory_document(hosts: Iterable[InventoryHost], all_vars: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The inventory as data: groups ``network`` (``switches``, ``gateways``), ``provisioning`` and,
    when there are Asterisk gateways, ``asterisk`` (outside ``network``: no network_cli, nothing pushed)."""
    groups: dict[str, dict[str, Any]] = {name: {} for name in NETWORK_GROUPS}
    outside: dict[str, dict[str, Any]] = {PROVISIONING: {}, ASTERISK: {}}
    for h in hosts:
        if h.group not in outside and h.group not in NETWORK_GROUPS:
            safe_name(h.group)
        (outside[h.group] if h.group in outside else groups.setdefault(h.group, {}))[h.name] = _host_vars(h)
    children: dict[str, Any] = {
        "network": {"vars": dict(NETWORK_VARS), "children": {g: {"hosts": m} for g, m in groups.items()}},
        PROVISIONING: {"hosts": outside[PROVISIONING]},
    }
    if outside[ASTERISK]:
        children[ASTERISK] = {"hosts": outside[ASTERISK]}
    return {"all": {"vars": dict(all_vars or {}), "children": children}}


class _Dumper(yaml.SafeDumper):
    """Block style; Jinja expressions double-quoted as in Ansible's documentation."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if "{{" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=1000, allow_unicode=True)


def inventory_yaml(hosts: Iterable[Sequence[Any]], known_hosts_path: str | os.PathLike[str] | None = None,
                   all_vars: Mapping[str, Any] | None = None) -> str:
    """The ``hosts.yml`` text for rows (name, group, host[, port, config_path, platform, extra])."""
    extra = dict(all_vars or {})
    if known_hosts_path is not None:
        extra["ccinfra_known_hosts"] = str(known_hosts_path)
    return HEADER + to_yaml(inventory_document((InventoryHost(*row) for row in hosts), extra))


def write_inventory(path: str | os.PathLike[str], hosts: Iterable[Sequence[Any]],
                    known_hosts_path: str | os.PathLike[str] | None = None) -> Path:
    """Write :func:`inventory_yaml` to one file, atomically (what the lab needs)."""
    return write_text_atomic(path, inventory_yaml(hosts, known_hosts_path))


@dataclass
class InventoryFiles:
    """An inventory folder: ``hosts.yml``, ``group_vars/<group>.yml``, ``host_vars/<host>.yml``."""

    hosts: list[InventoryHost]
    group_vars: dict[str, dict[str, Any]] = field(default_factory=dict)
    host_vars: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def texts(self) -> dict[str, str]:
        """Relative path → file text (a README.md explains the folder)."""
        found = {"README.md": _README, "hosts.yml": inventory_yaml(self.hosts)}
        found.update({f"group_vars/{g}.yml": HEADER + to_yaml(v) for g, v in self.group_vars.items()})
        found.update({f"host_vars/{h}.yml": HEADER + to_yaml(v) for h, v in self.host_vars.items()})
        return found


def plan_inventory(plan: Plan, build_dir: str | os.PathLike[str] = "build") -> InventoryFiles:
    """The inventory of a Plan's switches, gateways and provisioning server, pointing at ``build_dir``.

    When ``build_dir/manifest.json`` exists it must come from the same plan; its paths and digests are
    used. Otherwise the paths ``ccinfra render`` would write are used, with a warning.
    """
    from ccinfra.render.context import plan_spec
    from ccinfra.render.jobs import PHONE_DIR, gateway_path, switch_path
    from ccinfra.render.source import plan_sha256

    build = Path(build_dir).absolute()
    warnings: list[str] = []
    digests: dict[str, str | None] = {}
    paths = {s.name: switch_path(s.name) for s in plan.network.switches} | {g.name: gateway_path(g.name, g.platform)
                                                                           for g in plan.gateways}
    if (build / "manifest.json").is_file():
        manifest, entries = read_manifest(build)
        if manifest.get("plan_sha256") != plan_sha256(plan):
            raise RenderError(f"{build}/manifest.json was rendered from another plan; run "
                              f"'ccinfra render SITE -o {build}' again, then the inventory")
        paths.update({e.device: e.path for e in entries if e.role in ROLE_GROUPS})
        digests = {e.device: e.sha256 for e in entries}
    else:
        warnings.append(f"{build} has no manifest.json yet: ccinfra_config points where 'ccinfra render' writes")
    hosts = [InventoryHost(s.name, "switches", s.management_ip, None, str(build / paths[s.name]))
             for s in plan.network.switches]
    hosts += [InventoryHost(g.name, "gateways" if g.platform == "cisco_ios" else ASTERISK, g.management_ip, None,
                            str(build / paths[g.name]), g.platform) for g in plan.gateways]
    phones = plan_spec(plan).phones
    prov = (("ccinfra_tftp_root", PHONE_ROOTS[phones.provisioning_protocol]),
            ("ccinfra_phone_dir", str(build / PHONE_DIR)))
    hosts.append(InventoryHost(f"{plan.site}-prov01", PROVISIONING, str(phones.provisioning_server), None, None,
                               None, prov))
    host_vars = {}
    for h in hosts:
        entry: dict[str, Any] = {"ccinfra_role": {"switches": "switch", "gateways": "gateway",
                                                  ASTERISK: "gateway"}.get(h.group, h.group)}
        if h.config_path:
            entry["ccinfra_config"] = h.config_path
            if digests.get(h.name):
                entry["ccinfra_config_sha256"] = digests[h.name]
        host_vars[h.name] = entry
    group_vars = {"network": {"ccinfra_site": plan.site, "ccinfra_build": str(build)}}
    return InventoryFiles(hosts, group_vars, host_vars, warnings)


def _ensure_replaceable(target: Path) -> None:
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not _is_ours(target / "hosts.yml"))):
        raise SpecError(f"-o {target}: exists and is not an inventory written by ccinfra; give a new or empty folder")
    kept = set(kept_files(target)) if target.is_dir() else set()
    for path in sorted(target.rglob("*")) if target.is_dir() else []:
        if (path.is_file() or path.is_symlink()) and path.relative_to(target) not in kept \
                and (path.is_symlink() or not written_by_ccinfra(path)):
            raise SpecError(f"-o {target}: {path.relative_to(target)} was not written by ccinfra and would be lost; "
                            "move it away or give a new folder")


def _is_ours(hosts_file: Path) -> bool:
    try:
        return hosts_file.read_text(encoding="utf-8").startswith(HEADER)
    except OSError:
        return False


def kept_files(directory: Path) -> list[Path]:
    """The files of ``KEPT_FILES`` in an existing inventory folder, relative to it."""
    return sorted({p.relative_to(directory) for pattern in KEPT_FILES for p in directory.glob(pattern) if p.is_file()})


def write_inventory_dir(inventory: InventoryFiles, directory: str | os.PathLike[str]) -> Path:
    """Write the inventory folder atomically (staged next to it, then swapped in).

    Vault files and vault password files already in the folder (``KEPT_FILES``) are carried over
    with their modes: a regenerated inventory must not lose the credentials a person put there.
    """
    target = real_output_dir(directory)
    _ensure_replaceable(target)
    return write_tree_atomic(target, inventory.texts(), kept_files(target) if target.is_dir() else [])
