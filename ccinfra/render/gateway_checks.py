"""Invariants of a rendered voice gateway config (CUBE or PRI), on its hier-config tree.

* CUBE: ``voice service voip`` has ``mode border-element ...`` and ``allow-connections sip to sip``.
* Every reference resolves: ``voice-class codec N``, ``incoming uri via N``, ``destination dpg N``,
  ``corlist incoming|outgoing NAME``, a dial-peer group's ``dial-peer N`` and a COR list's
  ``member NAME`` each name something defined in the same file.
* PRI: one controller per planned span with the planned ``pri-group timeslots``, and each span's
  D-channel interface carries the planned ``isdn switch-type``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# (reference inside a dial-peer or dpg, the definition it needs)
_REFERENCES = (
    (re.compile(r"voice-class codec (\d+)"), "voice class codec {}"),
    (re.compile(r"incoming uri via (\d+)"), "voice class uri {} sip"),
    (re.compile(r"destination dpg (\d+)"), "voice class dpg {}"),
    (re.compile(r"corlist (?:incoming|outgoing) (\S+)"), "dial-peer cor list {}"),
)
_DIAL_PEER = re.compile(r"dial-peer voice (\d+) (voip|pots)")


def gateway_problems(f: Any, tree: Any, idx: Any, problem: Callable[..., Any]) -> list[Any]:
    """Problems of one gateway file (``f`` a RenderedFile, ``idx`` its LineIndex, ``problem`` the Problem type)."""
    ctx, out = f.context, []

    def bad(section: str, child: str | None, message: str) -> None:
        out.append(problem(f.device, f.path, idx.line(section, child), message))

    tops = {c.text: c for c in tree.children}
    peers = {m.group(1) for text in tops if (m := _DIAL_PEER.fullmatch(text))}
    cor = tops.get("dial-peer cor custom")
    cor_names = {c.text.split(" ", 1)[1] for c in cor.children if c.text.startswith("name ")} if cor else set()
    for text, node in tops.items():
        if text.startswith("dial-peer cor list "):
            for child in node.children:
                if child.text.startswith("member ") and child.text.split(" ", 1)[1] not in cor_names:
                    bad(text, child.text, f"COR list member {child.text.split(' ', 1)[1]} is not a 'dial-peer cor "
                                          "custom' name")
        if not (_DIAL_PEER.fullmatch(text) or text.startswith("voice class dpg ")):
            continue
        for child in node.children:
            for pattern, definition in _REFERENCES:
                if (m := pattern.fullmatch(child.text)) and definition.format(m.group(1)) not in tops:
                    bad(text, child.text, f"'{child.text}' refers to '{definition.format(m.group(1))}', "
                                          "which is not defined")
            if text.startswith("voice class dpg ") and (m := re.fullmatch(r"dial-peer (\d+)", child.text)):
                if m.group(1) not in peers:
                    bad(text, child.text, f"dial-peer group lists dial-peer {m.group(1)}, which is not defined")
    if ctx["role"] == "sip":
        service = tops.get("voice service voip")
        have = {c.text for c in service.children} if service is not None else set()
        for want in ("mode border-element", "allow-connections sip to sip"):
            if not any(h == want or h.startswith(want + " ") for h in have):
                bad("voice service voip", None, f"CUBE lacks '{want}' under 'voice service voip'")
    else:
        out += _pri_problems(f, tops, idx, problem)
    return out


def _pri_problems(f: Any, tops: dict[str, Any], idx: Any, problem: Callable[..., Any]) -> list[Any]:
    ctx, out = f.context, []
    controllers = [t for t in tops if re.fullmatch(r"controller (E1|T1) \S+", t)]
    if len(controllers) != len(ctx["spans"]):
        first = controllers[0] if controllers else ""
        out.append(problem(f.device, f.path, idx.line(first) if first else 0,
                           f"{len(controllers)} PRI controllers, the plan has {len(ctx['spans'])} spans"))
    for span in ctx["spans"]:
        section = f"controller {span['controller']}"
        node = tops.get(section)
        want = f"pri-group timeslots {ctx['timeslots']}"
        if node is None or want not in {c.text for c in node.children}:
            out.append(problem(f.device, f.path, idx.line(section), f"{section} lacks '{want}'"))
        serial = f"interface {span['serial']}"
        node = tops.get(serial)
        want = f"isdn switch-type {ctx['switch_type']}"
        if node is None or want not in {c.text for c in node.children}:
            out.append(problem(f.device, f.path, idx.line(serial), f"{serial} lacks '{want}'"))
    return out
