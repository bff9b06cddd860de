"""Where a render starts: a site YAML (sized on the fly) or a ``plan.json`` written by ``ccinfra size``.

Both give the same Plan, so both give the same build (a test checks it).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ccinfra.errors import PlanError
from ccinfra.plan import PLAN_SCHEMA, Plan, load_plan

_PLAN_SUFFIXES = (".json",)
_SITE_SUFFIXES = (".yaml", ".yml")


def is_plan_file(path: str | Path) -> bool:
    """A ``.json`` file is a plan, a ``.yaml``/``.yml`` file a site; anything else is told apart by its content.

    >>> is_plan_file("plan.json"), is_plan_file("examples/site.yaml")
    (True, False)
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix in _PLAN_SUFFIXES:
        return True
    if suffix in _SITE_SUFFIXES:
        return False
    try:
        head = file.read_text(encoding="utf-8")[:4096]
    except (OSError, UnicodeDecodeError):
        return False
    return head.lstrip().startswith("{") and PLAN_SCHEMA in head


def load_source(path: str | Path) -> Plan:
    """The Plan for ``path``: read a plan.json as is, or load and size a site YAML.

    >>> from importlib.resources import files
    >>> load_source(str(files("ccinfra.examples") / "site.yaml")).site
    'lisbon'
    """
    if is_plan_file(path):
        return load_plan(path)
    # Imported here so that rendering from a plan.json never needs the sizing code.
    from ccinfra.sizing.site import size_file

    return size_file(str(path))


def plan_sha256(plan: Plan) -> str:
    """SHA-256 of the plan's canonical JSON (sorted keys, no spaces): the build records which plan it came from."""
    try:
        text = json.dumps(plan.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError) as err:  # pragma: no cover - a Plan is JSON by construction
        raise PlanError(f"plan: cannot serialise it ({err})") from None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
