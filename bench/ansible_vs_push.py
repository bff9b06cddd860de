"""ccinfra push vs ansible-playbook push_network.yml: the same build, 50 lab twins over real SSH.

Both tools start from fresh, identical devices (each measurement gets its own fleet) and push the
same 50 switch configs:
  * ``ccinfra push BUILD --commit --workers N`` (netmiko: backup, hier-config remediation, send
    with error checks, verify, write memory);
  * ``ansible-playbook push_network.yml --forks N`` (cisco.ios over network_cli/paramiko: read
    running, plan, backup, ios_config, copy run start when modified).
Then each tool runs again on its now-configured devices (nothing to change). Each run is checked:
every intended line on every device, startup saved, nothing failed.

The last line is ``ratio=<ansible time ÷ ccinfra time>`` for the first (changing) push.
The lab runs in a child process, so its event loop does not share a GIL with either tool.
Usage: ``.venv/bin/python bench/ansible_vs_push.py [--devices 50] [--ports 24]``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import re
import subprocess
import sys
import tempfile
import time
from importlib.resources import files
from pathlib import Path

USER, PASSWORD, SECRET = "bench", "bench-pw", "bench-en"
BIN = Path(sys.executable).parent


def initial_config(name: str) -> str:
    return f"hostname {name}\n!\nline vty 0 4\n login local\n transport input ssh\n!\nend\n"


def intended_config(name: str, ports: int) -> str:
    """An access switch of a contact-center floor: data + voice VLANs on every agent port."""
    lines = [f"hostname {name}", "!", "vlan 10", " name DATA", "!", "vlan 20", " name VOICE", "!"]
    for p in range(1, ports + 1):
        lines += [f"interface GigabitEthernet1/0/{p}", f" description agent seat {p}", " switchport mode access",
                  " switchport access vlan 10", " switchport voice vlan 20", " spanning-tree portfast", "!"]
    lines += ["ip domain name cc.example", "!", "line vty 0 4", " login local", " transport input ssh", "!", "end"]
    return "\n".join(lines) + "\n"


def write_build(folder: Path, names: list[str], ports: int) -> Path:
    build = folder / "build"
    (build / "switches").mkdir(parents=True, exist_ok=True)
    devices = []
    for name in names:
        (build / "switches" / f"{name}.cfg").write_text(intended_config(name, ports))
        devices.append({"device": name, "role": "switch", "platform": "cisco_ios", "path": f"switches/{name}.cfg"})
    (build / "manifest.json").write_text(json.dumps({"devices": devices}))
    return build


def serve(names: list[str], folder: str, ready: mp.Queue, stop: mp.Event, report: mp.Queue) -> None:
    """Child process: run fresh twins, write inventory + known_hosts, then report their configs."""
    import logging

    from ccinfra.lab import DeviceSpec, LabFleet

    # A client that closes its session without a goodbye makes asyncio log "socket.send() raised
    # exception." once per device: noise here, not an error.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)

    specs = [DeviceSpec(n, initial_config=initial_config(n)) for n in names]
    with LabFleet(specs, username=USER, password=PASSWORD, secret=SECRET) as fleet:
        home = Path(folder) / "home"
        (home / ".ssh").mkdir(parents=True, exist_ok=True)
        fleet.write_inventory(Path(folder) / "inventory.yaml", build_dir=Path(folder) / "build",
                              known_hosts_path=home / ".ssh" / "known_hosts")
        ready.put(True)
        stop.wait()
        report.put({d.name: (d.running_config, d.startup_config) for d in fleet})


def timed(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=1800)
    return time.perf_counter() - start, done


def check(configs: dict, names: list[str], ports: int) -> None:
    for name in names:
        running, startup = configs[name]
        wanted = {line for line in intended_config(name, ports).splitlines() if line not in ("!", "end")}
        missing = wanted - set(running.splitlines())
        if missing or running != startup:
            raise SystemExit(f"{name}: {len(missing)} intended lines missing or not saved after the push")


def measure(tool: str, names: list[str], ports: int, workers: int) -> tuple[float, float, str]:
    """(first push s, second push s, summary) for one tool on its own fresh fleet."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{tool}-") as tmp:
        folder = Path(tmp)
        build = write_build(folder, names, ports)
        ctx = mp.get_context("spawn")
        ready, report, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
        child = ctx.Process(target=serve, args=(names, tmp, ready, stop, report))
        child.start()
        try:
            ready.get(timeout=120)
            env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
            env.update(CCINFRA_USERNAME=USER, CCINFRA_PASSWORD=PASSWORD, CCINFRA_SECRET=SECRET)
            if tool == "ccinfra":
                argv = [str(BIN / "ccinfra"), "push", str(build), "-i", str(folder / "inventory.yaml"), "--commit",
                        "--workers", str(workers), "--backup-dir", str(folder / "backups")]
            else:
                env.update(HOME=str(folder / "home"), ANSIBLE_CONFIG=str(Path(__file__).parents[1] / "ansible.cfg"))
                argv = [str(BIN / "ansible-playbook"), "-i", str(folder / "inventory.yaml"),
                        str(files("ccinfra.playbooks") / "push_network.yml"), "--forks", str(workers),
                        "-e", json.dumps({"ccinfra_backup_dir": str(folder / "backups")})]
            first_s, first = timed(argv, env, folder)
            second_s, second = timed(argv, env, folder)
            for run in (first, second):
                if run.returncode != 0:
                    why = [line for line in run.stdout.splitlines() if line.startswith(("fatal:", "failed:"))]
                    raise SystemExit(f"{tool} failed (exit {run.returncode}):\n" + "\n".join(why)[:3000] +
                                     f"\n{run.stdout[-1500:]}\n{run.stderr[-2000:]}")
            summary = ""
            if tool == "ansible":
                changed = sum(int(n) for n in re.findall(r"changed=(\d+)", second.stdout.split("PLAY RECAP")[1]))
                summary = f"second run changed={changed}"
        finally:
            stop.set()
            configs = report.get(timeout=120)
            child.join(60)
        check(configs, names, ports)
        return first_s, second_s, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--ports", type=int, default=24)
    args = parser.parse_args()
    names = [f"cc-as{i:02d}" for i in range(1, args.devices + 1)]
    lines = len(intended_config("x", args.ports).splitlines())
    print(f"{args.devices} lab switches, {lines} config lines each, workers/forks {args.devices}, "
          f"{os.cpu_count()} CPUs")
    push_s, repush_s, _ = measure("ccinfra", names, args.ports, args.devices)
    print(f"ccinfra push --commit:            {push_s:7.1f} s   (re-push, nothing to change: {repush_s:6.1f} s)")
    ansible_s, rerun_s, summary = measure("ansible", names, args.ports, args.devices)
    print(f"ansible-playbook push_network.yml: {ansible_s:7.1f} s   "
          f"(re-run, nothing to change: {rerun_s:6.1f} s, {summary})")
    print(f"ratio={ansible_s / push_s:.2f}")


if __name__ == "__main__":
    main()
