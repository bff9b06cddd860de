"""Everything a report shows, gathered from a Plan into plain data (the templates only lay it out).

The report reads the plan; it never sizes anything itself. Hashes make it reproducible:
``plan_sha256`` is the SHA-256 of the exact bytes ``ccinfra size SITE --format json`` prints, and
``inputs_sha256`` that of the file the report was made from (site YAML or plan JSON).
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ccinfra import __version__, standards
from ccinfra.errors import SpecError
from ccinfra.fsio import read_input_bytes
from ccinfra.plan import Plan, load_plan
from ccinfra.cost.pricebook import PriceBook
from ccinfra.report import charts
from ccinfra.report.cost import cabling_results, cabling_section, cost_answers, cost_results, cost_section
from ccinfra.report.floorplan import floor_plan_svg, seat_ports
from ccinfra.report.formulas import all_results
from ccinfra.report.formatting import num, pct
from ccinfra.report.week import week_report

KIND_ORDER = ("seed", "standard", "vendor", "practice", "math", "input")
LONG_LIST = 8  # lists of records longer than this fold away in the inputs table


@dataclass(frozen=True)
class ReportSource:
    """The file a report was made from: its name as given, its kind and its SHA-256."""

    name: str
    kind: str  # "site" | "plan"
    sha256: str


def plan_json_text(plan: Plan) -> str:
    """The plan exactly as ``ccinfra size SITE --format json`` prints it (so ``sha256sum`` agrees)."""
    return json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n"


def sha256_hex(data: bytes | str) -> str:
    """
    >>> sha256_hex("abc")[:16]
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def load_report_input(path: str | Path) -> tuple[Plan, ReportSource]:
    """A plan from a site YAML (sized here, once) or from a plan JSON, with the input file's hash.

    A ``.json`` file, or any file starting with ``{``, is read as a plan; anything else as a site YAML.
    """
    # Imported here so that reading a plan.json does not need the sizing code at all.
    from ccinfra.sizing.site import size_file

    file = Path(path)
    data = read_input_bytes(file, "give a site YAML (examples/site.yaml) or a plan.json")
    is_plan = file.suffix.lower() == ".json" or data.lstrip()[:1] == b"{"
    plan = load_plan(file) if is_plan else size_file(str(file))
    return plan, ReportSource(str(path), "plan" if is_plan else "site", sha256_hex(data))


def generated_now() -> str:
    """UTC time of generation, ISO 8601; ``SOURCE_DATE_EPOCH`` (reproducible-builds.org) fixes it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise SpecError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}") from None
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def source_info(source_id: str) -> dict[str, str]:
    """Kind and citation of a rule id; ``spec`` (and other non-rule ids) are values the user gave."""
    src = standards.SOURCES.get(source_id)
    if src is not None:
        return {"id": src.id, "kind": src.kind, "citation": src.citation}
    if source_id == "spec":
        return {"id": "spec", "kind": "input", "citation": "value given in the site description"}
    return {"id": source_id, "kind": "input", "citation": f"given as {source_id}"}


# ---------------------------------------------------------------------------- sections
def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return num(value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_value(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) if value else "—"
    return str(value)


def _flatten(data: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            rows += _flatten(value, name)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            items = [_value(v) for v in value]
            if len(items) > LONG_LIST:
                rows.append({"key": name, "value": f"{len(items)} entries", "items": items})
            else:
                rows += [{"key": f"{name}[{i}]", "value": item, "items": []} for i, item in enumerate(items)]
        else:
            rows.append({"key": name, "value": _value(value), "items": []})
    return rows


def input_sections(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The site description as tables: one per top-level key, dotted names, lists of records folded."""
    top = [{"key": k, "value": _value(v), "items": []} for k, v in spec.items() if not isinstance(v, dict)]
    sections = [{"name": "site", "rows": top}] if top else []
    sections += [{"name": k, "rows": _flatten(v, k)} for k, v in spec.items() if isinstance(v, dict)]
    return sections


