"""Typing configuration lines ahead: several lines per write, every line's answer still checked.

Sending one line and waiting for its prompt costs a round trip per line, plus netmiko's 10 ms
poll. An IOS vty buffers what is typed ahead (engineers paste configs all the time) and answers
each line in turn: its echo, any error, the next prompt. A :class:`Window` is the lines sent in
one write; its answer is read up to one prompt per line and cut at the prompts, so each line's
answer is checked as before and a rejected line is still named.

Lines that change what the lines after them mean end their window or get one of their own:

* an indented ``exit`` (hier-config closes each section with one) ends its window: if the
  section's parent line was rejected, that ``exit`` leaves configuration mode, and nothing may be
  typed after it before the answers are checked;
* ``exit`` at the top level, ``end`` and ``do``: they leave configuration mode or run an exec command;
* ``hostname`` and ``no hostname``: the prompt changes;
* top-level ``no``, ``default`` and ``crypto``: IOS may ask ``[confirm]``, and a typed-ahead line
  would be taken as the answer;
* a banner: IOS prints no prompt until its closing delimiter, so its lines go in one window that
  expects one prompt.

When a line is rejected, the rest of its window has been typed already; the push rolls back to
the backup in any case, so those lines are undone with the rest. Because of that, windows of one
line (each answer read before the next line is typed) are the default, and more is opt-in
(``ccinfra push --lines-per-write N``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# What IOS answers to a line it does not take: "% Invalid input detected at '^' marker.",
# "% Incomplete command.", "% Ambiguous command: ...", "% Unknown command ..." and "% Error ..." /
# "Error: ..." messages. Anchored at the start of a line so that an echoed command containing the
# word (``description Error LED``) is not mistaken for an error.
ERROR_PATTERN = r"^[ \t]*(?:%[ \t]*(?:Invalid|Incomplete|Ambiguous|Unknown|Error)|Error)\b[^\r\n]*"
_ERROR = re.compile(ERROR_PATTERN, re.M)

DEFAULT_LINES_PER_WRITE = 1   # wait for each line's prompt before typing the next (see the module text)
MAX_LINES_PER_WRITE = 64
MAX_BYTES = 2048              # per write, well inside an IOS vty's input buffer

_BANNER_OPEN = re.compile(r"^banner \S+ (\S)$")
_SOLO_ANY_DEPTH = re.compile(r"^\s*(?:end|do)(?:\s|$)")
_SOLO_TOP_LEVEL = re.compile(r"^(?:exit|no|default|crypto|hostname)(?:\s|$)")
_LAST = re.compile(r"^\s+exit\s*$")
_RENAME = re.compile(r"^(?:no )?hostname(?:\s|$)")


@dataclass(frozen=True)
class Window:
    """Lines sent in one write. A banner's lines answer with one prompt; other lines with one each."""

    lines: tuple[str, ...]
    banner: bool = False

    @property
    def renames(self) -> bool:
        """Whether the prompt changes (``hostname x``, ``no hostname``): any hostname is then a prompt."""
        return any(_RENAME.match(line) for line in self.lines)

    @property
    def prompts(self) -> int:
        return 1 if self.banner else len(self.lines)

    def typed(self, answer: int) -> tuple[str, ...]:
        """The lines whose echo opens answer number ``answer``."""
        return self.lines if self.banner else (self.lines[answer],)


def _blocks(lines: Sequence[str]) -> list[list[str]]:
    """Group lines as they must be typed: a banner with its text and closing delimiter, else one line.

    >>> _blocks(["hostname a", "banner motd @", "Hi", "@", "vlan 10"])
    [['hostname a'], ['banner motd @', 'Hi', '@'], ['vlan 10']]
    """
    blocks: list[list[str]] = []
    index = 0
    while index < len(lines):
        opened = _BANNER_OPEN.match(lines[index].strip())
        end = index + 1
        if opened:
            while end < len(lines) and opened[1] not in lines[end]:
                end += 1
            end = min(end + 1, len(lines))
        blocks.append(list(lines[index:end]))
        index = end
    return blocks


def _solo(line: str) -> bool:
    return bool(_SOLO_ANY_DEPTH.match(line) or _SOLO_TOP_LEVEL.match(line))


def windows(lines: Sequence[str], max_lines: int = DEFAULT_LINES_PER_WRITE, max_bytes: int = MAX_BYTES) -> list[Window]:
    """Cut ``lines`` into windows (see the module text); ``max_lines=1`` types one line at a time.

    >>> [w.lines for w in windows(["vlan 10", "  name A", "  exit", "vlan 20", "  exit", "no ip domain-name x", "end"], 16)]
    [('vlan 10', '  name A', '  exit'), ('vlan 20', '  exit'), ('no ip domain-name x',), ('end',)]
    """
    result: list[Window] = []
    current: list[str] = []
    size = 0

    def close() -> None:
        nonlocal size
        if current:
            result.append(Window(tuple(current)))
            current.clear()
        size = 0

    for block in _blocks(lines):
        if len(block) > 1 or _BANNER_OPEN.match(block[0].strip()):
            close()
            result.append(Window(tuple(block), banner=True))
            continue
        line = block[0]
        if _solo(line):
            close()
            result.append(Window((line,)))
            continue
        if len(current) >= max_lines or (current and size + len(line) + 1 > max_bytes):
            close()
        current.append(line)
        size += len(line) + 1
        if _LAST.match(line):
            close()
    close()
    return result


