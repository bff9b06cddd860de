"""The list of files a Plan turns into: which device, which template, which context, which path.

Paths are relative to the build folder: ``switches/<name>.cfg``, ``gateways/<name>.cfg`` (an Asterisk
SIP gateway: ``gateways/<name>.pjsip.conf``),
``phones/<vendor file name>``. The manifest, the inventory and the lab read the same layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ccinfra.plan import Plan
from ccinfra.render import phones as ph
from ccinfra.render.context import gateway_context, plan_spec, site_context, switch_context

SWITCH_DIR = "switches"
GATEWAY_DIR = "gateways"
PHONE_DIR = "phones"
GATEWAY_TEMPLATES = {"sip": "gateway/cube.cfg.j2", "pri": "gateway/pri.cfg.j2"}
ASTERISK_TEMPLATE = "gateway/asterisk_pjsip.conf.j2"


@dataclass(frozen=True)
class FileJob:
    """One file to render: where it goes, from which template, with which context, checked as which kind."""

    path: str
    template: str
    context: dict[str, Any]
    kind: str  # "ios" | "pjsip" | "xml" | "yealink"


@dataclass
class DeviceJob:
    """One device and its files (the main file first), plus the facts the manifest records about it."""

    device: str
    role: str  # "switch" | "gateway" | "phone"
    platform: str
    files: list[FileJob]
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass
class BuildJobs:
    devices: list[DeviceJob]
    shared: list[tuple[str, FileJob]]  # (platform, file) read by many phones
    warnings: list[str]


def switch_path(name: str) -> str:
    """>>> switch_path("lisbon-as01")
    'switches/lisbon-as01.cfg'
    """
    return f"{SWITCH_DIR}/{name}.cfg"


def gateway_path(name: str, platform: str = "cisco_ios") -> str:
    """>>> gateway_path("lisbon-gw01"), gateway_path("lisbon-gw01", "asterisk")
    ('gateways/lisbon-gw01.cfg', 'gateways/lisbon-gw01.pjsip.conf')
    """
    return f"{GATEWAY_DIR}/{name}.pjsip.conf" if platform == "asterisk" else f"{GATEWAY_DIR}/{name}.cfg"


def _switch_jobs(plan: Plan, site: dict[str, Any]) -> list[DeviceJob]:
    jobs = []
    for i, switch in enumerate(plan.network.switches):
        ctx = switch_context(site, switch, i)
        jobs.append(DeviceJob(
            ctx["hostname"], "switch", "cisco_ios",
            [FileJob(switch_path(ctx["hostname"]), "switch/cisco_ios.cfg.j2", ctx, "ios")],
            {"management_ip": ctx["management_ip"], "model": ctx["model"]},
        ))
    return jobs


def _gateway_jobs(plan: Plan, site: dict[str, Any]) -> list[DeviceJob]:
    jobs = []
    for i, gateway in enumerate(plan.gateways):
        ctx = gateway_context(site, gateway, i, plan.trunks.blocking_target)
        asterisk = ctx["platform"] == "asterisk"
        template = ASTERISK_TEMPLATE if asterisk else GATEWAY_TEMPLATES[gateway.role]
        jobs.append(DeviceJob(
            ctx["hostname"], "gateway", ctx["platform"],
            [FileJob(gateway_path(ctx["hostname"], ctx["platform"]), template, ctx, "pjsip" if asterisk else "ios")],
            {"management_ip": ctx["management_ip"], "gateway_role": gateway.role, "channels": ctx["channels"]},
        ))
    return jobs


def _phone_jobs(plan: Plan, shared: dict[str, Any]) -> list[DeviceJob]:
    vendor = shared["vendor"]
    jobs = []
    for i, entry in enumerate(plan.phones):
        ctx = ph.phone_context(shared, entry, i)
        files = [FileJob(f"{PHONE_DIR}/{f.name}", f.template, ctx, f.kind) for f in ph.device_files(vendor, ctx["mac"])]
        jobs.append(DeviceJob(ctx["mac"], "phone", ph.PLATFORMS[vendor], files,
                              {"mac": ctx["mac"], "extension": ctx["extension"], "seat": ctx["seat"] or None}))
    return jobs


def phone_warnings(plan: Plan, unsupported_codecs: list[str], vendor: str) -> list[str]:
    """Seats without a phone MAC (no file is rendered for them; MACs are never invented), spares, codecs."""
    warnings = []
    with_phone = {p.seat for p in plan.phones if p.seat}
    missing = [s.id for s in plan.seats.seats if s.id not in with_phone]
    if missing:
        shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
        warnings.append(
            f"{len(missing)} of {plan.seats.total} seats have no phone MAC ({shown}): no phone file is rendered "
            "for them; list their MACs in phones.devices or phones.macs_file"
        )
    spares = sum(1 for p in plan.phones if not p.seat)
    if spares:
        warnings.append(f"{spares} phone MACs have no seat: their files are rendered as spares")
    if unsupported_codecs:
        warnings.append(f"{vendor} phones cannot offer {', '.join(unsupported_codecs)}: they fall back to G.711")
    return warnings


def plan_jobs(plan: Plan) -> BuildJobs:
    """Every file of the build for ``plan``, values re-validated on the way.

    >>> from ccinfra.render.source import load_source
    >>> from importlib.resources import files
    >>> jobs = plan_jobs(load_source(str(files("ccinfra.examples") / "site.yaml")))
    >>> [(d.role, d.files[0].path) for d in jobs.devices][:1]
    [('switch', 'switches/lisbon-as01.cfg')]
    """
    spec = plan_spec(plan)
    site = site_context(plan, spec)
    shared = ph.phones_context(site, spec)
    devices = _switch_jobs(plan, site) + _gateway_jobs(plan, site) + _phone_jobs(plan, shared)
    platform = ph.PLATFORMS[shared["vendor"]]
    common = [
        (platform, FileJob(f"{PHONE_DIR}/{f.name}", f.template, {**shared, **extra}, f.kind))
        for f, extra in ph.shared_files(shared["vendor"], shared["model"])
    ] if plan.phones else []
    warnings = phone_warnings(plan, shared["unsupported_codecs"], shared["vendor"])
    warnings += ph.platform_warnings(shared, {g.platform for g in plan.gateways})
    return BuildJobs(devices, common, warnings)
