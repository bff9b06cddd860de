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
from ccinfra.fsio import real_output_dir, write_tree_atomic, written_by_ccinfra
from ccinfra.manifest import MANIFEST
from ccinfra.plan import Plan
from ccinfra.render.checks import RenderedFile, check_build
from ccinfra.render.env import make_environment, render_template
from ccinfra.render.jobs import BuildJobs, plan_jobs
from ccinfra.render.source import plan_sha256
from ccinfra.safeload import load_json_text

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


def refuse_unready(plan: Plan) -> None:
    """What ``size`` reports as ``render.*`` FAIL checks, refused in the site's own terms before any template runs."""
    from ccinfra.render.context import plan_spec
    from ccinfra.sizing.readiness import readiness_checks

    fails = readiness_checks(plan_spec(plan), plan.gateways, plan.trunks, plan.phones)
    if fails:
        more = f" (and {len(fails) - 1} more)" if len(fails) > 1 else ""
        raise RenderError(f"nothing written: {fails[0].detail}{more}")


def render_plan(plan: Plan, templates_dir: str | Path | None = None) -> Build:
    """Render and check every file of ``plan`` in memory; nothing is written.

    >>> from importlib.resources import files
    >>> from ccinfra.render.source import load_source
    >>> build = render_plan(load_source(str(files("ccinfra.examples") / "site.yaml")))
    >>> build.manifest["devices"][0]["path"], build.files[0].text.splitlines()[5]
    ('switches/lisbon-as01.cfg', 'hostname lisbon-as01')
    """
    refuse_unready(plan)
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


def _manifest_files(manifest: dict[str, Any]) -> dict[str, str | None]:
    """Relative path → sha256 of every file a build manifest lists (itself included, without a digest)."""
    # plan.json is the build's own too; the manifest pins it by plan_sha256 (canonical JSON), not by file digest
    files: dict[str, str | None] = {MANIFEST: None, PLAN_FILE: None}
    for entry in list(manifest.get("devices") or []) + list(manifest.get("shared") or []):
        if isinstance(entry, dict):
            for item in [entry] + [f for f in entry.get("files") or [] if isinstance(f, dict)]:
                if isinstance(item.get("path"), str):
                    files[item["path"]] = item.get("sha256") if isinstance(item.get("sha256"), str) else None
    return files


def _refuse(target: Path, why: str) -> RenderError:
    return RenderError(f"-o {target}: {why}; nothing was written. Give a new or empty folder, or move that away")


def check_replaceable(target: Path, site: str) -> list[Path]:
    """Refuse to replace a folder that is not an earlier, untouched ccinfra build of ``site``.

    It may be replaced when its ``manifest.json`` has ccinfra's schema and this site, and every file
    in it is one the manifest lists with an unchanged SHA-256. Other files that ccinfra wrote (a lab
    inventory, its known_hosts) are kept: their relative paths are returned.
    """
    if not target.exists():
        return []
    if not target.is_dir():
        raise _refuse(target, "exists and is not a folder")
    present = sorted(p for p in target.rglob("*") if p.is_file() or p.is_symlink())
    if not present:
        return []
    where = target / MANIFEST
    if not where.is_file():
        raise _refuse(target, f"not empty and not an earlier build (no {MANIFEST})")
    try:
        manifest = load_json_text(where.read_text(encoding="utf-8"), str(where), RenderError,
                                  "-o {where} is not JSON; not a ccinfra build, nothing was written")
    except (OSError, UnicodeDecodeError) as err:
        raise _refuse(target, f"{MANIFEST} cannot be read ({err.__class__.__name__})") from None
    if not isinstance(manifest, dict) or manifest.get("schema") != MANIFEST_SCHEMA:
        raise _refuse(target, f"{MANIFEST} is not one ccinfra wrote (no \"schema\": \"{MANIFEST_SCHEMA}\")")
    if manifest.get("site") != site:
        raise _refuse(target, f"holds the build of site {str(manifest.get('site'))[:40]!r}, not {site!r}")
    listed, keep = _manifest_files(manifest), []
    for path in present:
        relative = path.relative_to(target).as_posix()
        if relative not in listed:
            if path.is_symlink() or not written_by_ccinfra(path):
                raise _refuse(target, f"{relative} is not part of the build ccinfra wrote")
            keep.append(Path(relative))
        elif listed[relative] and (path.is_symlink() or sha256_file(path) != listed[relative]):
            raise _refuse(target, f"{relative} was changed after ccinfra wrote it")
    return keep


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_build(build: Build, out_dir: str | Path) -> Path:
    """Write ``build`` into ``out_dir`` atomically: all files and the manifest appear at once, or none.

    A symlinked ``out_dir`` is followed; the folder is replaced only under :func:`check_replaceable`.
    """
    target = real_output_dir(out_dir)
    keep = check_replaceable(target, build.manifest["site"])
    texts = {f.path: f.text for f in build.files}
    texts[MANIFEST] = json.dumps(build.manifest, indent=2, ensure_ascii=False) + "\n"
    if build.plan_json:
        texts[PLAN_FILE] = build.plan_json
    return write_tree_atomic(target, texts, [k for k in keep if k.as_posix() not in texts])


def render_build(plan: Plan, out_dir: str | Path, templates_dir: str | Path | None = None) -> Build:
    """Render, check and write the build of ``plan`` into ``out_dir``; return it (files and manifest)."""
    build = render_plan(plan, templates_dir)
    write_build(build, out_dir)
    return build
