"""IOS Configuration Rollback Confirmed Change, as the push uses it.

The change of each device runs under ``configure terminal revert timer N``: if ccinfra dies, the
laptop lid closes or the VPN drops before ``configure confirm``, the device restores the config it
archived when the timer started (Cisco IOS XE "Configuration Rollback Confirmed Change"; the same
mechanism NAPALM's ios driver uses for ``commit_config(revert_in=...)`` and Ansible cisco.ios for
``commit_confirm_timeout``). The timer needs ``archive`` with a ``path``; without one IOS answers
``%Please turn config archive on``.

Answers parsed here (``show archive config rollback timer``), as IOS prints them::

    %No Rollback Confirmed Change pending

    Time configured(or reconfigured): 22:50:48 UTC Sat Feb 21 2009
    Timer type: absolute timer
    Timer value: 2 min
    User: console

>>> pending_timer("%No Rollback Confirmed Change pending") is None
True
>>> pending_timer("Time configured(or reconfigured): 22:50:48 UTC Sat Feb 21 2009\\n"
...               "Timer type: absolute timer\\nTimer value: 2 min\\nUser: console\\n")["user"]
'console'
"""

from __future__ import annotations

import re

from ccinfra.errors import SpecError

DEFAULT_REVERT_MINUTES = 5
MIN_REVERT_MINUTES, MAX_REVERT_MINUTES = 1, 120  # IOS's range for the timer (NAPALM CISCO_TIMER_MIN/MAX)
SHOW_TIMER = "show archive config rollback timer"
CONFIRM = "configure confirm"
REVERT_NOW = "configure revert now"
NO_PENDING = "No Rollback Confirmed Change pending"
ARCHIVE_PATH = "flash:archive"  # what ccinfra adds to a device without an archive (templates render the same)
_FIELDS = re.compile(r"^(Time configured[^:]*|Timer type|Timer value|User): (.*)$", re.M)
_KEYS = {"Timer type": "type", "Timer value": "timer", "User": "user"}


def check_revert_minutes(minutes: int) -> int:
    """0 (off) or 1–120.

    >>> check_revert_minutes(5)
    5
    >>> check_revert_minutes(121)
    Traceback (most recent call last):
    ccinfra.errors.SpecError: --revert-minutes 121: use 1 to 120 (IOS's revert timer range), or 0 to push without a timer
    """
    if minutes != 0 and not MIN_REVERT_MINUTES <= minutes <= MAX_REVERT_MINUTES:
        raise SpecError(f"--revert-minutes {minutes}: use {MIN_REVERT_MINUTES} to {MAX_REVERT_MINUTES} "
                        f"(IOS's revert timer range), or 0 to push without a timer")
    return minutes


def pending_timer(answer: str) -> dict[str, str] | None:
    """The fields of a pending revert timer, or None when none is pending (NAPALM's parse)."""
    if NO_PENDING in answer:
        return None
    fields = {_KEYS.get(key, "configured"): value.strip() for key, value in _FIELDS.findall(answer)}
    return fields or {"answer": " ".join(answer.split())[:120]}


def describe_timer(fields: dict[str, str]) -> str:
    """One line for a message: ``user ops, absolute timer 5 min, configured 22:50:48 UTC ...``."""
    if "answer" in fields:
        return f"the device answered {fields['answer']!r}"
    return (f"user {fields.get('user', '?')}, {fields.get('type', '?')} {fields.get('timer', '?')}, "
            f"configured {fields.get('configured', '?')}")


def archive_block(config: str) -> list[str]:
    """The ``archive`` section of a config (its line and the indented lines under it); [] if none.

    >>> archive_block("hostname a\\narchive\\n path flash:archive\\n maximum 5\\n!\\nend\\n")
    ['archive', ' path flash:archive', ' maximum 5']
    """
    lines = config.splitlines()
    for index, line in enumerate(lines):
        if line.rstrip() == "archive":
            block = [line.rstrip()]
            for child in lines[index + 1:]:
                if not child.startswith(" "):
                    break
                block.append(child.rstrip())
            return block
    return []


def has_archive(config: str) -> bool:
    """True when the config has an ``archive`` section with a ``path`` (what the timer needs).

    >>> has_archive("archive\\n path flash:archive\\n"), has_archive("archive\\n maximum 5\\n")
    (True, False)
    """
    return any(line.split()[:1] == ["path"] for line in archive_block(config)[1:])


def with_archive(intended: str, running: str) -> str:
    """``intended``, plus the device's own ``archive`` section when ``intended`` has none.

    The revert timer cannot run without the archive, so a build that does not manage it must not
    remove it either.

    >>> with_archive("hostname a\\n!\\nend\\n", "hostname a\\narchive\\n path flash:x\\nend\\n")
    'hostname a\\n!\\narchive\\n path flash:x\\n!\\nend\\n'
    """
    block = archive_block(running)
    if not block or archive_block(intended):
        return intended
    lines = intended.rstrip("\n").splitlines()
    at = len(lines) - 1 if lines and lines[-1].strip() == "end" else len(lines)
    return "\n".join(lines[:at] + block + ["!"] + lines[at:]) + "\n"


def archive_config(running: str) -> str:
    """``running`` with ccinfra's archive section added (the separate step before a timed change)."""
    return with_archive(running, f"archive\n path {ARCHIVE_PATH}\n")
