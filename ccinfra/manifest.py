"""The build manifest (``build/manifest.json``): written by render, read by the lab, the inventory and the push.

One reader, so every consumer sees the same validated entries and the same one-line errors.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from ccinfra.errors import SpecError
from ccinfra.fsio import read_input_text
from ccinfra.safeload import load_json_text
from ccinfra.validation import safe_name

MANIFEST = "manifest.json"


class ManifestError(SpecError):
    """A build folder without a usable manifest (bad input to lab, inventory, push or audit)."""


class ManifestEntry(NamedTuple):
    """One device of a build's ``manifest.json``."""

    device: str
    role: str
    platform: str
    path: str
    absolute_path: Path
    sha256: str | None = None


def _entry(root: Path, where: Path, index: int, item: Any) -> ManifestEntry:
    if not isinstance(item, dict):
        raise ManifestError(f"{where} is not a ccinfra build manifest: devices[{index}] is not a mapping")
    for key in ("device", "role", "platform", "path"):
        if not isinstance(item.get(key), str) or not item[key]:
            raise ManifestError(f"{where} is not a ccinfra build manifest: devices[{index}].{key} is missing")
    try:
        safe_name(item["device"])
    except ValueError as err:
        raise ManifestError(f"{where}: devices[{index}].device: {err}") from None
    absolute = (root / item["path"]).resolve()
    if not absolute.is_relative_to(root.resolve()):
        raise ManifestError(f"{where}: devices[{index}].path {item['path']!r} points outside {root}")
    return ManifestEntry(item["device"], item["role"], item["platform"], item["path"], root / item["path"],
                         item.get("sha256"))


def read_manifest(build_dir: str | os.PathLike[str]) -> tuple[dict[str, Any], list[ManifestEntry]]:
    """``<build_dir>/manifest.json`` and its devices (paths made absolute and kept inside the build).

    >>> read_manifest("/nonexistent-build")
    Traceback (most recent call last):
    ...
    ccinfra.manifest.ManifestError: /nonexistent-build/manifest.json: no such file; run 'ccinfra render SITE.yaml -o /nonexistent-build' first
    """
    root = Path(build_dir).absolute()
    where = root / MANIFEST
    text = read_input_text(where, f"run 'ccinfra render SITE.yaml -o {root}' first", ManifestError)
    data = load_json_text(text, str(where), ManifestError, "{where} is not JSON ({err}); render the build again")
    devices = data.get("devices") if isinstance(data, dict) else None
    if not isinstance(devices, list):
        raise ManifestError(f"{where} is not a ccinfra build manifest: no \"devices\" list")
    return data, [_entry(root, where, i, item) for i, item in enumerate(devices)]
