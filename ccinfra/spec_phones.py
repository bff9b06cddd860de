"""The phones of a site: MAC addresses, the Phone model, and the phones CSV (``phones.macs_file``).

Split from :mod:`ccinfra.spec`, which imports these names: a MAC reaches file names and configs, so
each near miss gets a line that says what to fix.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Annotated

from netutils.mac import is_valid_mac, mac_to_format
from pydantic import AfterValidator, Field, ValidationError

from ccinfra import limits as lim
from ccinfra.errors import SpecError
from ccinfra.fsio import read_input_text
from ccinfra.validation import SafeName, SafeText, StrictModel, describe_error


def _normal_mac(value: str) -> str:
    """Any common MAC notation → 12 lower-case hex digits; a near miss says what to fix; a phone's MAC is
    unicast and not all zeros.

    >>> _normal_mac("00-1A-2B-3C-4D-5E")
    '001a2b3c4d5e'
    >>> _normal_mac("0:1a:2b:3c:4d:5e")
    Traceback (most recent call last):
    ...
    ValueError: octet '0' has one digit: write every octet as two hex digits, e.g. 00:1A:2B:3C:4D:5E
    """
    if not isinstance(value, str):
        raise ValueError("is not a MAC address: write it as text, e.g. 00:1A:2B:3C:4D:5E")
    if value != value.strip() or " " in value or "\t" in value:
        raise ValueError("has a space in it: write the MAC without spaces, e.g. 00:1A:2B:3C:4D:5E")
    octets = re.split(r"[:-]", value)
    short = next((o for o in octets if len(octets) == 6 and len(o) == 1), None)
    if short is not None:
        raise ValueError(f"octet {short!r} has one digit: write every octet as two hex digits, e.g. 00:1A:2B:3C:4D:5E")
    if not is_valid_mac(value):
        raise ValueError("is not a MAC address: 12 hex digits, e.g. 00:1A:2B:3C:4D:5E, 001a.2b3c.4d5e or 001A2B3C4D5E")
    mac = mac_to_format(value, "MAC_NO_SPECIAL").lower()
    if int(mac[:2], 16) & 1:  # IEEE 802: the I/G bit of the first octet marks group (multicast/broadcast)
        raise ValueError(f"{value!r} is a multicast or broadcast MAC; a phone has a unicast MAC")
    if mac == "0" * 12:
        raise ValueError(f"{value!r} is the all-zero MAC; give the phone's own MAC")
    return mac


Mac = Annotated[str, AfterValidator(_normal_mac)]


class Phone(StrictModel):
    mac: Mac
    name: SafeText | None = None
    seat: SafeName | None = None  # the seat this phone sits at (written by `ccinfra discover`); else seat order
    extension: int | None = Field(default=None, ge=100, le=99999999)


def read_phone_csv(path: Path) -> list[Phone]:
    """Phones from a CSV with a header row: ``mac`` (required), ``seat``, ``name``, ``extension``; other
    columns (``model``, written by ``ccinfra discover``) are for people and ignored.

    Refused with one line naming the file and line: no header, a header without data rows, a
    separator other than a comma, more than ``MAX_CSV_ROWS`` rows, a bad value, a MAC used twice.
    """
    text = read_input_text(path, "phones.macs_file is a CSV path relative to the site file (MAX_CSV_BYTES)",
                           max_bytes=lim.MAX_CSV_BYTES)
    where = f"phones.macs_file: {path}"
    header = text.lstrip().split("\n", 1)[0].strip()
    if "mac" not in [c.strip().lower() for c in header.split(",")]:
        sep = next((c for c in ";\t|" if c in header), None)
        if sep is not None and "mac" in [c.strip().lower() for c in header.split(sep)]:
            raise SpecError(f"{where}: columns are separated by {sep!r}; use commas (mac,name,extension)")
        raise SpecError(f"{where}: the first line must be a header with a 'mac' column "
                        f"(e.g. mac,name,extension), got {header[:60]!r}")
    reader = csv.DictReader(io.StringIO(text.lstrip()))
    reader.fieldnames = [f.strip().lower() for f in (reader.fieldnames or [])]
    phones: list[Phone] = []
    seen: dict[str, int] = {}
    for row in reader:
        number = reader.line_num
        if len(phones) >= lim.MAX_CSV_ROWS:
            raise SpecError(f"{where}: more than {lim.MAX_CSV_ROWS} rows (MAX_CSV_ROWS); one phone per seat at most")
        record = {k: v.strip() for k, v in row.items()
                  if k in ("mac", "seat", "name", "extension") and isinstance(v, str) and v.strip()}
        if not record:
            continue
        try:
            phone = Phone.model_validate(record)
        except ValidationError as err:
            raise SpecError(describe_error(err, Phone, f"{path} line {number}")) from None
        if phone.mac in seen:
            raise SpecError(f"{where}: lines {seen[phone.mac]} and {number} have the same MAC {record['mac']}; "
                            "each phone has its own MAC: remove or correct one")
        seen[phone.mac] = number
        phones.append(phone)
    if not phones:
        raise SpecError(f"{where}: a header but no phone rows; add one line per phone (mac,name,extension)")
    return phones


def check_phones(phones: list[Phone], where: str) -> None:
    """At most ``MAX_SEATS`` phones, each MAC once (across ``phones.devices`` and ``phones.macs_file``)."""
    if len(phones) > lim.MAX_SEATS:
        raise SpecError(f"{where}: phones: {len(phones)} phones is past the limit of {lim.MAX_SEATS} (MAX_SEATS)")
    first: dict[str, int] = {}
    for index, phone in enumerate(phones):
        if phone.mac in first:
            raise SpecError(f"{where}: phones: the MAC {phone.mac} is listed twice (in phones.devices, or there "
                            "and in phones.macs_file); each phone has its own MAC: remove one")
        first[phone.mac] = index
