"""Render a whole build: every file in memory, every check passed, then one atomic swap into place.

A failed template or check leaves the previous build (or nothing) untouched: files are written to a
staging folder next to the target and moved in with ``ccinfra.fsio.replace_dir_atomic``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccinfra import __version__
from ccinfra.errors import RenderError
from ccinfra.fsio import write_tree_atomic
from ccinfra.manifest import MANIFEST
from ccinfra.plan import Plan
from ccinfra.render.checks import RenderedFile, check_build
from ccinfra.render.env import make_environment, render_template
from ccinfra.render.jobs import BuildJobs, plan_jobs
from ccinfra.render.source import plan_sha256

MANIFEST_SCHEMA = "ccinfra.manifest/1"
PLAN_FILE = "plan.json"  # the plan a build came from (its sha256 is the manifest's plan_sha256)


@dataclass
class Build:
    """The files of a build (in memory) and its manifest."""

    files: list[RenderedFile]
    manifest: dict[str, Any]
    plan_json: str = ""  # written as plan.json: what discover and audit asbuilt read from a build

    @property
    def warnings(self) -> list[str]:
        return list(self.manifest["warnings"])


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _manifest(plan: Plan, jobs: BuildJobs, files: list[RenderedFile]) -> dict[str, Any]:
    digests = {f.path: sha256_text(f.text) for f in files}
    devices = []
    for job in jobs.devices:
        entry: dict[str, Any] = {
            "device": job.device, "role": job.role, "platform": job.platform,
            "path": job.files[0].path, "sha256": digests[job.files[0].path], **job.facts,
        }
        if len(job.files) > 1:
            entry["files"] = [{"path": j.path, "sha256": digests[j.path]} for j in job.files]
        devices.append(entry)
    shared = [{"platform": platform, "path": j.path, "sha256": digests[j.path]} for platform, j in jobs.shared]
    return {
        "schema": MANIFEST_SCHEMA, "site": plan.site, "plan_sha256": plan_sha256(plan),
        "ccinfra_version": __version__, "devices": devices, "shared": shared, "warnings": jobs.warnings,
    }


def render_plan(plan: Plan, templates_dir: str | Path | None = None) -> Build:
    """Render and check every file of ``plan`` in memory; nothing is written.

    >>> from importlib.resources import files
    >>> from ccinfra.render.source import load_source
    >>> build = render_plan(load_source(str(files("ccinfra.examples") / "site.yaml")))
    >>> build.manifest["devices"][0]["path"], build.files[0].text.splitlines()[5]
    ('switches/lisbon-as01.cfg', 'hostname lisbon-as01')
    """
    env = make_environment(templates_dir)
    jobs = plan_jobs(plan)
    files = []
    for job in jobs.devices:
        for fj in job.files:
            text = render_template(env, fj.template, fj.context, job.device)
            files.append(RenderedFile(job.device, job.role, job.platform, fj.path, fj.kind, text, fj.context))
    for platform, fj in jobs.shared:
        name = fj.path.rsplit("/", 1)[-1]
        text = render_template(env, fj.template, fj.context, name)
        files.append(RenderedFile(name, "shared", platform, fj.path, fj.kind, text, fj.context))
    check_build(files)
    return Build(files, _manifest(plan, jobs, files), json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n")


def _ensure_replaceable(target: Path) -> None:
    """Refuse to replace a folder that is not an earlier build (e.g. ``-o .`` by mistake)."""
    if not target.exists():
        return
    if not target.is_dir():
        raise RenderError(f"-o {target}: exists and is not a folder; give a build folder such as build/")
    if any(target.iterdir()) and not (target / MANIFEST).is_file():
        raise RenderError(f"-o {target}: not empty and not an earlier build (no {MANIFEST}); "
                          "give a new or empty folder such as build/")


def write_build(build: Build, out_dir: str | Path) -> Path:
    """Write ``build`` into ``out_dir`` atomically: all files and the manifest appear at once, or none."""
    target = Path(out_dir).absolute()
    _ensure_replaceable(target)
    texts = {f.path: f.text for f in build.files}
    texts[MANIFEST] = json.dumps(build.manifest, indent=2, ensure_ascii=False) + "\n"
    if build.plan_json:
        texts[PLAN_FILE] = build.plan_json
    return write_tree_atomic(target, texts)


def render_build(plan: Plan, out_dir: str | Path, templates_dir: str | Path | None = None) -> Build:
    """Render, check and write the build of ``plan`` into ``out_dir``; return it (files and manifest)."""
    build = render_plan(plan, templates_dir)
    write_build(build, out_dir)
    return build
