"""The right device: before anything else, the device must say it is the one the build was rendered for.

An inventory with two ports swapped would otherwise give each switch the other's config,
hostname included. The device's name is read twice — from its prompt (what netmiko saw at login,
cut to 16 characters as netmiko's IOS driver keeps it) and from ``hostname`` in the running config
— and both must equal the device name of the build file. A factory-fresh device (``Switch``,
``Router``) has no name yet: it is accepted only when the caller says so (``--adopt``).

>>> check_identity("sw1", "sw1", "hostname sw1\\n", adopt=False)
''
>>> check_identity("sw1", "Switch", "hostname Switch\\n", adopt=True)
"adopted: factory-default hostname 'Switch' accepted (--adopt); the push names it sw1"
>>> try:
...     check_identity("sw1", "sw2", "hostname sw2\\n", adopt=False)
... except IdentityError as err:
...     print(err)
sw1: identity mismatch: the device answering is 'sw2' (prompt 'sw2', running config 'sw2'), not 'sw1'; nothing was changed: check ansible_host/ansible_port of sw1 in the inventory
"""

from __future__ import annotations

import re

from ccinfra.errors import PushError

FACTORY_HOSTNAMES = frozenset({"Switch", "Router"})
PROMPT_CHARS = 16  # netmiko's cisco_ios driver keeps this much of the prompt (IOS abbreviates it)
_HOSTNAME = re.compile(r"^hostname (\S+)\s*$", re.MULTILINE)


class IdentityError(PushError):
    """The device that answered is not the one the build file is for: it was not touched."""


def running_hostname(running: str) -> str:
    """``hostname`` of a running config; ``""`` when the line is missing.

    >>> running_hostname("!\\nhostname cc-as01\\n!\\nend\\n")
    'cc-as01'
    """
    found = _HOSTNAME.search(running)
    return found[1] if found else ""


def _prompt_is(prompt: str, name: str) -> bool:
    return prompt == name[:PROMPT_CHARS] or prompt == name


def check_identity(device: str, prompt: str, running: str, adopt: bool) -> str:
    """``""`` when the device is ``device``; a note when it was adopted; else ``IdentityError``."""
    configured = running_hostname(running)
    if _prompt_is(prompt, device) and configured == device:
        return ""
    factory = prompt in FACTORY_HOSTNAMES and configured in FACTORY_HOSTNAMES | {""}
    if factory and adopt:
        return f"adopted: factory-default hostname {prompt!r} accepted (--adopt); the push names it {device}"
    if factory:
        raise IdentityError(f"{device}: identity mismatch: the device answering has the factory-default hostname "
                            f"{prompt!r}; nothing was changed: pass --adopt to give it {device}'s config")
    seen = configured or prompt
    raise IdentityError(f"{device}: identity mismatch: the device answering is {seen!r} (prompt {prompt!r}, running "
                        f"config {configured or '(no hostname)'!r}), not {device!r}; nothing was changed: check "
                        f"ansible_host/ansible_port of {device} in the inventory")
