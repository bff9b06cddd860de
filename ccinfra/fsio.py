"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import shutil
import tempfile
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
    """Write ``data`` to ``path`` atomically (temp file + fsync + rename), creating parent folders."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


def replace_dir_atomic(staging: Path, target: Path) -> Path:
    """Move a fully written ``staging`` folder into place as ``target``.

    The old ``target`` (if any) is renamed aside first and removed only after the swap, so a
    failure leaves either the old folder or the new one, never a mix.
    """
    target = Path(target)
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.replace(target, old)
    try:
        os.replace(staging, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target


def read_input_text(path: str | os.PathLike[str], hint: str, error: type[Exception] | None = None) -> str:
    """Read a user-given UTF-8 file, or raise one line naming it: ``<path>: no such file; <hint>``.

    >>> read_input_text("/nonexistent/site.yaml", "give the path of a site YAML")
    Traceback (most recent call last):
    ...
    ccinfra.errors.SpecError: /nonexistent/site.yaml: no such file; give the path of a site YAML
    """
    from ccinfra.errors import SpecError

    kind = error or SpecError
    file = Path(path)
    try:
        return file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise kind(f"{file}: no such file; {hint}") from None
    except IsADirectoryError:
        raise kind(f"{file}: is a folder, not a file; {hint}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise kind(f"{file}: cannot read it ({err.__class__.__name__}: {getattr(err, 'strerror', None) or err})") from None


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
    import yaml

    from ccinfra.errors import SpecError

    text = read_input_text(path, hint, error)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise (error or SpecError)(f"{Path(path)}: not valid YAML{at}; check indentation and quoting") from None


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
    final = Path(target).absolute()
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.staging-", dir=final.parent))
    try:
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
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final
