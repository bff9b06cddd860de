"""What ``ccinfra render`` would refuse, found while sizing and phrased by the site field to change.

``size`` (and so ``report`` and ``demo``) lists these as FAIL checks with ids ``render.*``, so a plan
that would not render never "succeeds" silently; ``render`` refuses such a plan with the same line.
Pure: reads the plan's own figures, renders nothing.
"""

from __future__ import annotations

from collections import Counter

from ccinfra import limits
from ccinfra.plan import Check, Gateway, PhoneEntry, Trunks
from ccinfra.spec import SiteSpec

READINESS_PREFIX = "render."


def _fail(id: str, title: str, measured: str, limit: str, source: str, detail: str) -> Check:
    return Check(id=f"{READINESS_PREFIX}{id}", title=title, status="fail", measured=measured, limit=limit,
                 source=source, detail=detail)


def gateway_checks(gateways: list[Gateway], trunks: Trunks) -> list[Check]:
    """Spans per PRI gateway and channels per gateway within what one gateway config can carry."""
    found = []
    for gw in gateways:
        field = "telephony.trunk" if gw.role == "pri" and gw.name.endswith("gw01") else "telephony.fallback"
        if gw.role == "pri" and gw.spans > limits.MAX_PRI_SPANS_PER_GATEWAY:
            found.append(_fail(
                f"{gw.name}.spans", f"{gw.name}: PRI spans on one gateway", f"{gw.spans} {gw.span_type} spans",
                f"<= {limits.MAX_PRI_SPANS_PER_GATEWAY} (3 NIM cards × 8 ports)", "itu-g.704",
                f"{field}: {gw.span_type} needs {gw.spans} spans for {trunks.channels} channels; one gateway takes "
                f"{limits.MAX_PRI_SPANS_PER_GATEWAY}: use trunk: sip (with fallback: none), or raise telephony.blocking"))
        if gw.channels > limits.MAX_GATEWAY_CHANNELS:
            found.append(_fail(
                f"{gw.name}.channels", f"{gw.name}: channels on one gateway", f"{gw.channels}",
                f"<= {limits.MAX_GATEWAY_CHANNELS}", "erlang-b",
                f"telephony.blocking: {trunks.channels} channels are more than one gateway carries; "
                "raise telephony.blocking or lower the demand"))
    return found


def phone_checks(spec: SiteSpec, phones: list[PhoneEntry]) -> list[Check]:
    """Extensions inside the dial plan and used once; the phone model known to the vendor's files."""
    found = []
    past = [p for p in phones if not limits.MIN_EXTENSION <= p.extension <= limits.MAX_EXTENSION]
    if past:
        found.append(_fail(
            "extensions.range", "Phone extensions inside the dial plan", f"up to {max(p.extension for p in past)}",
            f"{limits.MIN_EXTENSION}..{limits.MAX_EXTENSION}", "spec",
            f"phones.extension_start: {spec.phones.extension_start} + {len(phones)} phones runs past "
            f"{limits.MAX_EXTENSION} (8 digits); lower phones.extension_start"))
    twice = sorted(ext for ext, n in Counter(p.extension for p in phones).items() if n > 1)
    if twice:
        macs = [p.mac for p in phones if p.extension == twice[0]]
        found.append(_fail(
            "extensions.unique", "Each phone has its own extension", f"{len(twice)} extension(s) used twice",
            "each once", "spec",
            f"phones: extension {twice[0]} goes to MACs {', '.join(macs)} (an extension given in phones.devices "
            "or phones.macs_file equals one counted from phones.extension_start); change one"))
    model_problem = _phone_model_problem(spec)
    if phones and model_problem:
        found.append(_fail("phones.model", "Phone model known to the vendor's provisioning files",
                           spec.phones.model, model_problem[0], "spec", model_problem[1]))
    return found


def _phone_model_problem(spec: SiteSpec) -> tuple[str, str] | None:
    if spec.phones.vendor != "yealink":
        return None
    # A data table (model → common file number), no rendering code: kept beside the templates it serves.
    from ccinfra.render.phones import YEALINK_COMMON_CODES

    if spec.phones.model.upper().removeprefix("SIP-") in YEALINK_COMMON_CODES:
        return None
    known = ", ".join(sorted(YEALINK_COMMON_CODES))
    return "a Yealink model with a common file", f"phones.model: no known Yealink common file for " \
                                                 f"{spec.phones.model!r}; use one of {known}"


def readiness_checks(spec: SiteSpec, gateways: list[Gateway], trunks: Trunks, phones: list[PhoneEntry]) -> list[Check]:
    """Every ``render.*`` FAIL check of a sized site (empty when render would accept it).

    >>> from ccinfra.spec import parse_spec
    >>> from ccinfra.sizing.site import size
    >>> wide = {"voice_subnet": "10.0.32.0/20", "data_subnet": "10.0.48.0/20"}  # 3,200 phones and PCs
    >>> size(parse_spec({"name": "x", "demand": {"agents": 3000}, "network": wide,
    ...                  "telephony": {"trunk": "e1"}})).checks[-1].detail[:60]
    'telephony.trunk: e1 needs 101 spans for 3023 channels; one g'
    """
    return gateway_checks(gateways, trunks) + phone_checks(spec, phones)
