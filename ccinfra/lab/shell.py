"""The IOS command line of one SSH session: exec modes, ``enable``, show commands, saving.

Pure and synchronous: :class:`IosShell` takes input events from :mod:`ccinfra.lab.terminal`
and returns the text to send back, so it is tested without any socket. Configuration mode lives in
:mod:`ccinfra.lab.confmode`.

Output uses CR LF line ends, every answer starts with the new line of the Enter key and ends with
the next prompt, as on a real vty. Exec keywords may be abbreviated (``sh run``, ``conf t``,
``wr``), an ambiguous or unknown one gets IOS's error with the caret under the bad word.

>>> from ccinfra.lab.state import DeviceState, Faults
>>> shell = IosShell(DeviceState("sw1", "switch", "hostname sw1\\n", "lab", Faults()))
>>> shell.greeting()
'\\r\\nsw1>'
>>> shell.handle(Line("show privilege")).output
'\\r\\nCurrent privilege level is 1\\r\\nsw1>'
"""

from __future__ import annotations

from dataclasses import dataclass

from ccinfra.lab import floor, showcmd
from ccinfra.lab.confmode import CommandError, ConfigSession
from ccinfra.lab.grammar import interface_name
from ccinfra.lab.rollback import RollbackError, parse_revert_args
from ccinfra.lab.state import DeviceState
from ccinfra.lab.terminal import CtrlC, CtrlZ, Event, Help, Line

Tree = dict[str, "Tree | None"]  # keyword -> subtree; None = leaf that takes arguments; "" = may end here

_SHOW_USER: Tree = {
    "version": None,
    "privilege": None,
    "clock": None,
    "ip": {"interface": {"brief": None}},
    "vlan": {"": None, "brief": None},
    **floor.SHOW_TREE,  # cdp, lldp, mac address-table, power inline, interfaces status (ccinfra.lab.floor)
}
_SHOW_PRIV: Tree = {**_SHOW_USER, "running-config": None, "startup-config": None, "archive": None}
_TERMINAL: Tree = {"length": None, "width": None, "monitor": None, "no": {"monitor": None}}
USER_EXEC: Tree = {
    "show": _SHOW_USER, "enable": None, "disable": None, "exit": None, "logout": None, "terminal": _TERMINAL,
}
PRIV_EXEC: Tree = {
    **USER_EXEC,
    "show": _SHOW_PRIV,
    "configure": {"": None, "terminal": None, "confirm": None, "revert": None},
    "write": {"": None, "memory": None},
    "copy": {"running-config": {"startup-config": None}},
}

_RUNNING_CONFIG_HELP = (
    "  all        Configuration with defaults",
    "  brief      configuration without certificate data",
    "  full       full configuration",
    "  interface  Show interface configuration",
    "  |          Output modifiers",
    "  <cr>       <cr>",
)
_QUESTIONS = {
    "enable": "Password: ",
    "copy": "Destination filename [startup-config]? ",
    "configure": "Configuring from terminal, memory, or network [terminal]? ",
}
_MAX_ENABLE_TRIES = 3  # IOS asks three times, then says "% Bad secrets"


@dataclass
class Reply:
    """Text to send, and whether the session ends afterwards (``dropped``: by a fault)."""

    output: str
    close: bool = False
    dropped: bool = False


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def word_columns(line: str) -> list[int]:
    """Start column of each word of ``line``."""
    columns, previous = [], " "
    for i, char in enumerate(line):
        if char != " " and previous == " ":
            columns.append(i)
        previous = char
    return columns


def match_command(tree: Tree, line: str, partial: bool = False) -> tuple[tuple[str, ...], list[str]]:
    """Expand abbreviated keywords along ``tree``: the full keyword path and the arguments left.

    >>> match_command(PRIV_EXEC, "sh run | inc host")
    (('show', 'running-config'), ['|', 'inc', 'host'])
    """
    words, columns = line.split(), word_columns(line)
    node: Tree | None = tree
    path: list[str] = []
    for i, word in enumerate(words):
        if node is None:
            return tuple(path), words[i:]
        keys = [key for key in node if key]
        low = word.lower()
        found = [low] if low in keys else [key for key in keys if key.startswith(low)]
        if len(found) > 1:
            raise CommandError(f'% Ambiguous command:  "{line.strip()}"')
        if not found:
            raise CommandError("% Invalid input detected at '^' marker.", columns[i])
        path.append(found[0])
        node = node[found[0]]
    if node is not None and "" not in node and not partial:
        raise CommandError("% Incomplete command.")
    return tuple(path), []


