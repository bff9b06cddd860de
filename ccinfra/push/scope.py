"""What a push may change: the lines the templates render (the managed scope), never the protected set.

A device carries more than ccinfra renders: local accounts, the enable secret, AAA, SNMP
communities, static routes added by the network team. A full remediation (running → intended)
would remove all of them, and on a switch with ``login local`` that is a lockout. So the push and
``audit drift`` compare only the *managed* part of both configs:

* a top-level line or section of the running config is **managed** when the build renders a
  line with the same *key*: a section by its header (``interface GigabitEthernet1/0/1``,
  ``vlan 10``, ``line vty 0 4``: its children are then all managed), a global line by the words
  that name its setting (``hostname``, ``ip domain name``, ``ntp server``, ``ip route 0.0.0.0
  0.0.0.0``: see ``KEY_WORDS``), any other global line by its whole text;
* everything else is **unmanaged**: left alone by the push, listed as ``unmanaged`` by the audit;
* the **protected** set is never removed, added or altered, in any mode, even when a build
  renders it: ``PROTECTED`` (top-level lines) and ``PROTECTED_CHILDREN`` (inside a managed
  section: the login and AAA lines of ``line con``/``line vty``, SIP trunk credentials, routing
  and HSRP keys).

``replace=True`` (``ccinfra push --replace``) manages every line that is not protected, like
NAPALM's ``replace_config`` minus the protected set, except static routes to prefixes the build
does not route (``KEPT_BY_REPLACE``): those are how the operators reach the device.

>>> running = "hostname sw1\\nusername ops secret 9 $9$x\\nip route 10.9.0.0 255.255.0.0 10.0.0.9\\nvlan 10\\n name OLD\\n"
>>> intended = "hostname sw1\\nvlan 10\\n name DATA\\n"
>>> remediation_lines(running, intended)
['vlan 10', '  name DATA', '  exit']
>>> remediation_lines(running, intended, replace=True)
['vlan 10', '  name DATA', '  exit']
>>> drift(running, intended)
(['vlan 10', '  name DATA'], ['vlan 10', '  name OLD'], ['username ops secret 9 $9$x', 'ip route 10.9.0.0 255.255.0.0 10.0.0.9'])
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from hier_config import HConfig, Platform, WorkflowRemediation, get_hconfig

from ccinfra.push.compare import hconfig, owned, to_send
from ccinfra.push.outline import Node, outline

# Issue 11's protected set: never removed or altered by any mode.
PROTECTED = re.compile(
    r"^(?:no )?(?:username |enable (?:secret|password|algorithm-type)\b|aaa |tacacs(?:-server)? |radius(?:-server)? "
    r"|ip (?:tacacs|radius) |snmp-server (?:community|user|group) |crypto |ip ssh pubkey-chain\b|key chain "
    r"|license |boot(?: |-start-marker|-end-marker|$))",
    re.IGNORECASE,
)
# Children of a managed section that are secrets or access provisioned out of band: the password and
# AAA method lists of ``line con 0`` / ``line vty …``, the SIP trunk credentials of ``sip-ua`` and
# ``voice class tenant`` (the gateway templates say so), PPP, OSPF and HSRP keys of an interface.
PROTECTED_CHILDREN = re.compile(
    r"^(?:no )?(?:password|login authentication|authorization|accounting|credentials|authentication username"
    r"|ppp (?:chap|pap)|ip ospf (?:authentication-key|message-digest-key)|standby \d+ authentication)\b"
)

# Lines --replace leaves alone unless the build renders their key (issue 11: out-of-band static routes
# survive push, re-push and --replace).
KEPT_BY_REPLACE = re.compile(r"^(?:no )?(?:ip|ipv6) route ", re.IGNORECASE)

# Global lines keyed by the words that name the setting; the words after them are its value, so a
# rendered ``ntp server 10.0.0.1`` also manages (and removes) a running ``ntp server 10.0.0.9``.
KEY_WORDS: dict[tuple[str, ...], int] = {
    ("hostname",): 1,
    ("banner",): 2,
    ("ip", "domain", "name"): 3,
    ("ip", "domain-name"): 2,
    ("ip", "default-gateway"): 2,
    ("ip", "name-server"): 2,
    ("ip", "route"): 4,  # ip route PREFIX MASK: one route per destination
    ("ip", "route", "vrf"): 6,
    ("ip", "ssh", "version"): 3,
    ("ip", "ssh", "time-out"): 3,
    ("ip", "dhcp", "snooping", "vlan"): 4,
    ("ntp", "server"): 2,
    ("logging", "host"): 2,
    ("logging", "source-interface"): 2,
    ("logging", "buffered"): 2,
    ("logging", "trap"): 2,
    ("vtp", "mode"): 2,
    ("vtp", "domain"): 2,
    ("spanning-tree", "mode"): 2,
    ("clock", "timezone"): 2,
    ("snmp-server", "location"): 2,
    ("snmp-server", "contact"): 2,
    ("isdn", "switch-type"): 2,
    ("service", "timestamps", "log"): 3,
    ("service", "timestamps", "debug"): 3,
}
_LONGEST = max(len(prefix) for prefix in KEY_WORDS)
# One push reads the intended text's outline three times (its scope, the diff, the verify); a
# string's hash is computed once per object, so the cache costs a dict lookup.
_outline = functools.lru_cache(maxsize=256)(outline)


def line_key(text: str) -> str:
    """The key that says which running lines a rendered top-level line manages.

    >>> line_key("no ip route 0.0.0.0 0.0.0.0 10.0.0.1"), line_key("interface Gi1/0/1"), line_key("hostname a")
    ('ip route 0.0.0.0 0.0.0.0', 'interface Gi1/0/1', 'hostname')
    """
    words = text.split("\n", 1)[0].split()
    if words[:1] == ["no"]:
        words = words[1:]
    for size in range(min(_LONGEST, len(words)), 0, -1):
        count = KEY_WORDS.get(tuple(w.lower() for w in words[:size]))
        if count is not None:
            return " ".join(words[:count])
    return " ".join(words)


def protected(text: str) -> bool:
    """True for a top-level line of the protected set.

    >>> protected("username ops secret 9 $9$x"), protected("aaa new-model"), protected("ip route 0.0.0.0 0.0.0.0 10.0.0.1")
    (True, True, False)
    """
    return PROTECTED.match(text) is not None


@dataclass(frozen=True)
class Scope:
    """The keys a build renders for one device, and whether ``--replace`` widens it to everything."""

    keys: frozenset[str]
    replace: bool = False

    @classmethod
    def of(cls, intended: str, replace: bool = False) -> Scope:
        return cls(frozenset(line_key(text) for text in _top_texts(intended)), replace)

    def manages(self, text: str) -> bool:
        """True when the push may add, change or remove this top-level line (and its children)."""
        if protected(text):
            return False
        if line_key(text) in self.keys:
            return True
        # --replace takes every other line, except a static route to a prefix the build does not route:
        # removing the route the operators reach the switch by is a lockout as sure as a lost account.
        return self.replace and not KEPT_BY_REPLACE.match(text)


def _top_texts(config: str) -> list[str]:
    tree = _outline(config)
    if tree is not None:
        return [node[0] for node in tree[1]]
    return [child.text for child in hconfig(config).children]


def _scoped_outline(config: str, scope: Scope) -> tuple[Node, ...] | None:
    tree = _outline(config)
    if tree is None:
        return None
    kept = []
    for text, children in tree[1]:
        if scope.manages(text):
            kept.append((text, tuple(c for c in children if not PROTECTED_CHILDREN.match(c[0]))))
    return tuple(sorted(kept))


def scoped_tree(config: str, scope: Scope) -> HConfig:
    """``config`` parsed by hier-config with the lines outside ``scope`` taken out."""
    tree = hconfig(config)
    for child in list(tree.children):
        if not scope.manages(child.text):
            tree.children.delete(child)
        else:
            for grandchild in list(child.children):
                if PROTECTED_CHILDREN.match(grandchild.text):
                    child.children.delete(grandchild)
    return tree


def scoped_remediation(running: str, target: str, scope: Scope) -> HConfig:
    """hier-config's remediation from ``running`` to ``target``, both cut down to ``scope``."""
    mine = _scoped_outline(running, scope)
    if mine is not None and mine == _scoped_outline(target, scope):
        return get_hconfig(Platform.CISCO_IOS, "")  # same managed lines: no need to build two trees
    return WorkflowRemediation(scoped_tree(running, scope), scoped_tree(target, scope)).remediation_config