def prompt_pattern(base_prompt: str | None) -> re.Pattern[str]:
    """A prompt at the start of a line, in any mode: ``sw1>``, ``sw1#``, ``sw1(config-if)#``.

    ``base_prompt`` is netmiko's (the hostname, cut to 16 characters; the prompt may carry more of
    it); None takes any hostname, for a window that renames the device.

    >>> bool(prompt_pattern("sw1").match("sw1(config-if)#description x")), bool(prompt_pattern("sw1").match("sw2#"))
    (True, False)
    >>> prompt_pattern(None).match("Router(config)#").group(0)
    'Router(config)#'
    """
    name = r"[^\s#>()%]+" if base_prompt is None else rf"{re.escape(base_prompt)}[^\s#>()]*"
    return re.compile(rf"^{name}(?:\([^)\r\n]*\))?[>#]", re.M)


def answers_pattern(base_prompt: str | None, count: int) -> str:
    """A regular expression (for ``re.M``) that matches once ``count`` prompts have arrived.

    >>> bool(re.search(answers_pattern("sw", 2), "vlan 10\\r\\nsw(config-vlan)#name A\\r\\nsw(config-vlan)#", re.M))
    True
    >>> bool(re.search(answers_pattern("sw", 2), "vlan 10\\r\\nsw(config-vlan)#name A\\r\\n", re.M))
    False
    """
    return rf"(?:[\s\S]*?{prompt_pattern(base_prompt).pattern}){{{count}}}"


def hostname_of(prompt: str) -> str:
    """The hostname part of a prompt.

    >>> hostname_of("Router(config)#"), hostname_of("sw1#")
    ('Router', 'sw1')
    """
    return re.split(r"[(#>]", prompt, maxsplit=1)[0]


def cut_answers(output: str, prompt: re.Pattern[str], count: int) -> list[tuple[str, str]] | None:
    """``[(answer, prompt)]`` for the first ``count`` prompts in ``output``; None while fewer arrived.

    An answer is the text before its prompt, from the previous prompt on: the echo and what the
    device said to it.

    >>> cut_answers("vlan 10\\r\\nsw(config-vlan)#name A\\r\\nsw(config-vlan)#", prompt_pattern("sw"), 2)
    [('vlan 10\\r\\n', 'sw(config-vlan)#'), ('name A\\r\\n', 'sw(config-vlan)#')]
    >>> cut_answers("vlan 10\\r\\nsw(config-vlan)#", prompt_pattern("sw"), 2) is None
    True
    """
    answers: list[tuple[str, str]] = []
    start = 0
    for found in prompt.finditer(output):
        answers.append((output[start:found.start()], found.group(0)))
        start = found.end()
        if len(answers) == count:
            return answers
    return None


@dataclass(frozen=True)
class Problem:
    """The first line of a window that went wrong, and how."""

    line: str
    error: str = ""      # the device's error message, when it rejected the line
    prompt: str = ""     # the prompt after the line, when it left configuration mode


def first_problem(window: Window, answers: Sequence[tuple[str, str]]) -> Problem | None:
    """The first answer with an error message, or whose prompt is not a configuration prompt.

    The echo of the typed lines is skipped, so a line that itself contains an error word
    (``banner motd`` text ``Error: authorised use only``) is not mistaken for an error.

    >>> w = Window(("vlan 10", " name A"))
    >>> first_problem(w, [("vlan 10\\r\\n", "sw(config-vlan)#"), (" name A\\r\\n% Invalid input\\r\\n", "sw(config-vlan)#")])
    Problem(line=' name A', error='% Invalid input', prompt='')
    >>> first_problem(w, [("vlan 10\\r\\n", "sw(config-vlan)#"), (" name A\\r\\n", "sw#")])
    Problem(line=' name A', error='', prompt='sw#')
    """
    for index, (answer, prompt) in enumerate(answers):
        typed = window.typed(index)
        echoes = {line.strip() for line in typed}
        said = "\n".join(text for text in answer.splitlines() if text.strip() not in echoes)
        found = _ERROR.search(said)
        if found:
            return Problem(typed[0], error=found.group(0).strip())
        if not prompt.endswith(")#"):
            return Problem(typed[0], prompt=prompt)
    return None
