"""Invariants of a rendered Asterisk ``pjsip.conf`` (the SIP gateway on ``telephony.gateway_platform: asterisk``).

The file must parse as Asterisk config sections: ``[name]`` lines, then ``key=value`` options
(``;`` starts a comment; ``#include``/``#tryinclude`` are directives). Then:

* every section has one ``type=``, and no two sections share both name and type (an endpoint, its
  aor and its identify may share a name, docs.asterisk.org "res_pjsip Configuration Examples");
* every ``aors=`` names an aor, every ``transport=`` a transport, every identify's ``endpoint=``
  an endpoint defined in the same file;
* an identify matches the carrier's address, and no option carries a credential.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_SECTION = re.compile(r"^\[([A-Za-z0-9_.-]+)\]$")
_OPTION = re.compile(r"^([a-z][a-z0-9_]*)\s*=\s*(.*)$")
_DIRECTIVE = re.compile(r"^#(include|tryinclude) \S+$")
_SECRET_KEYS = {"password", "secret", "md5_cred"}
# option → the type of section it must name
_REFERENCES = {"aors": "aor", "transport": "transport", "endpoint": "endpoint"}


@dataclass
class Section:
    name: str
    line: int
    options: list[tuple[str, str, int]] = field(default_factory=list)  # (key, value, line)

    def get(self, key: str) -> str | None:
        return next((v for k, v, _ in self.options if k == key), None)


def parse_pjsip(text: str) -> tuple[list[Section], list[tuple[int, str]]]:
    """Sections of a pjsip.conf and the lines that are not config (line number, what is wrong).

    >>> sections, bad = parse_pjsip("; c\\n[t]\\ntype=transport ; udp\\nbind=0.0.0.0\\nnonsense\\n")
    >>> [(s.name, s.options) for s in sections], bad
    ([('t', [('type', 'transport', 3), ('bind', '0.0.0.0', 4)])], [(5, "not '[section]' or 'key=value': 'nonsense'")])
    """
    sections: list[Section] = []
    bad: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(";", 1)[0].strip()  # ';' starts a comment anywhere on the line
        if not line or _DIRECTIVE.fullmatch(line):
            continue
        if m := _SECTION.fullmatch(line):
            sections.append(Section(m.group(1), number))
        elif m := _OPTION.fullmatch(line):
            if not sections:
                bad.append((number, f"option {m.group(1)!r} before any [section]"))
            else:
                sections[-1].options.append((m.group(1), m.group(2).strip(), number))
        else:
            bad.append((number, f"not '[section]' or 'key=value': {line[:40]!r}"))
    return sections, bad


def pjsip_problems(f: Any, problem: Callable[..., Any]) -> list[Any]:
    """Problems of one pjsip.conf (``f`` a RenderedFile, ``problem`` the Problem type)."""
    sections, bad = parse_pjsip(f.text)
    out = [problem(f.device, f.path, n, message) for n, message in bad]
    defined: dict[str, set[str]] = {}
    for s in sections:
        types = [(v, n) for k, v, n in s.options if k == "type"]
        if len(types) != 1:
            out.append(problem(f.device, f.path, s.line, f"[{s.name}] has {len(types)} 'type=' options, needs one"))
            continue
        if s.name in defined.setdefault(types[0][0], set()):
            out.append(problem(f.device, f.path, s.line, f"[{s.name}] type={types[0][0]} is defined twice"))
        defined[types[0][0]].add(s.name)
    for s in sections:
        for key, value, number in s.options:
            if key in _SECRET_KEYS and value:
                out.append(problem(f.device, f.path, number, f"{key} carries a credential; credentials are "
                                                             "provisioned out of band (pjsip_auth.conf)"))
            wanted = _REFERENCES.get(key)
            if wanted is None or (key == "endpoint" and s.get("type") != "identify"):
                continue
            for name in (n.strip() for n in value.split(",")):
                if name not in defined.get(wanted, set()):
                    out.append(problem(f.device, f.path, number, f"[{s.name}] {key}={name} names no "
                                                                 f"type={wanted} section"))
    carrier = f.context.get("sip_provider")
    matches = {v for s in sections if s.get("type") == "identify" for k, v, _ in s.options if k == "match"}
    if carrier and carrier not in matches:
        out.append(problem(f.device, f.path, 0, f"no type=identify section matches the carrier {carrier}"))
    return out
