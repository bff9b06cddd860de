"""The Ansible inventory shape shared by ``ccinfra lab``, ``ccinfra inventory`` and ``ccinfra push``.

Credentials never appear in it: ``ansible_user`` / ``ansible_password`` /
``ansible_become_password`` are lookups of ``CCINFRA_USERNAME`` / ``CCINFRA_PASSWORD`` /
``CCINFRA_SECRET`` at run time.

>>> text = inventory_yaml([("cc-as01", "switches", "127.0.0.1", 40001, "/b/switches/cc-as01.cfg")])
>>> import yaml; doc = yaml.safe_load(text)
>>> doc["all"]["children"]["network"]["children"]["switches"]["hosts"]["cc-as01"]["ansible_port"]
40001
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ccinfra.errors import LabError
from ccinfra.fsio import write_text_atomic

# Groups under "network" that always appear (empty when no host), in this order.
NETWORK_GROUPS = ("switches", "gateways")
_ROLE_GROUPS = {"switch": "switches", "gateway": "gateways"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

_NETWORK_VARS = """\
        ansible_connection: ansible.netcommon.network_cli
        ansible_network_os: cisco.ios.ios
        ansible_user: "{{ lookup('ansible.builtin.env', 'CCINFRA_USERNAME') }}"
        ansible_password: "{{ lookup('ansible.builtin.env', 'CCINFRA_PASSWORD') }}"
        ansible_become: true
        ansible_become_method: enable
        ansible_become_password: "{{ lookup('ansible.builtin.env', 'CCINFRA_SECRET') }}"
"""


class InventoryHost(NamedTuple):
    """One SSH-managed device of the inventory (``config_path``: its rendered file, absolute)."""

    name: str
    group: str
    host: str
    port: int
    config_path: str | None = None
    platform: str = "cisco_ios"


class ManifestEntry(NamedTuple):
    """One device of a build's ``manifest.json``."""

    device: str
    role: str
    platform: str
    path: str
    absolute_path: Path


def group_for_role(role: str) -> str:
    """Inventory group of a device role (``switch`` -> ``switches``)."""
    try:
        return _ROLE_GROUPS[role]
    except KeyError:
        raise LabError(f"role {role!r} has no SSH inventory group; expected one of {', '.join(_ROLE_GROUPS)}") from None


def read_manifest(build_dir: str | os.PathLike[str]) -> list[ManifestEntry]:
    """The devices listed in ``<build_dir>/manifest.json``, paths made absolute."""
    root = Path(build_dir).absolute()
    path = root / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        devices = data["devices"]
        return [
            ManifestEntry(d["device"], d["role"], d.get("platform", "cisco_ios"), d["path"], root / d["path"])
            for d in devices
        ]
    except FileNotFoundError:
        raise LabError(f"no manifest.json in {root}: render the site into that folder first") from None
    except (ValueError, KeyError, TypeError) as err:
        raise LabError(f"{path} is not a ccinfra build manifest ({type(err).__name__}: {err})") from None


_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9_./-]+$")
# Plain scalars YAML 1.1 would read as something other than a string.
_YAML_SPECIAL = re.compile(r"^(?:true|false|null|yes|no|on|off|y|n|~|[-+]?[0-9._]+(?:e[-+]?\d+)?|0x[0-9a-f]+)$", re.I)
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


def _scalar(value: Any) -> str:
    """A YAML scalar: plain when unambiguous (names, addresses, paths), else a JSON string."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if _PLAIN_SAFE.match(text) and (_IPV4.match(text) or not _YAML_SPECIAL.match(text)):
        return text
    return json.dumps(text)


def _host_line(host: InventoryHost) -> str:
    fields = {"ansible_host": host.host, "ansible_port": host.port, "ccinfra_platform": host.platform}
    if host.config_path is not None:
        fields["ccinfra_config"] = host.config_path
    inner = ", ".join(f"{key}: {_scalar(value)}" for key, value in fields.items())
    return f"            {_scalar(host.name)}: {{{inner}}}\n"


def inventory_yaml(
    hosts: Iterable[Sequence[Any]], known_hosts_path: str | os.PathLike[str] | None = None
) -> str:
    """The inventory text for (name, group, host, port, config_path[, platform]) rows."""
    rows = [InventoryHost(*row) for row in hosts]
    groups: dict[str, list[InventoryHost]] = {name: [] for name in NETWORK_GROUPS}
    for row in rows:
        if not _NAME.match(row.name) or not _NAME.match(row.group) or not _NAME.match(row.host):
            raise LabError(f"inventory host {row.name!r} (group {row.group!r}, host {row.host!r}) has unsafe characters")
        if not isinstance(row.port, int) or not 0 < row.port < 65536:
            raise LabError(f"inventory host {row.name}: port {row.port!r} is not 1-65535")
        groups.setdefault(row.group, []).append(row)
    out = ["all:\n"]
    if known_hosts_path is not None:
        out.append(f"  vars:\n    ccinfra_known_hosts: {_scalar(str(known_hosts_path))}\n")
    out.append("  children:\n    network:\n      vars:\n" + _NETWORK_VARS + "      children:\n")
    for group, members in groups.items():
        if members:
            out.append(f"        {_scalar(group)}:\n          hosts:\n" + "".join(_host_line(m) for m in members))
        else:
            out.append(f"        {_scalar(group)}:\n          hosts: {{}}\n")
    out.append("    provisioning:\n      hosts: {}\n")
    return "".join(out)


def write_inventory(
    path: str | os.PathLike[str],
    hosts: Iterable[Sequence[Any]],
    known_hosts_path: str | os.PathLike[str] | None = None,
) -> Path:
    """Write :func:`inventory_yaml` to ``path`` atomically."""
    return write_text_atomic(path, inventory_yaml(hosts, known_hosts_path))
