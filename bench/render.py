"""Render a 2,000-seat site: ccinfra vs Ansible's template module vs a bare Jinja2 loop.

Prints files per second of ``ccinfra render`` (render + every check + manifest + atomic write), then
the time Ansible takes to render the same switch and gateway templates with the same variables
(``ansible.builtin.template``, ``connection: local``, one host per device, variables in host_vars),
and the time of a bare Jinja2 loop over the same templates (no sandbox, no checks, plain writes).
The last line is ``ratio=<Ansible time / ccinfra time>`` for the same switch and gateway files.

    .venv/bin/python bench/render.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from importlib.resources import files
from pathlib import Path

import jinja2
import yaml

from ccinfra.inventory import InventoryHost, inventory_yaml
from ccinfra.plan import Plan
from ccinfra.render import render_build
from ccinfra.render.jobs import plan_jobs
from ccinfra.sizing.site import size
from ccinfra.spec import parse_spec

ROUNDS = 5
TEMPLATES = Path(str(files("ccinfra.templates")))
PLAYBOOK = """\
- name: Render switch and gateway configs with the template module
  hosts: network
  gather_facts: false
  vars:
    ansible_connection: local
    ansible_become: false
    ansible_python_interpreter: {python}
  tasks:
    - name: Render
      ansible.builtin.template:
        src: "{templates}/{{{{ ccinfra_template }}}}"
        dest: "{{{{ ccinfra_out }}}}/{{{{ inventory_hostname }}}}.cfg"
        lstrip_blocks: true
        mode: "0644"
"""


def big_site() -> Plan:
    """1,860 agents + 140 supervisors = 2,000 seats, a phone on each, SIP trunk with an E1 fallback."""
    # 02:00:00 is a locally administered prefix (bit 1 of the first octet): these MACs are made up.
    devices = [{"mac": f"02:00:00:00:{i >> 8:02x}:{i & 0xFF:02x}", "extension": 3000 + i} for i in range(2000)]
    spec = parse_spec({
        "name": "bench", "demand": {"agents": 1860, "supervisors": {"count": 140}},
        # /21 voice and data subnets: 2,000 phones and 2,000 PCs need more than the default /23s
        "network": {"management_subnet": "10.30.96.0/22", "voice_subnet": "10.30.32.0/21",
                    "data_subnet": "10.30.40.0/21"},
        "phones": {"devices": devices, "extension_start": 3000},
        "telephony": {"fallback": "e1", "trunk_erlangs": 200},
    })
    return size(spec)


def best(function, rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def bare_loop(jobs, out: Path) -> None:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, autoescape=jinja2.select_autoescape(["xml.j2"]))
    for job in jobs:
        for fj in job.files:
            path = out / fj.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(env.get_template(fj.template).render(fj.context), encoding="utf-8")


def ansible_run(jobs, work: Path) -> float:
    """Write inventory, host_vars (the same contexts) and a playbook; time ansible-playbook."""
    inventory = work / "inventory"
    (inventory / "host_vars").mkdir(parents=True)
    out = work / "ansible-out"
    out.mkdir()
    hosts = []
    for job in jobs:
        hosts.append(InventoryHost(job.device, "switches" if job.role == "switch" else "gateways", "127.0.0.1"))
        host_vars = {**job.files[0].context, "ccinfra_template": job.files[0].template, "ccinfra_out": str(out)}
        (inventory / "host_vars" / f"{job.device}.yml").write_text(yaml.safe_dump(host_vars, sort_keys=False))
    (inventory / "hosts.yml").write_text(inventory_yaml(hosts))
    (work / "play.yml").write_text(PLAYBOOK.format(python=sys.executable, templates=TEMPLATES))
    env = {**os.environ, "ANSIBLE_NOCOLOR": "1", "ANSIBLE_RETRY_FILES_ENABLED": "false", "ANSIBLE_CONFIG": "",
           "ANSIBLE_LOCAL_TEMP": str(work / "tmp"), "ANSIBLE_HOME": str(work / "home")}
    command = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory / "hosts.yml"),
               str(work / "play.yml")]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"ansible-playbook failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return elapsed


def same_text(a: str, b: str) -> bool:
    return [line.rstrip() for line in a.strip().splitlines()] == [line.rstrip() for line in b.strip().splitlines()]


def main() -> None:
    plan = big_site()
    network_only = plan.model_copy(update={"phones": []})  # the switch and gateway files alone
    jobs = plan_jobs(plan)
    network_jobs = [d for d in plan_jobs(network_only).devices if d.role in ("switch", "gateway")]
    with tempfile.TemporaryDirectory(prefix="ccinfra-bench-") as tmp:
        work = Path(tmp)
        build = render_build(plan, work / "build")
        full_s = best(lambda: render_build(plan, work / "build"))
        net_s = best(lambda: render_build(network_only, work / "build-net"))
        counter = iter(range(10**6))
        bare_s = best(lambda: bare_loop(jobs.devices, work / f"bare-{next(counter)}"))
        bare_net_s = best(lambda: bare_loop(network_jobs, work / f"bare-net-{next(counter)}"))
        ansible_s = ansible_run(network_jobs, work / "ansible")
        texts = {f.path: f.text for f in build.files}
        alike = sum(same_text((work / "ansible" / "ansible-out" / f"{d.device}.cfg").read_text(),
                              texts[d.files[0].path]) for d in network_jobs)
    roles = [d.role for d in jobs.devices]
    print(f"site: {plan.seats.total} seats, {roles.count('switch')} switches, {roles.count('gateway')} gateways, "
          f"{roles.count('phone')} phones -> {len(build.files)} files")
    print(f"ccinfra render, whole build:      {full_s:.3f} s  ({len(build.files) / full_s:,.0f} files/s, "
          "checks and atomic write included)")
    print(f"ccinfra render, {len(network_jobs)} switch+gateway files: {net_s:.3f} s")
    print(f"bare jinja2 loop, whole build:    {bare_s:.3f} s  -> ccinfra / bare = {full_s / bare_s:.2f}x (target <= 2)")
    print(f"bare jinja2 loop, switch+gateway: {bare_net_s:.3f} s  -> ccinfra / bare = {net_s / bare_net_s:.2f}x")
    print(f"ansible-playbook template module, {len(network_jobs)} hosts: {ansible_s:.3f} s "
          f"({alike}/{len(network_jobs)} outputs identical to ccinfra's up to trailing whitespace)")
    print(f"ansible_s / ccinfra_s (same switch+gateway files) = {ansible_s / net_s:.1f}")
    print(f"ratio={ansible_s / net_s:.1f}")


if __name__ == "__main__":
    main()
