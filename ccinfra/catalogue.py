"""What real hardware can do: access-switch and IP-phone models ccinfra knows, with their sources.

The spec refuses a switch with more ports, uplinks or PoE budget than its model has, and a phone
model that its vendor does not make. A switch model outside the catalogue is accepted only when
the site gives its ports, uplinks and PoE budget itself.

Switch figures: Cisco Catalyst 9200 Series Switches Data Sheet (Table "Switch configurations":
downlinks, fixed uplinks, available PoE power with the default power supply) and Catalyst 9300
Series Data Sheet (C9300-48P with the default 715 W supply: 437 W PoE; uplinks from the C9300-NM-8X
network module). Phone models: the vendors' current desk-phone ranges (Cisco IP Phone 7800/8800
Series data sheets, Yealink T4/T5 series, Poly VVX series).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SwitchHardware:
    """Front-panel facts of one switch model."""

    ports: int
    uplinks: int
    uplink_gbps: float
    poe_budget_w: float
    port_prefix: str = "GigabitEthernet1/0/"
    uplink_prefix: str = "TenGigabitEthernet1/1/"


_GIG_UP = "GigabitEthernet1/1/"
SWITCHES: dict[str, SwitchHardware] = {
    "C9200L-24P-4G": SwitchHardware(24, 4, 1, 370, uplink_prefix=_GIG_UP),
    "C9200L-24P-4X": SwitchHardware(24, 4, 10, 370),
    "C9200L-48P-4G": SwitchHardware(48, 4, 1, 740, uplink_prefix=_GIG_UP),
    "C9200L-48P-4X": SwitchHardware(48, 4, 10, 740),
    "C9200L-48PL-4G": SwitchHardware(48, 4, 1, 370, uplink_prefix=_GIG_UP),
    "C9200L-48PL-4X": SwitchHardware(48, 4, 10, 370),
    "C9300-24P": SwitchHardware(24, 8, 10, 445),
    "C9300-48P": SwitchHardware(48, 8, 10, 437),
}

PHONES: dict[str, frozenset[str]] = {
    "cisco": frozenset({"CP-7811", "CP-7821", "CP-7841", "CP-7861", "CP-8811", "CP-8841", "CP-8845", "CP-8851",
                        "CP-8861", "CP-8865"}),
    # Yealink: the models whose common file y0000000000XX.cfg is known (ccinfra.render.phones).
    "yealink": frozenset({"T46G", "T42G", "T58", "T46S", "T42S", "T27G", "CP920", "T53", "T53W", "T54W", "T57W",
                          "T46U", "T48U"}),
    "polycom": frozenset({"VVX150", "VVX250", "VVX350", "VVX450", "VVX301", "VVX311", "VVX401", "VVX411",
                          "VVX501", "VVX601"}),
}


def phone_model_key(vendor: str, model: str) -> str:
    """The catalogue spelling of a phone model (Yealink's ``SIP-`` prefix dropped, upper case).

    >>> phone_model_key("yealink", "sip-t54w"), phone_model_key("cisco", "cp-8841")
    ('T54W', 'CP-8841')
    """
    key = model.upper()
    return key.removeprefix("SIP-") if vendor == "yealink" else key


def check_phone_model(vendor: str, model: str) -> None:
    """Raise ValueError unless ``vendor`` makes ``model``.

    >>> check_phone_model("cisco", "CP-8841")
    >>> check_phone_model("cisco", "T54W")
    Traceback (most recent call last):
    ValueError: 'T54W' is not a cisco phone model ccinfra knows; use one of CP-7811, CP-7821, CP-7841, CP-7861, CP-8811, CP-8841, CP-8845, CP-8851, CP-8861, CP-8865
    """
    if phone_model_key(vendor, model) not in PHONES[vendor]:
        known = ", ".join(sorted(PHONES[vendor]))
        raise ValueError(f"{model!r} is not a {vendor} phone model ccinfra knows; use one of {known}")