def key_answers(plan: Plan) -> list[dict[str, str]]:
    """The handful of figures a reader wants first."""
    s, se, f, n, v, t = plan.staffing, plan.seats, plan.floor, plan.network, plan.voip, plan.trunks
    answers = []
    if s.mode == "forecast":
        answers.append({"label": "Agents on the phones", "value": str(s.agents_on_phone),
                        "note": f"{num(s.traffic_erlangs)} E offered; SL {pct(s.service_level)} in "
                                f"{num(s.target_answer_s)} s"})
    answers += [
        {"label": "Scheduled agents", "value": str(s.scheduled_agents), "note": f"shrinkage {pct(s.shrinkage, 0)}"},
        {"label": "Seats", "value": str(se.total),
         "note": f"{se.agents} agents + {se.growth_seats} growth + {se.supervisors} supervisors"},
        {"label": "Floor area", "value": f"{num(f.required_area_m2)} m²", "note": f"at {num(f.area_per_agent_m2)} m² per seat"
         + (f"; room {num(f.room_area_m2)} m², {'fits' if f.fits else 'does NOT fit'}" if f.room_area_m2 else "")},
        {"label": "Access switches", "value": str(n.switch_count),
         "note": f"{n.ports_with_spare} ports with spare; PoE {num(n.poe_total_w)} W"},
        {"label": "Voice bandwidth", "value": f"{num(v.total_kbps / 1000, 3)} Mbit/s",
         "note": f"{v.concurrent_calls} calls × {num(v.per_call_kbps)} kbit/s ({v.codec}), per direction"},
        {"label": "Trunk channels", "value": str(t.channels),
         "note": f"{num(t.traffic_erlangs, 4)} E at {pct(t.blocking_target, 1)} blocking; {t.e1_spans} E1 / {t.t1_pri_spans} T1"},
    ]
    if plan.schedule is not None:  # a week of intervals: the schedule's cost in hours
        sc = plan.schedule
        answers.insert(0, {"label": "Paid hours a week", "value": f"{num(sc.paid_hours)} h",
                           "note": f"{sc.status} schedule, peak {sc.peak_on_duty} on duty, LP bound "
                                   f"{num(sc.lp_bound_hours)} h"})
    g = plan.grounding
    ok = sum(1 for r in g.readings if r.meets_target)
    answers.append({"label": "Earth electrodes within target",
                    "value": f"{ok} / {len(g.readings)}" if g.readings else "not measured",
                    "note": f"target ≤ {num(g.target_ohm)} Ω ({g.target_source})"})
    return answers


def _checks(plan: Plan) -> list[dict[str, Any]]:
    return [{**c.model_dump(mode="json"), "source_info": source_info(c.source)} for c in plan.checks]


