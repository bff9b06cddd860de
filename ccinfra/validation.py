"""Turn pydantic validation errors into one line that names the field and the fix; safe value types.

Values that reach a device configuration are typed here so that no newline, control character or
stray text can add a command to a rendered config.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
# Display text: letters (any script), digits, space and a few punctuation marks; nothing IOS or XML treats specially.
_TEXT_RE = re.compile(r"^[\w .,'()/+-]{1,64}$", re.UNICODE)


def safe_name(value: str) -> str:
    """A host/device/seat name: letters, digits, ``.``, ``_``, ``-``; 1–63 chars, no spaces.

    >>> safe_name("cc-lis-as01")
    'cc-lis-as01'
    """
    if not isinstance(value, str) or not _NAME_RE.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a safe name: use 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    return value


def safe_text(value: str) -> str:
    """Free text that may reach a config (descriptions, display names): one line, no control characters.

    >>> safe_text("Ana Silva")
    'Ana Silva'
    """
    if not isinstance(value, str) or not _TEXT_RE.fullmatch(value):
        raise ValueError(
            f"{value!r} is not allowed text: one line of at most 64 letters, digits, spaces and . , ' ( ) / + -"
        )
    return value


SafeName = Annotated[str, AfterValidator(safe_name)]
SafeText = Annotated[str, AfterValidator(safe_text)]


class StrictModel(BaseModel):
    """Base of every input model: unknown keys are errors (a typo is caught), values are validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False, allow_inf_nan=False)


def _loc(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(top level)"


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Walk the model along ``loc`` (minus the last key) and list the keys allowed there."""
    current: Any = model
    for item in loc[:-1]:
        if isinstance(item, int):
            continue
        field = getattr(current, "model_fields", {}).get(item)
        if field is None:
            return []
        current = _model_of(field.annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}).keys())


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def describe_error(err: ValidationError, model: type[BaseModel], where: str = "") -> str:
    """One line for the first problem in ``err`` (and how many more there are).

    >>> from pydantic import Field
    >>> class M(StrictModel):
    ...     aht_s: float = Field(gt=0)
    >>> try:
    ...     M.model_validate({"aht_s": 0})
    ... except ValidationError as e:
    ...     print(describe_error(e, M, "site.yaml"))
    site.yaml: aht_s: Input should be greater than 0 (got 0); fix that value
    """
    errors = err.errors()
    first = errors[0]
    loc = tuple(first["loc"])
    field = _loc(loc)
    kind = first["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc)
        hint = f"unknown key; allowed here: {', '.join(allowed)}" if allowed else "unknown key; remove it"
        message = f"{field}: {hint}"
    elif kind == "missing":
        message = f"{field}: required; add it"
    else:
        msg = first["msg"].removeprefix("Value error, ")
        got = first.get("input")
        shown = "" if isinstance(got, (dict, list)) or got is None else f" (got {got!r})"
        if len(shown) > 80:
            shown = shown[:60] + "...)"
        from ccinfra.limits import FIELD_LIMITS

        if field in FIELD_LIMITS and kind in ("less_than", "less_than_equal", "greater_than", "greater_than_equal"):
            msg += f" ({FIELD_LIMITS[field]} in ccinfra/limits.py)"
        message = f"{field}: {msg}{shown}; fix that value" if loc else f"{msg}{shown}"
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    prefix = f"{where}: " if where else ""
    return f"{prefix}{message}{more}"


M = TypeVar("M", bound=BaseModel)


def validate_as(model: type[M], data: object, where: str, error: type[Exception], shape: str) -> M:
    """``model.model_validate(data)`` with every problem as one ``error`` line naming the field.

    ``shape`` says what a valid top level looks like, for data that is not a mapping at all.

    >>> class M(StrictModel):
    ...     name: str
    >>> validate_as(M, [1], "x.yaml", ValueError, "name: ...")
    Traceback (most recent call last):
    ...
    ValueError: x.yaml: must be a YAML mapping (name: ...), got list
    """
    if not isinstance(data, dict):
        raise error(f"{where}: must be a YAML mapping ({shape}), got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise error(describe_error(err, model, where)) from None
