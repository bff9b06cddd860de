"""Render device files from a Plan: access switches, voice gateways, IP phones; checked before they are written.

Typical use::

    from ccinfra.render import load_source, render_build
    build = render_build(load_source("examples/site.yaml"), "build/")
    print(build.manifest["devices"][0]["path"])   # switches/lisbon-as01.cfg

Rendering knows nothing of SSH: it turns a Plan into files and a ``manifest.json``.
"""

from ccinfra.render.build import MANIFEST, Build, render_build, render_plan, write_build
from ccinfra.render.checks import RenderedFile, check_build
from ccinfra.render.source import is_plan_file, load_source, plan_sha256

__all__ = [
    "MANIFEST", "Build", "RenderedFile", "check_build", "is_plan_file", "load_source", "plan_sha256",
    "render_build", "render_plan", "write_build",
]