def remediation(running: str, intended: str, replace: bool = False) -> HConfig:
    """What a push sends: running → intended within the scope the build renders (all but protected with ``replace``).

    Lines the device wrote by itself (``ccinfra.push.device_lines``) are left out of ``running``.
    """
    return scoped_remediation(owned(running, intended), intended, Scope.of(intended, replace))


def remediation_lines(running: str, intended: str, replace: bool = False) -> list[str]:
    """``remediation`` as the lines to type; ``[]`` when the managed lines already agree."""
    return to_send(remediation(running, intended, replace))


def rollback_lines(running: str, backup: str, intended: str, replace: bool = False) -> list[str]:
    """The lines that bring the managed part of ``running`` back to ``backup`` (the push's own scope)."""
    return to_send(scoped_remediation(owned(running, intended), owned(backup, intended), Scope.of(intended, replace)))


def converged(running: str, backup: str, intended: str, replace: bool = False) -> bool:
    """True when ``running`` and ``backup`` agree on every line the push (with this scope) may touch."""
    scope = Scope.of(intended, replace)
    running, backup = owned(running, intended), owned(backup, intended)
    return len(scoped_remediation(running, backup, scope)) == 0 and len(scoped_remediation(backup, running, scope)) == 0


def _dump(children: list[HConfig]) -> list[str]:
    holder = get_hconfig(Platform.CISCO_IOS, "")
    for child in children:
        holder.add_deep_copy_of(child)
    return list(holder.dump_simple())


