"""YAML and JSON loaders for untrusted input: size, nesting depth and node count bounded.

PyYAML's composer and the json module recurse once per nesting level, so a document nested a few
hundred levels deep ends in a RecursionError; YAML aliases can make a small file expand into a
billion values. These loaders refuse both with one line, before the data reaches pydantic.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from ccinfra.errors import SpecError
from ccinfra.limits import MAX_DEPTH, MAX_JSON_BYTES, MAX_YAML_BYTES, MAX_YAML_NODES


class _DepthLimitedLoader(yaml.SafeLoader):
    """SafeLoader whose composer stops at ``MAX_DEPTH`` nested collections instead of recursing on."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D102 - PyYAML hook
        depth = getattr(self, "_ccinfra_depth", 0)
        if depth >= MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise _TooDeep(mark.line + 1)
        self._ccinfra_depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._ccinfra_depth = depth


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _check_size(text: str, where: str, limit: int, name: str, error: type[Exception]) -> None:
    if len(text) > limit:
        raise error(f"{where}: {len(text)} characters is past the limit of {limit} ({name}); "
                    "is this the right file?")


def _check_shape(data: Any, where: str, error: type[Exception], max_nodes: int) -> None:
    """Depth ≤ MAX_DEPTH and at most ``max_nodes`` values with aliases expanded, in time proportional to
    the distinct values: a list used twice (a YAML alias) is measured once and counted twice."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        value, done = stack.pop()
        key = id(value)
        if not isinstance(value, (dict, list)) or key in size:
            continue
        children = [c for c in (value.values() if isinstance(value, dict) else value) if isinstance(c, (dict, list))]
        if not done:
            stack.append((value, True))
            stack.extend((child, False) for child in children if id(child) not in size)
            continue
        size[key] = 1 + len(value) + sum(size[id(c)] - 1 for c in children)
        depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
        if size[key] > max_nodes:
            raise error(f"{where}: more than {max_nodes} values (MAX_YAML_NODES; aliases count each time "
                        "they are used); is this the right file?")
        if depth[key] > MAX_DEPTH:
            raise error(f"{where}: nested deeper than {MAX_DEPTH} levels (MAX_DEPTH); a site or plan "
                        "is a few levels deep")


def load_yaml_text(text: str, where: str, error: type[Exception] = SpecError) -> Any:
    """Parse untrusted YAML (safe tags only) with size, depth and node limits; one line on any failure.

    >>> load_yaml_text("a: [1, 2]", "site.yaml")
    {'a': [1, 2]}
    >>> load_yaml_text("a: " + "[" * 500 + "]" * 500, "site.yaml")
    Traceback (most recent call last):
    ...
    ccinfra.errors.SpecError: site.yaml: nested deeper than 32 levels (MAX_DEPTH) at line 1; a site is a few levels deep
    """
    _check_size(text, where, MAX_YAML_BYTES, "MAX_YAML_BYTES", error)
    try:
        data = yaml.load(text, Loader=_DepthLimitedLoader)  # noqa: S506 - a SafeLoader subclass
    except _TooDeep as err:
        raise error(f"{where}: nested deeper than {MAX_DEPTH} levels (MAX_DEPTH) at line {err.line}; "
                    "a site is a few levels deep") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise error(f"{where}: not valid YAML{at}; check indentation and quoting") from None
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise error(f"{where}: nested too deep (MAX_DEPTH is {MAX_DEPTH})") from None
    _check_shape(data, where, error, MAX_YAML_NODES)
    return data


def load_json_text(text: str, where: str, error: type[Exception] = SpecError,
                   bad: str = "{where}: not readable JSON ({err})") -> Any:
    """Parse untrusted JSON with size and depth limits; one line on any failure.

    >>> load_json_text('{"a": [1]}', "plan.json")
    {'a': [1]}
    >>> load_json_text("[" * 5000 + "]" * 5000, "plan.json")
    Traceback (most recent call last):
    ...
    ccinfra.errors.SpecError: plan.json: nested deeper than 32 levels (MAX_DEPTH); a site or plan is a few levels deep
    """
    _check_size(text, where, MAX_JSON_BYTES, "MAX_JSON_BYTES", error)
    too_deep = f"{where}: nested deeper than {MAX_DEPTH} levels (MAX_DEPTH); a site or plan is a few levels deep"
    try:
        data = json.loads(text)
    except RecursionError:
        raise error(too_deep) from None
    except ValueError as err:
        raise error(bad.format(where=where, err=err)) from None
    # JSON has no aliases: the node count is bounded by the size already, only the depth is left.
    _check_depth(data, too_deep, error)
    return data


def _check_depth(data: Any, message: str, error: type[Exception]) -> None:
    """Depth ≤ MAX_DEPTH, visiting only the lists and mappings (a 40 MB plan in a fraction of a second)."""
    level = [data] if isinstance(data, (dict, list)) else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            raise error(message)
        level = [child for value in level for child in (value.values() if isinstance(value, dict) else value)
                 if isinstance(child, (dict, list))]
