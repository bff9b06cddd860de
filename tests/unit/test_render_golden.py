"""Golden files: every bundled template rendered for the example site, compared byte for byte.

The files under tests/golden/render/<case>/ were read once by a person, as a network engineer would
read them before loading them on a switch, a CUBE or a phone. After an intended template change,
regenerate them and review the diff:

    CCINFRA_REGEN_GOLDEN=1 .venv/bin/pytest -q tests/unit/test_render_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ccinfra.render import render_plan
from ccinfra.sizing.site import size
from ccinfra.spec import load_spec

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "render"
REGEN = os.environ.get("CCINFRA_REGEN_GOLDEN") == "1"


def _lisbon(example_site: Path, **changes: dict) -> object:
    spec = load_spec(example_site)
    for section, values in changes.items():
        # set together: a phone model is checked against its vendor
        setattr(spec, section, getattr(spec, section).model_copy(update=values))
    return size(spec)


# case → (changes to the example site, files to compare). Together they use every bundled template:
# switch (phones: Cisco, and a non-Cisco vendor), CUBE, Asterisk pjsip.conf, PRI E1 and T1, each vendor's phone files.
CASES = {
    "lisbon": ({}, [
        "switches/lisbon-as01.cfg", "switches/lisbon-as04.cfg", "gateways/lisbon-gw01.cfg",
        "gateways/lisbon-gw02.cfg", "phones/SEP001B54C00001.cnf.xml", "phones/SEP001B54C00082.cnf.xml",
    ]),
    "lisbon-yealink": ({"phones": {"vendor": "yealink", "model": "T54W"}}, [
        "switches/lisbon-as01.cfg", "phones/001b54c00001.cfg", "phones/y000000000096.cfg",
    ]),
    "lisbon-polycom": ({"phones": {"vendor": "polycom", "model": "VVX450"}}, [
        "phones/001b54c00001.cfg", "phones/001b54c00001-phone.cfg", "phones/000000000000.cfg",
        "phones/ccinfra-site.cfg",
    ]),
    "lisbon-t1": ({"telephony": {"fallback": "t1"}}, ["gateways/lisbon-gw02.cfg"]),
    # The SIP gateway on Asterisk (pjsip.conf); the E1 fallback stays an IOS PRI gateway.
    "lisbon-asterisk": ({"telephony": {"gateway_platform": "asterisk"}}, ["gateways/lisbon-gw01.pjsip.conf"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_rendered_files_match_golden(case, example_site):
    changes, paths = CASES[case]
    build = render_plan(_lisbon(example_site, **changes))
    texts = {f.path: f.text for f in build.files}
    for path in paths:
        golden = GOLDEN / case / path
        if REGEN:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(texts[path], encoding="utf-8")
        assert golden.is_file(), f"missing golden file {golden}; regenerate with CCINFRA_REGEN_GOLDEN=1"
        assert texts[path] == golden.read_text(encoding="utf-8"), (
            f"{case}/{path} differs from its golden file; if the change is intended, regenerate "
            "(CCINFRA_REGEN_GOLDEN=1) and review the diff"
        )


def test_every_bundled_template_has_a_golden_file(example_site):
    from importlib.resources import files

    bundled = {str(p.relative_to(Path(str(files("ccinfra.templates")))))
               for p in Path(str(files("ccinfra.templates"))).rglob("*.j2")}
    used = set()
    for changes, _paths in CASES.values():
        from ccinfra.render.jobs import plan_jobs

        jobs = plan_jobs(_lisbon(example_site, **changes))
        used |= {f.template for d in jobs.devices for f in d.files} | {f.template for _, f in jobs.shared}
    assert {t for t in bundled if not t.startswith("report/")} <= used