def drift(running: str, intended: str) -> tuple[list[str], list[str], list[str]]:
    """(missing, extra, unmanaged): intended lines not running and running lines not intended, both
    within the managed scope; then the running lines outside it (protected ones included).

    Each list keeps the parent line of a child (indented two spaces per level).
    """
    scope = Scope.of(intended)
    running = owned(running, intended)  # device-generated lines are neither drift nor worth listing
    mine = _scoped_outline(running, scope)
    unmanaged = unmanaged_lines(running, intended)
    if mine is not None and mine == _scoped_outline(intended, scope):
        return [], [], unmanaged
    run, want = scoped_tree(running, scope), scoped_tree(intended, scope)
    return list(want.difference(run).dump_simple()), list(run.difference(want).dump_simple()), unmanaged


def unmanaged_lines(config: str, intended: str, replace: bool = False) -> list[str]:
    """The top-level lines of ``config`` (with their children) outside the scope ``intended`` renders.

    >>> unmanaged_lines("hostname a\\nusername u secret 9 $9$x\\nvlan 5\\n name V\\n", "hostname a\\n")
    ['username u secret 9 $9$x', 'vlan 5', '  name V']
    """
    scope = Scope.of(intended, replace)
    return _dump([child for child in hconfig(config).children if not scope.manages(child.text)])


REPLACE_NOTE = ("replace: lines the build does not render are removed, except the protected set and static routes "
                "to prefixes it does not route")


def mode_notes(identity_note: str, replace: bool) -> list[str]:
    """What a result says about how it was pushed (``--adopt``, ``--replace``).

    >>> mode_notes("", True)
    ['replace: lines the build does not render are removed, except the protected set and static routes to prefixes it does not route']
    """
    return [note for note in (identity_note, REPLACE_NOTE if replace else "") if note]