def _results(plan: Plan, cost: dict[str, Any]) -> list[dict[str, Any]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in all_results(plan) + cabling_results(plan) + cost_results(cost):
        grouped[r.section].append({**r.to_dict(), "source_infos": [source_info(s) for s in r.sources]})
    return [{"section": name, "results": rows} for name, rows in grouped.items()]


def _used_sources(plan: Plan, results: list[dict[str, Any]]) -> list[dict[str, str]]:
    ids = set()
    for section in (plan.staffing, plan.floor, plan.desks, plan.grounding, plan.network, plan.voip, plan.trunks):
        ids.update(section.sources)
    ids.update(c.source for c in plan.checks)
    ids.update(s for group in results for r in group["results"] for s in r["sources"])
    infos = [source_info(i) for i in ids]
    rank = {k: i for i, k in enumerate(KIND_ORDER)}
    return sorted(infos, key=lambda s: (rank.get(s["kind"], 99), s["id"]))


def _seat_rows(plan: Plan) -> list[dict[str, Any]]:
    ports = seat_ports(plan)
    placed = {p.seat: p for p in plan.floor.layout}
    phones = {p.seat: p for p in plan.phones if p.seat}
    room = plan.floor.room_area_m2 is not None
    rows = []
    for seat in plan.seats.seats:
        sp, pos, phone = ports.get(seat.id), placed.get(seat.id), phones.get(seat.id)
        rows.append({
            "seat": seat.id, "kind": seat.kind,
            "position": f"row {pos.row}, desk {pos.col}" if pos else ("not placed" if room else "—"),
            "switch": sp.switch if sp else "—", "port": sp.interface if sp else "—",
            "more_ports": ", ".join(sp.extra_ports) if sp and sp.extra_ports else "",
            "extension": str(phone.extension) if phone else "—", "mac": phone.mac if phone else "—",
        })
    return rows


def _reproduce(plan_source: ReportSource, fmt: str, output: str | None) -> dict[str, str]:
    name = shlex.quote(plan_source.name)
    out = shlex.quote(output or f"report.{'md' if fmt == 'md' else fmt}")
    verify = (f"ccinfra size {name} --format json | sha256sum" if plan_source.kind == "site" else f"sha256sum {name}")
    return {"command": f"ccinfra report {name} --format {fmt} -o {out}", "verify_plan": verify,
            "verify_input": f"sha256sum {name}"}


def _also_read(plan: Plan, source: ReportSource) -> list[str]:
    """Files the site YAML pulls in (phone MACs); their content is in the plan, so in the plan hash."""
    macs = (plan.spec.get("phones") or {}).get("macs_file")
    return [macs] if macs and source.kind == "site" else []


def build_report(plan: Plan, source: ReportSource, fmt: str = "html", output: str | None = None,
                 generated: str | None = None, prices: PriceBook | None = None,
                 prices_source: ReportSource | None = None) -> dict[str, Any]:
    """All the data of one report (the same for HTML, Markdown and JSON); the Cost section is priced with ``prices``."""
    plan_text = plan_json_text(plan)
    cost = cost_section(plan, prices)
    results = _results(plan, cost)
    counts = Counter(c.status for c in plan.checks)
    overall = "fail" if counts["fail"] else "warn" if counts["warn"] else "pass"
    sl_points = charts.service_level_points(plan)
    codec_rows = charts.codec_bandwidths(plan)
    poe_rows = charts.poe_by_switch(plan)
    f = plan.floor
    return {
        "site": plan.site,
        "description": plan.spec.get("description") or "",
        "ccinfra_version": __version__,
        "plan_ccinfra_version": plan.ccinfra_version,
        "generated": generated or generated_now(),
        "source": {"name": source.name, "kind": source.kind, "sha256": source.sha256},
        "plan_sha256": sha256_hex(plan_text),
        "reproduce": _with_prices(_reproduce(source, fmt, output), prices_source),
        "also_read": _also_read(plan, source),
        "overall": overall,
        "counts": {k: counts.get(k, 0) for k in ("pass", "warn", "fail", "info")},
        "answers": key_answers(plan) + cost_answers(plan, cost),
        "inputs": input_sections(plan.spec),
        "results": results,
        "checks": _checks(plan),
        "warnings": list(plan.warnings),
        "sources": _used_sources(plan, results),
        "floor": {
            "svg": floor_plan_svg(plan), "placed": len(f.layout), "seats": plan.seats.total,
            "room": f.room_area_m2 is not None, "rows": _seat_rows(plan),
        },
        "charts": {
            "service_level": {"svg": charts.service_level_svg(plan, sl_points), "points": sl_points},
            "codecs": {"svg": charts.codec_svg(plan, codec_rows), "rows": codec_rows},
            "poe": {"svg": charts.poe_svg(poe_rows), "rows": poe_rows},
        },
        "cabling": cabling_section(plan),
        "cost": cost,
        "week": week_report(plan),
        "plan": plan,
        "asbuilt": None,  # the as-built audit section, when the report is given its JSON
    }


def _with_prices(reproduce: dict[str, str], prices: ReportSource | None) -> dict[str, str]:
    """The price book in the command, and its hash to check (it is not part of the plan)."""
    if prices is not None:
        reproduce["command"] += f" --prices {shlex.quote(prices.name)}"
        reproduce["verify_prices"] = f"sha256sum {shlex.quote(prices.name)}"
        reproduce["prices_sha256"] = prices.sha256
    return reproduce


def report_json(report: dict[str, Any], plan: Plan) -> dict[str, Any]:
    """The machine form: the plan, its checks, hashes, version and time, plus the worked formulas."""
    return {
        "plan": plan.to_dict(),
        "checks": [c.model_dump(mode="json") for c in plan.checks],
        "inputs_sha256": report["source"]["sha256"],
        "plan_sha256": report["plan_sha256"],
        "ccinfra_version": report["ccinfra_version"],
        "generated": report["generated"],
        "input": report["source"],
        "reproduce": report["reproduce"],
        "summary": {"overall": report["overall"], "counts": report["counts"], "answers": report["answers"]},
        "results": [r for group in report["results"] for r in group["results"]],
        "sources": report["sources"],
        **({"cost": report["cost"]["json"]["cost"], "bom": report["cost"]["json"]["bom"]}
           if report["cost"]["priced"] else {}),
    }
