"""Turn the raw characters an SSH client types into lines, the way an IOS vty does.

A line ends at CR, LF or CR LF (Ansible's network_cli sends a bare CR, netmiko LF): an LF right
after a CR is swallowed, even when it arrives in the next packet. Typed characters are echoed
(not while a password is asked for), backspace erases, Ctrl-Z ends configuration mode, Ctrl-C
abandons the line, ``?`` asks for help, and escape sequences (arrow keys) are ignored.

>>> reader = LineReader()
>>> reader.feed("show ver\\r\\nconf t\\r")
>>> reader.next(echo=True)
('show ver', Line(text='show ver'))
>>> reader.next(echo=True)
('conf t', Line(text='conf t'))
>>> reader.next(echo=True)
('', None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """A completed input line (without its terminator)."""

    text: str


@dataclass(frozen=True)
class Help:
    """``?`` was typed; ``text`` is the line typed so far (it stays in the buffer)."""

    text: str


@dataclass(frozen=True)
class CtrlZ:
    """Ctrl-Z: leave configuration mode (IOS echoes ``^Z``)."""


@dataclass(frozen=True)
class CtrlC:
    """Ctrl-C: abandon the current line."""


Event = Line | Help | CtrlZ | CtrlC

_BACKSPACES = ("\x08", "\x7f")
_PLAIN = re.compile(r"[^\x00-\x08\x0a-\x1f\x7f?]+")  # no control character (tab aside), no "?"


class LineReader:
    """Character-level input state of one terminal session."""

    def __init__(self) -> None:
        self._pending = ""
        self._buffer: list[str] = []
        self._after_cr = False
        self._escape = 0  # 0 normal, 1 after ESC, 2 inside ESC [ ... sequence

    def feed(self, data: str) -> None:
        """Queue characters received from the client."""
        self._pending += data

    def next(self, echo: bool) -> tuple[str, Event | None]:
        """Consume queued characters up to the next event.

        Returns the text to echo back and the event, or ``None`` when the queue ran out first.
        The line terminator is not echoed: the shell's answer starts with the new line, as IOS's does.
        """
        out: list[str] = []
        pending, index = self._pending, 0
        while index < len(pending):
            if not self._escape:
                # A run of ordinary characters is taken at once (typed-ahead config lines are long).
                plain = _PLAIN.match(pending, index)
                if plain is not None:
                    text = plain.group(0).replace("\t", " ")
                    self._buffer.append(text)
                    if echo:
                        out.append(text)
                    self._after_cr = False
                    index = plain.end()
                    continue
            char = pending[index]
            index += 1
            after_cr, self._after_cr = self._after_cr, False
            event = self._take(char, after_cr, echo, out)
            if event is not None:
                self._pending = pending[index:]
                return "".join(out), event
        self._pending = ""
        return "".join(out), None

    def _take(self, char: str, after_cr: bool, echo: bool, out: list[str]) -> Event | None:
        if self._escape == 1:  # ESC [ or ESC O starts a cursor-key sequence
            self._escape = 2 if char in "[O" else 0
            return None
        if self._escape == 2:
            self._escape = 0 if (char.isalpha() or char == "~") else 2
            return None
        if char == "\n" and after_cr:
            return None
        if char in ("\r", "\n"):
            self._after_cr = char == "\r"
            text, self._buffer = "".join(self._buffer), []
            return Line(text)
        if char == "\x1a":
            self._buffer = []
            return CtrlZ()
        if char == "\x03":
            self._buffer = []
            return CtrlC()
        if char == "?" and echo:
            out.append("?")
            return Help("".join(self._buffer))
        if char in _BACKSPACES:
            if self._buffer:
                last = self._buffer.pop()[:-1]  # the buffer holds runs of characters
                if last:
                    self._buffer.append(last)
                if echo:
                    out.append("\b \b")
            return None
        if char == "\x1b":
            self._escape = 1
            return None
        if char < " " and char != "\t":
            return None
        char = " " if char == "\t" else char
        self._buffer.append(char)
        if echo:
            out.append(char)
        return None
