"""Configuration mode of a lab twin: ``(config)#``, sub-modes, and how each line changes the tree.

IOS rules the twin follows (Cisco IOS Configuration Fundamentals, "Using the CLI"):

* a section line (``interface X``, ``vlan 10``, ``dial-peer voice 1 pots``...) enters its sub-mode,
  sections nest (``voice service voip`` ▶ ``sip``, ``ip address trusted list``);
* ``exit`` goes up one level (from global configuration back to exec), ``end`` / Ctrl-Z to exec;
* a line the current sub-mode does not take is tried in each parent mode up to global
  configuration and runs in the first one that takes it, leaving the sub-modes below;
* ``interface range`` applies each following line to every interface of the range, and
  ``line vty 0 15`` to the blocks IOS keeps apart (``line vty 0 4``, ``line vty 5 15``);
* ``banner <kind> <c>`` reads text up to the delimiter ``c``, possibly over several lines;
* ``do <command>`` runs an exec command without leaving configuration mode.

Any plausible line is accepted (the twin is not a parser of every IOS command); a device's
``Faults.reject_pattern`` makes matching lines fail like an unknown command.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ccinfra.lab.config_tree import BannerCollector, ConfigNode
from ccinfra.lab.grammar import (
    deletes_first_vtys,
    expand_interface_range,
    is_plausible,
    normalize_line,
    owner_depth,
    section_mode,
    strip_no,
    vty_blocks,
)
from ccinfra.lab.modes import GLOBAL, prompt_of
from ccinfra.lab.state import DeviceState

INVALID_INPUT = "% Invalid input detected at '^' marker."
FIRST_VTYS_KEPT = "% Can't delete last 5 VTY lines"
_EXITS = frozenset({"exit", "exit-address-family", "exit-peer-policy", "exit-peer-session"})
# Keywords that are never a whole command: IOS answers "% Incomplete command." when typed alone.
_NEEDS_ARGUMENT = frozenset(
    {"interface", "hostname", "vlan", "description", "router", "line", "username", "banner", "ntp",
     "snmp-server", "logging", "switchport", "name", "no", "default", "ip", "ipv6", "dial-peer",
     "policy-map", "class-map", "class", "spanning-tree", "channel-group", "speed", "duplex",
     "access-list", "voice", "controller"}
)


class CommandError(Exception):
    """A line IOS would refuse; ``column`` is where the caret goes (None: no caret line)."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.column = column


@dataclass
class Frame:
    """One level of configuration mode: the node(s) lines go to, and the prompt's mode name."""

    nodes: list[ConfigNode]
    mode: str


@dataclass
class ConfigResult:
    """What one configuration line did. ``counted``: it was a configuration line (not navigation)."""

    output: str = ""
    leave: bool = False
    exec_line: str | None = None
    counted: bool = False


@dataclass
class ConfigSession:
    """The configuration-mode state of one session (the tree itself belongs to the device)."""

    state: DeviceState
    frames: list[Frame] = field(default_factory=list)
    banner: tuple[str, BannerCollector] | None = None

    def __post_init__(self) -> None:
        self.frames = [Frame([self.state.tree.root], GLOBAL)]

    @property
    def modes(self) -> list[str]:
        """The mode path, global configuration first."""
        return [frame.mode for frame in self.frames]

    def prompt(self, host: str) -> str:
        """``host(config-if)#``; empty while banner text is being typed (IOS shows none)."""
        return "" if self.banner is not None else f"{host}({prompt_of(self.frames[-1].mode)})#"

    def line(self, text: str, prompt: str) -> ConfigResult:
        """Apply one typed line; ``prompt`` is the prompt it was typed at (for the caret)."""
        if self.banner is not None:
            kind, collector = self.banner
            if collector.feed(text):
                self.state.tree.root.set_banner(kind, collector.lines)
                self.banner = None
            return ConfigResult(counted=True)
        line = normalize_line(text, self.modes)
        low = line.lower()
        if not line:
            return ConfigResult()
        if low == "end":
            return ConfigResult(leave=True)
        if low in _EXITS:
            if len(self.frames) == 1:
                return ConfigResult(leave=True)
            self.frames.pop()
            return ConfigResult()
        if low.split()[0] == "do":
            return ConfigResult(exec_line=line[2:].strip())
        try:
            output = self._apply(line)
        except CommandError as err:
            indent = len(text) - len(text.lstrip())
            caret = "" if err.column is None else " " * (len(prompt) + indent + err.column) + "^\n"
            output = f"{caret}{err}\n\n"
        return ConfigResult(output=output, counted=True)

    def _apply(self, line: str) -> str:
        words = line.split()
        if not is_plausible(line, len(self.frames) > 1) or self.state.faults.rejects(line):
            raise CommandError(INVALID_INPUT, 0)
        if len(words) == 1 and words[0].lower() in _NEEDS_ARGUMENT:
            raise CommandError("% Incomplete command.")
        bare = normalize_line(strip_no(line), self.modes)
        negated = bare != normalize_line(line, self.modes)
        # IOS tries the line in the current mode, then in each parent: it runs where it is taken.
        del self.frames[owner_depth(self.modes, bare) + 1:]
        frame = self.frames[-1]
        if len(self.frames) == 1 and not negated and words[0].lower() == "banner":
            return self._banner(line)
        mode = section_mode(frame.mode, bare)
        if mode and not negated:
            self.frames.append(Frame(self._open(frame, line, mode), mode))
        elif negated:
            if mode == "config-line" and deletes_first_vtys(bare):
                raise CommandError(FIRST_VTYS_KEPT)
            for node in frame.nodes:
                node.negate(bare)
        else:
            for node in frame.nodes:
                node.set(line)
        return ""

    def _open(self, frame: Frame, line: str, mode: str) -> list[ConfigNode]:
        """The node(s) a section line opens: one per interface of a range, one per vty block."""
        if mode == "config-if-range":
            root = self.state.tree.root
            names = expand_interface_range(line.split(maxsplit=2)[2])
            return [root.open(f"interface {name}", "config-if") for name in names]
        blocks = vty_blocks(line) if mode == "config-line" else None
        return [node.open(text, mode) for node in frame.nodes for text in (blocks or [line])]

    def _banner(self, line: str) -> str:
        parts = line.split(maxsplit=2)
        if len(parts) < 3:
            raise CommandError("% Incomplete command.")
        collector = BannerCollector(parts[2])
        if collector.done:
            self.state.tree.root.set_banner(parts[1], collector.lines)
            return ""
        self.banner = (parts[1], collector)
        return f"Enter TEXT message.  End with the character '{collector.delimiter[:1]}'.\n"
