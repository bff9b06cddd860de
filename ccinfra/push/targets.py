"""Which devices to push: a rendered build (``manifest.json``) joined with an Ansible inventory.

The build says *what* each device should run; the inventory says *where* it is (``ansible_host``,
``ansible_port``). Only switches and gateways on ``cisco_ios`` are pushed over SSH; phones pull
their files from TFTP/HTTP (DESIGN.md, provisioning facts) and are skipped.

>>> import json, pathlib, tempfile
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "switches").mkdir(), (root / "switches" / "sw1.cfg").write_text("hostname sw1\\n")
>>> manifest = {"devices": [{"device": "sw1", "role": "switch", "platform": "cisco_ios",
...     "path": "switches/sw1.cfg", "sha256": file_sha256(root / "switches" / "sw1.cfg")}]}
>>> _ = (root / "manifest.json").write_text(json.dumps(manifest))
>>> inv = {"all": {"children": {"switches": {"hosts": {"sw1": {"ansible_host": "127.0.0.1", "ansible_port": 2222}}}}}}
>>> _ = (root / "inv.yaml").write_text(json.dumps(inv))
>>> [(t.device, t.host, t.port) for t in load_targets(root, root / "inv.yaml")]
[('sw1', '127.0.0.1', 2222)]
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccinfra.errors import SpecError
from ccinfra.fsio import read_input_text
from ccinfra.manifest import ManifestEntry, read_manifest
from ccinfra.safeload import load_yaml_text

# Device names become backup file names: no path separators, no leading dot (RFC 1123-ish).
PUSHED_ROLES = ("switch", "gateway")
PUSHED_PLATFORMS = ("cisco_ios",)
DEFAULT_SSH_PORT = 22


@dataclass(frozen=True)
class Target:
    """One device to push: its name, where it answers, and the intended config file."""

    device: str
    role: str
    platform: str
    host: str
    port: int
    config_path: Path
    replace: bool = False  # --replace: manage every line that is not protected (ccinfra.push.scope)
    adopt: bool = False  # --adopt: accept a factory-default hostname (ccinfra.push.identity)

    def intended_config(self) -> str:
        return self.config_path.read_text(encoding="utf-8")


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _walk_groups(group: dict[str, Any], inherited: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (host, vars) for every host under ``group``, group vars merged in (host vars win)."""
    if not isinstance(group, dict):
        return
    merged = {**inherited, **(group.get("vars") or {})}
    for name, host_vars in (group.get("hosts") or {}).items():
        yield str(name), {**merged, **(host_vars or {})}
    for child in (group.get("children") or {}).values():
        yield from _walk_groups(child, merged)


def read_inventory(path: Path) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Hosts (name → merged vars) and the ``all`` vars of an Ansible YAML inventory."""
    path = Path(path)
    text = read_input_text(path, "write an inventory with `ccinfra inventory` or `ccinfra lab up --inventory-out`")
    data = load_yaml_text(text, f"inventory {path}")
    top = data.get("all") if isinstance(data, dict) else None
    if not isinstance(top, dict):
        raise SpecError(f"inventory {path}: expected a top-level `all:` group")
    hosts: dict[str, dict[str, Any]] = {}
    for name, host_vars in _walk_groups(top, {}):
        hosts.setdefault(name, {}).update(host_vars)
    return hosts, dict(top.get("vars") or {})


def _parse_limit(limit: str | Iterable[str] | None) -> set[str] | None:
    if limit is None:
        return None
    names = limit.split(",") if isinstance(limit, str) else list(limit)
    chosen = {n.strip() for n in names if n.strip()}
    if not chosen:
        raise SpecError("--limit: no device named; give NAME[,NAME] or leave --limit out to push every device")
    return chosen


def _target(entry: ManifestEntry, host_vars: dict[str, Any], inventory: Path) -> Target:
    name = entry.device
    config_path = entry.absolute_path.resolve()
    if not config_path.is_file():
        raise SpecError(f"{config_path} (device {name}) is missing: render the build again")
    if entry.sha256 and file_sha256(config_path) != entry.sha256:
        raise SpecError(f"{config_path} changed after rendering (sha256 differs from manifest.json): "
                        f"render again rather than editing the build by hand")
    host, port = _address(name, host_vars, inventory)
    return Target(name, entry.role, entry.platform, host, port, config_path)


def _address(name: str, host_vars: dict[str, Any], inventory: Path) -> tuple[str, int]:
    host = host_vars.get("ansible_host")
    if not isinstance(host, str) or not host:
        raise SpecError(f"inventory {inventory}: host {name} has no ansible_host")
    try:
        port = int(host_vars.get("ansible_port", DEFAULT_SSH_PORT))
    except (TypeError, ValueError):
        raise SpecError(f"inventory {inventory}: host {name} ansible_port is not a number") from None
    if not 0 < port < 65536:
        raise SpecError(f"inventory {inventory}: host {name} ansible_port {port} is not a TCP port")
    return host, port


def read_only_targets(names: Iterable[str], inventory: Path, role: str = "switch") -> list[Target]:
    """Devices to read (never to configure) by name, with their inventory address.

    A read-only session never opens the intended config, so ``config_path`` is ``os.devnull``.
    """
    inventory = Path(inventory)
    hosts, _ = read_inventory(inventory)
    targets = []
    for name in names:
        if name not in hosts:
            raise SpecError(f"device {name} is in the plan but not in inventory {inventory}: add it there")
        host, port = _address(name, hosts[name], inventory)
        targets.append(Target(name, role, "cisco_ios", host, port, Path(os.devnull)))
    return targets


def skipped_devices(build_dir: Path) -> list[str]:
    """Devices of a build that ``load_targets`` leaves out: phones and platforms other than cisco_ios."""
    return [e.device for e in read_manifest(build_dir)[1] if not _pushed(e)]


def _pushed(entry: ManifestEntry) -> bool:
    return entry.role in PUSHED_ROLES and entry.platform in PUSHED_PLATFORMS


def load_targets(build_dir: Path, inventory: Path, limit: str | Iterable[str] | None = None) -> list[Target]:
    """The switches and gateways of a build that run ``cisco_ios``, with their inventory address.

    ``limit`` is a comma-separated list (or an iterable) of device names; a name that is not in the
    build is an error, so a typo never silently pushes nothing.
    """
    build_dir, inventory = Path(build_dir), Path(inventory)
    _, entries = read_manifest(build_dir)
    hosts, _ = read_inventory(inventory)
    chosen = _parse_limit(limit)
    known = {e.device for e in entries}
    if chosen and chosen - known:
        raise SpecError(f"--limit: {', '.join(sorted(chosen - known))} not in {build_dir}/manifest.json")
    targets = []
    for entry in entries:
        if not _pushed(entry) or (chosen is not None and entry.device not in chosen):
            continue
        if entry.device not in hosts:
            raise SpecError(f"device {entry.device} is in {build_dir}/manifest.json but not in inventory "
                            f"{inventory}: add it there or leave it out with --limit")
        targets.append(_target(entry, hosts[entry.device], inventory))
    return targets


def inventory_known_hosts(inventory: Path) -> Path | None:
    """``all.vars.ccinfra_known_hosts`` of the inventory, if set."""
    _, top_vars = read_inventory(Path(inventory))
    value = top_vars.get("ccinfra_known_hosts")
    return Path(value).expanduser() if isinstance(value, str) and value else None
