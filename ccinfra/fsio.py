"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def write_text_atomic(path: str | os.PathLike[str], text: str, mode: int = 0o644) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_text_atomic(p, "hello\\n").read_text()
    'hello\\n'
    """
    return write_bytes_atomic(path, text.encode("utf-8"), mode)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes, mode: int = 0o644) -> Path:
    """Write ``data`` to ``path`` atomically (temp file + fsync + rename), creating parent folders.

    A symlink is followed (the file it points to is replaced, the link stays); the temporary file is
    removed on any exception, Ctrl-C and SIGTERM included (``ccinfra.cli.entry``).
    """
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = ""
    try:
        with signals_deferred():  # as in write_tree_atomic: the temporary name is known before a signal lands
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


def replace_dir_atomic(staging: Path, target: Path) -> Path:
    """Move a fully written ``staging`` folder into place as ``target``.

    The old ``target`` (if any) is renamed aside first and removed only after the swap, so a
    failure leaves either the old folder or the new one, never a mix. A symlinked ``target`` is
    followed: the folder it points to is replaced and the link is kept (give the real folder as
    ``staging``'s neighbour, see :func:`real_output_dir`).
    """
    target = real_output_dir(target)
    old = None
    with signals_deferred():  # Ctrl-C or SIGTERM lands after the swap and the clean-up, not between them
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            _remove(old)
            os.replace(target, old)
        try:
            os.replace(staging, target)
        except BaseException:
            if old is not None:
                os.replace(old, target)
            raise
        if old is not None:
            _remove(old)
    return target


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back (they are delivered on exit) while a few renames must finish together."""
    held = {signal.SIGINT, signal.SIGTERM}
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _remove(path: Path) -> None:
    """Remove a file, a symlink (not what it points to) or a folder tree; nothing if absent."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


def real_output_dir(target: str | os.PathLike[str]) -> Path:
    """``target`` with a symlink to a folder followed; a dangling or non-folder link is refused.

    >>> import tempfile, pathlib, os
    >>> root = pathlib.Path(tempfile.mkdtemp()); (root / "real").mkdir(); os.symlink(root / "real", root / "link")
    >>> real_output_dir(root / "link") == (root / "real").resolve()
    True
    """
    from ccinfra.errors import SpecError

    path = Path(target).absolute()
    if path.is_symlink():
        resolved = path.resolve()
        if not resolved.is_dir():
            raise SpecError(f"-o {path}: a symlink to {resolved}, which is not a folder; give a folder")
        return resolved
    return path


# What ccinfra puts in the files it writes, so that it knows them again (first 64 KiB are read).
_OWN_MARKERS = (b"written by ccinfra", b"written by `ccinfra", b'"schema": "ccinfra.', b'"schema":"ccinfra.',
                b'<meta name="generator" content="ccinfra', b" by ccinfra ")
_HEAD_BYTES = 65536


def written_by_ccinfra(path: str | os.PathLike[str], new_text: str | None = None) -> bool:
    """True when ``path`` is a file ccinfra wrote: it carries one of ccinfra's markers (a
    ``written by ccinfra`` comment, a ``"schema": "ccinfra.…"`` key, the report's generator line), or,
    given the text about to replace it, it is the same kind of output (a JSON object with the same
    keys; a table with the same title and underline).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "thesis.txt"; _ = p.write_text("my thesis")
    >>> written_by_ccinfra(p), written_by_ccinfra(p, "Trunks\\n------\\nchannels 18\\n")
    (False, False)
    >>> _ = p.write_text('{"agents": 14}'); written_by_ccinfra(p, '{"agents": 15}')
    True
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return False
    if any(marker in head for marker in _OWN_MARKERS):
        return True
    if new_text is None:
        return False
    return _same_json_keys(head, new_text) or _same_table_title(head, new_text)


def _same_json_keys(head: bytes, new_text: str) -> bool:
    import json

    try:
        old, new = json.loads(head.decode("utf-8")), json.loads(new_text)
    except (ValueError, RecursionError):
        return False
    return isinstance(old, dict) and isinstance(new, dict) and bool(new) and old.keys() == new.keys()


def _same_table_title(head: bytes, new_text: str) -> bool:
    old = head.decode("utf-8", "replace").splitlines()[:2]
    new = new_text.splitlines()[:2]
    return len(new) == 2 and old == new and set(new[1]) == {"-"}


def check_output_file(path: str | os.PathLike[str], flag: str, *, force: bool = False,
                      new_text: str | None = None) -> Path:
    """Refuse, with one line, an output file ccinfra may not write: a folder, a file ccinfra did not
    write (unless ``force``), or a place that cannot be written. Call it before any work is done.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp()); _ = (root / "thesis.docx").write_text("x")
    >>> check_output_file(root / "thesis.docx", "-o")
    Traceback (most recent call last):
    ...
    ccinfra.errors.SpecError: -o ...thesis.docx: exists and was not written by ccinfra; choose another file, move it away, or add --force
    """
    from ccinfra.errors import SpecError

    target = Path(path).expanduser()
    if target.is_symlink():
        target = target.resolve()
    if target.is_dir():
        raise SpecError(f"{flag} {path}: is a folder; give a file name")
    if target.exists() and not force and not written_by_ccinfra(target, new_text):
        raise SpecError(f"{flag} {path}: exists and was not written by ccinfra; choose another file, "
                        "move it away, or add --force")
    check_writable_dir(target.parent, flag, path)
    return target


def check_writable_dir(folder: str | os.PathLike[str], flag: str, shown: object = None) -> Path:
    """Refuse, with one line, a folder that cannot be created or written (checked before any device is touched)."""
    from ccinfra.errors import SpecError

    path = Path(folder).expanduser().absolute()
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise SpecError(f"{flag} {shown or folder}: {existing} is a file, not a folder; give another path")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise SpecError(f"{flag} {shown or folder}: cannot write into {existing} (permission denied); "
                        "give a writable path")
    return path


def read_input_bytes(path: str | os.PathLike[str], hint: str, error: type[Exception] | None = None,
                     max_bytes: int | None = None) -> bytes:
    """Read a user-given file, at most ``max_bytes`` (default ``limits.MAX_JSON_BYTES``), or one line naming it.

    Reads no more than the limit, so ``/dev/zero`` or a 10 GB log given by mistake ends at once.
    """
    from ccinfra.errors import SpecError
    from ccinfra.limits import MAX_JSON_BYTES

    kind = error or SpecError
    limit = MAX_JSON_BYTES if max_bytes is None else max_bytes
    file = Path(path)
    try:
        with open(file, "rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise kind(f"{file}: no such file; {hint}") from None
    except IsADirectoryError:
        raise kind(f"{file}: is a folder, not a file; {hint}") from None
    except OSError as err:
        raise kind(f"{file}: cannot read it ({err.__class__.__name__}: {err.strerror or err})") from None
    if len(data) > limit:
        raise kind(f"{file}: larger than the limit of {limit} bytes (see 'Limits' in the README); {hint}")
    return data


def read_input_text(path: str | os.PathLike[str], hint: str, error: type[Exception] | None = None,
                    max_bytes: int | None = None) -> str:
    """Read a user-given UTF-8 file, or raise one line naming it: ``<path>: no such file; <hint>``.

    >>> read_input_text("/nonexistent/site.yaml", "give the path of a site YAML")
    Traceback (most recent call last):
    ...
    ccinfra.errors.SpecError: /nonexistent/site.yaml: no such file; give the path of a site YAML
    """
    from ccinfra.errors import SpecError

    kind = error or SpecError
    data = read_input_bytes(path, hint, kind, max_bytes)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise kind(f"{path}: not UTF-8 text (byte {err.start}); {hint}") from None


def read_yaml(path: str | os.PathLike[str], hint: str, error: type[Exception] | None = None) -> object:
    """Read a user-given YAML file: one line naming the file (and the line and column) when it is not YAML.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "bad.yaml"
    >>> _ = p.write_text("a: [1")
    >>> read_yaml(p, "fix it")
    Traceback (most recent call last):
    ...
    ccinfra.errors.SpecError: .../bad.yaml: not valid YAML at line 1, column 6; check indentation and quoting
    """
    from ccinfra.errors import SpecError
    from ccinfra.limits import MAX_YAML_BYTES
    from ccinfra.safeload import load_yaml_text  # size, depth and alias limits (untrusted input)

    text = read_input_text(path, hint, error, max_bytes=MAX_YAML_BYTES)
    return load_yaml_text(text, str(Path(path)), error or SpecError)


def write_tree_atomic(target: str | os.PathLike[str], texts: dict[str, str], keep: list[Path] | tuple = ()) -> Path:
    """Write a folder of text files (relative path → text) so that it appears whole or not at all.

    The files are written into a staging folder next to ``target`` and swapped in with
    :func:`replace_dir_atomic`. ``keep`` names files of the old ``target`` (relative paths) that are
    copied over with their modes, e.g. vault files a person put there.

    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> sorted(p.name for p in write_tree_atomic(root, {"a/b.txt": "x\\n", "c.txt": "y\\n"}).rglob("*"))
    ['a', 'b.txt', 'c.txt']
    """
    final = real_output_dir(target)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging: Path | None = None
    try:
        with signals_deferred():  # a signal lands after the name is known, so the except below removes it
            staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.staging-", dir=final.parent))
        made: set[Path] = set()
        for relative, text in texts.items():
            path = staging / relative
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            path.write_text(text, encoding="utf-8")
        for relative in keep:
            (staging / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(final / relative, staging / relative)
        os.chmod(staging, 0o755)
        replace_dir_atomic(staging, final)
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    return final