class IosShell:
    """One vty session: privilege, pending questions, and the configuration session."""

    def __init__(self, state: DeviceState, user: str = "console") -> None:
        self.state = state
        self.user = user  # shown as the owner of a revert timer
        self.privileged = False
        self.config: ConfigSession | None = None
        self._asking: str | None = None  # "enable" | "copy" | "configure" while a question is open
        self._enable_tries = 0
        self.session_config_lines = 0

    @property
    def echo(self) -> bool:
        """False while a password is typed."""
        return self._asking != "enable"

    def prompt(self) -> str:
        """The prompt, or the open question (``Password: ``, ``Destination filename...``)."""
        if self._asking is not None:
            return _QUESTIONS[self._asking]
        host = self.state.hostname()
        if self.config is not None:
            return self.config.prompt(host)
        return host + ("#" if self.privileged else ">")

    def greeting(self) -> str:
        return "\r\n" + self.prompt()

    def handle(self, event: Event) -> Reply:
        """Answer one input event (under the device lock: sessions share the config)."""
        with self.state.lock:
            if isinstance(event, Help):
                return Reply(self._help(event.text))
            if isinstance(event, (CtrlZ, CtrlC)):
                self._asking, self.config = None, None
                return Reply(("^Z" if isinstance(event, CtrlZ) else "^C") + "\r\n" + self.prompt())
            return self._line(event.text)

    def _line(self, text: str) -> Reply:
        self.state.rollback.touch()
        if self.config is not None and self.config.frames[0].nodes[0] is not self.state.tree.root:
            self.config = ConfigSession(self.state)  # a revert replaced the config under this session
        prompt = self.prompt()
        if self._asking is not None:
            return Reply("\r\n" + self._answer(text.strip()) + self.prompt())
        if self.config is not None:
            result = self.config.line(text, prompt)
            if result.leave:
                self.config = None
            if result.exec_line is not None:
                return self._exec_reply(result.exec_line, prompt)
            if result.counted and self._count_config_line():
                return Reply("\r\n", close=True, dropped=True)
            return Reply("\r\n" + crlf(result.output) + self.prompt())
        return self._exec_reply(text, prompt)

    def _count_config_line(self) -> bool:
        """Count a configuration line; True when the drop fault says the session ends here."""
        self.state.config_lines_received += 1
        self.session_config_lines += 1
        limit = self.state.faults.drop_after_lines
        return limit is not None and self.session_config_lines >= limit

    def _exec_reply(self, text: str, prompt: str) -> Reply:
        try:
            output, close = self._exec(text)
        except CommandError as err:
            caret = "" if err.column is None else " " * (len(prompt) + err.column) + "^\n"
            output, close = f"{caret}{err}\n\n", False
        if close:
            return Reply("\r\n" + crlf(output), close=True)
        return Reply("\r\n" + crlf(output) + self.prompt())

    def _exec(self, text: str) -> tuple[str, bool]:
        if not text.strip():
            return "", False
        privileged = self.privileged or self.config is not None
        path, args = match_command(PRIV_EXEC if privileged else USER_EXEC, text)
        head = path[0]
        if head == "show":
            return self._show(path[1:], args, text), False
        if head in ("exit", "logout"):
            return "", True
        if head == "enable":
            if not self.privileged:
                self._asking, self._enable_tries = "enable", 0
            return "", False
        if head == "disable":
            self.privileged = False
            return "", False
        if head == "terminal":
            return self._terminal(path, args, text), False
        if head == "configure":
            return self._configure(path, args), False
        if head == "write":
            self.state.save()
            return "Building configuration...\n[OK]\n", False
        self._asking = "copy"  # copy running-config startup-config
        return "", False

    def _configure(self, path: tuple[str, ...], args: list[str]) -> str:
        """``configure [terminal [revert timer [idle] N]]``, ``configure confirm``, ``configure revert ...``."""
        rollback = self.state.rollback
        try:
            if path == ("configure",):
                self._asking = "configure"
                return ""
            if path == ("configure", "confirm"):
                rollback.confirm()
                return ""
            if path == ("configure", "revert"):
                if [a.lower() for a in args] == ["now"]:
                    rollback.revert_now()
                    return ""
                rollback.reset(parse_revert_args(["revert"] + args))
                return ""
            banner = rollback.start(parse_revert_args(args), self.user) if args else ""
        except RollbackError as err:
            return f"{err}\n"
        self.config = ConfigSession(self.state)
        return banner + "Enter configuration commands, one per line.  End with CNTL/Z.\n"

    def _answer(self, text: str) -> str:
        """The user answered the open question (enable password, copy destination, configure)."""
        asking, self._asking = self._asking, None
        if asking == "enable":
            if self.state.secret_matches(text):
                self.privileged = True
                return ""
            self._enable_tries += 1
            if self._enable_tries < _MAX_ENABLE_TRIES:
                self._asking = "enable"
                return ""
            return "% Bad secrets\r\n\r\n"
        if asking == "copy":
            if text not in ("", "startup-config", "nvram:startup-config"):
                return "%Error opening " + text + " (Invalid argument)\r\n"
            self.state.save()
            return "Building configuration...\r\n[OK]\r\n"
        if text.lower() not in ("", "t", "te", "ter", "term", "termi", "termin", "termina", "terminal"):
            return "?Must be \"terminal\", \"memory\" or \"network\"\r\n"
        self.config = ConfigSession(self.state)
        return "Enter configuration commands, one per line.  End with CNTL/Z.\r\n"

    def _terminal(self, path: tuple[str, ...], args: list[str], text: str) -> str:
        if path[1] in ("length", "width"):
            limit = 512
            if len(args) != 1 or not args[0].isdigit() or int(args[0]) > limit:
                column = word_columns(text)[2] if len(args) >= 1 else None
                raise CommandError("% Invalid input detected at '^' marker." if args else "% Incomplete command.", column)
        elif args:
            raise CommandError("% Invalid input detected at '^' marker.", word_columns(text)[len(path)])
        return ""

    def _show(self, path: tuple[str, ...], args: list[str], text: str) -> str:
        modifier: list[str] = []
        if "|" in args:
            args, modifier = args[: args.index("|")], args[args.index("|") + 1:]
        output = self._show_body(path, args, text)
        if modifier:
            filtered = showcmd.pipe_filter(output, modifier[0], " ".join(modifier[1:])) if len(modifier) > 1 else None
            if filtered is None:
                raise CommandError("% Invalid input detected at '^' marker.", text.index("|") + 2)
            output = filtered
        return output

    def _show_body(self, path: tuple[str, ...], args: list[str], text: str) -> str:
        state = self.state
        if path == ("running-config",):
            return self._show_running(args, text)
        if path[0] in floor.SHOW_TREE:
            return self._show_floor(path, args, text)
        if path == ("archive",):
            return self._show_archive(args, text)
        if args:
            raise CommandError("% Invalid input detected at '^' marker.", word_columns(text)[len(path) + 1])
        if path == ("version",):
            return showcmd.show_version(state.hostname(), state.role, state.uptime_s())
        if path == ("privilege",):
            return showcmd.show_privilege(15 if self.privileged else 1)
        if path == ("clock",):
            return showcmd.show_clock()
        if path == ("startup-config",):
            return showcmd.startup_config_header(state.startup_text) + state.startup_text
        if path[0] == "ip":
            return showcmd.show_ip_interface_brief(state.tree)
        if state.role != "switch":  # routers have no "show vlan" (Ansible uses it to tell L2 from L3)
            raise CommandError("% Invalid input detected at '^' marker.", word_columns(text)[1])
        return showcmd.show_vlan_brief(state.tree)

    def _show_floor(self, path: tuple[str, ...], args: list[str], text: str) -> str:
        attached = self.state.floor
        output = None if attached is None else floor.show_floor(attached, self.state.tree, path, args)
        if output is None:  # a twin with no floor (a gateway, a plain twin) has none of these
            raise CommandError("% Invalid input detected at '^' marker.", word_columns(text)[1])
        return output
    def _show_archive(self, args: list[str], text: str) -> str:
        """``show archive`` and ``show archive config rollback timer``."""
        if not args:
            return self.state.rollback.show_archive()
        wanted = ("config", "rollback", "timer")
        if len(args) == 3 and all(full.startswith(word.lower()) for full, word in zip(wanted, args)):
            return self.state.rollback.show_timer()
        raise CommandError("% Invalid input detected at '^' marker.", word_columns(text)[2])

    def _show_running(self, args: list[str], text: str) -> str:
        body = self.state.tree.render()
        if args and args[0].lower() in ("all", "full", "brief"):
            args = args[1:]
        if args and "interface".startswith(args[0].lower()) and len(args) > 1:
            section = self.state.tree.section_text("interface " + interface_name("".join(args[1:])))
            if section is None:
                raise CommandError("% Invalid input detected at '^' marker.", word_columns(text)[3])
            body = "!\n" + section + "end\n"
        elif args:
            raise CommandError("% Invalid input detected at '^' marker.", word_columns(text)[len(text.split()) - len(args)])
        return showcmd.running_config_header(body) + body

    def _help(self, typed: str) -> str:
        """``?``: list what may come next, then show the prompt and the typed text again."""
        if self.config is not None:
            lines = ["  LINE    <cr>"]
        else:
            lines = self._exec_help(typed)
        return "\r\n" + "\r\n".join(lines) + "\r\n\r\n" + self.prompt() + typed

    def _exec_help(self, typed: str) -> list[str]:
        tree = PRIV_EXEC if self.privileged else USER_EXEC
        words = typed.split()
        complete = typed.endswith(" ") or not typed
        known = words if complete else words[:-1]
        try:
            path, args = match_command(tree, " ".join(known), partial=True) if known else ((), [])
        except CommandError as err:
            return [str(err)]
        if path == ("show", "running-config") and complete and not args:
            return list(_RUNNING_CONFIG_HELP)
        node: Tree | None = tree
        for key in path:
            node = node[key] if node is not None else None
        if node is None:
            return ["  LINE    <cr>"]
        keys = sorted(key for key in node if key and (complete or key.startswith(words[-1].lower())))
        return [f"  {key}" for key in keys] + (["  <cr>"] if "" in node and complete else [])
