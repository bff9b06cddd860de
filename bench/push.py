"""How fast is the safe push? 50 lab twins over real SSH on 127.0.0.1.

Figures (each push is ``--commit``: backup, remediation, send with error checks under an IOS revert
timer, verify, ``configure confirm``, save):
  * parallel push of N devices (workers N, spread over ``auto_processes(N)`` worker processes, as
    ``ccinfra push`` does by default) and sequential push (workers 1), fresh devices each time;
  * one device alone (median of 3 fresh devices);
  * the same parallel push in threads of one process (one GIL);
  * peak memory (ru_maxrss) of the pushing process;
  * re-push with nothing to change, as ``ccinfra push`` runs it (worker processes) and in threads of
    one process, against a plain netmiko connect + ``show running-config`` per device with the same
    workers in threads of one process (the least a re-push must do);
  * the same one-device and parallel pushes with ``--lines-per-write 16`` (lines typed ahead,
    one write per section: fewer round trips, so less CPU per device and a faster device alone);
  * last line ``ratio=<parallel time ÷ one-device time>`` for the default, one line per write
    (target ≤ 3: pushing a whole site in parallel should cost little more than pushing one switch).

The lab runs in a child process so that its event loop does not share the pushing process's GIL
(real devices are other machines). Usage: ``.venv/bin/python bench/push.py [--devices 50] [--ports 24]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from netmiko import ConnectHandler

from ccinfra.push.connection import Credentials, HostKeyPolicy, Timing
from ccinfra.push.runner import Session, auto_processes, run_push
from ccinfra.push.targets import load_targets

USER, PASSWORD, SECRET = "bench", "bench-pw", "bench-en"
TYPED_AHEAD = 16  # the --lines-per-write of the typed-ahead figures


def initial_config(name: str, ports: int) -> str:
    """A switch out of the box: hostname, vty lines, ports with nothing on them, one stale line."""
    lines = [f"hostname {name}", "ip domain-name old.example"]
    lines += [f"interface GigabitEthernet1/0/{p}\n shutdown" for p in range(1, ports + 1)]
    lines += ["line vty 0 4", " login local", " transport input ssh", "end"]
    return "\n".join(lines) + "\n"


def intended_config(name: str, ports: int) -> str:
    """An access switch of a contact-center floor: data + voice VLANs on every agent port."""
    lines = [f"hostname {name}", "vlan 10", " name DATA", "vlan 20", " name VOICE"]
    for p in range(1, ports + 1):
        lines += [f"interface GigabitEthernet1/0/{p}", f" description agent seat {p}", " switchport mode access",
                  " switchport access vlan 10", " switchport voice vlan 20", " spanning-tree portfast"]
    lines += ["banner motd ^C", "Authorised use only", "^C", "line vty 0 4", " login local",
              " transport input ssh", "end"]
    return "\n".join(lines) + "\n"


def serve(names: list[str], ports: int, folder: str, ready: mp.Queue, stop: mp.Event) -> None:
    """Child process: run the twins and write their inventory until told to stop."""
    from ccinfra.lab import DeviceSpec, LabFleet

    specs = [DeviceSpec(n, initial_config=initial_config(n, ports)) for n in names]
    with LabFleet(specs, username=USER, password=PASSWORD, secret=SECRET) as fleet:
        fleet.write_inventory(Path(folder) / "inventory.yaml", build_dir=Path(folder) / "build")
        ready.put([(d.name, d.port) for d in fleet])
        stop.wait()


def write_build(folder: Path, names: list[str], ports: int) -> None:
    (folder / "build" / "switches").mkdir(parents=True, exist_ok=True)
    devices = []
    for name in names:
        text = intended_config(name, ports)
        (folder / "build" / "switches" / f"{name}.cfg").write_text(text)
        devices.append({"device": name, "role": "switch", "platform": "cisco_ios", "path": f"switches/{name}.cfg",
                        "sha256": hashlib.sha256(text.encode()).hexdigest()})
    (folder / "build" / "manifest.json").write_text(json.dumps({"devices": devices}))


class Lab:
    """A fresh fleet of twins in a child process, for one measurement."""

    def __init__(self, names: list[str], ports: int) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="ccinfra-bench-push-"))
        write_build(self.folder, names, ports)
        self.ready, self.stop = mp.Queue(), mp.Event()
        self.process = mp.Process(target=serve, args=(names, ports, str(self.folder), self.ready, self.stop))

    def __enter__(self) -> Lab:
        self.process.start()
        self.ports = dict(self.ready.get(timeout=120))
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.process.join(60)

    def push(self, workers: int, limit: list[str] | None = None, processes: int = 1,
             lines_per_write: int = 1) -> tuple[float, list]:
        targets = load_targets(self.folder / "build", self.folder / "inventory.yaml", limit)
        session = Session(Credentials(USER, PASSWORD, SECRET), HostKeyPolicy(self.folder / "known_hosts"),
                          Timing(lines_per_write=lines_per_write))
        started = time.perf_counter()
        results = run_push(targets, session, commit=True, workers=workers, backup_dir=self.folder / "backups",
                           processes=processes)
        return time.perf_counter() - started, results

    def show_running_each(self, workers: int) -> float:
        """Plain netmiko: connect, ``show running-config``, disconnect — per device, same workers."""
        def one(port: int) -> None:
            conn = ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=port, username=USER,
                                  password=PASSWORD, secret=SECRET, ssh_strict=True, system_host_keys=False,
                                  alt_host_keys=True, alt_key_file=str(self.folder / "known_hosts"), fast_cli=True)
            conn.enable()
            conn.send_command("show running-config")
            conn.disconnect()

        started = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(one, self.ports.values()))
        return time.perf_counter() - started


def check(results: list, expected: str) -> str:
    statuses = {r.status for r in results}
    if statuses != {expected}:
        bad = [f"{r.device}: {r.status} {r.error}" for r in results if r.status != expected][:3]
        raise SystemExit(f"unexpected statuses {statuses}: {bad}")
    return f"{len(results)} × {expected}"


def maxrss_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--ports", type=int, default=24, help="agent ports per switch (6 config lines each)")
    args = parser.parse_args()
    n = args.devices
    names = [f"cc-as{i:02d}" for i in range(1, n + 1)]
    lines = len(intended_config("x", args.ports).splitlines())
    processes = auto_processes(n)
    print(f"{n} lab switches, intended config {lines} lines each ({args.ports} agent ports); "
          f"{os.cpu_count()} CPUs; lab twins in a separate process")

    with Lab(names[:3], args.ports) as lab:
        one = [lab.push(1, limit=[name])[0] for name in names[:3]]
        one_s = statistics.median(one)
        print(f"one device alone:            {one_s:7.2f} s   (median of {', '.join(f'{t:.2f}' for t in one)})")

    with Lab(names, args.ports) as lab:
        parallel_s, results = lab.push(n, processes=processes)
        sent = sum(r.lines_sent for r in results)
        print(f"parallel, {n} workers in {processes} processes: {parallel_s:6.2f} s   {check(results, 'changed')}, "
              f"{sent} lines sent ({parallel_s / n * 1000:.0f} ms per device)")
        repush_s, results = lab.push(n, processes=processes)
        print(f"re-push, nothing to do:      {repush_s:7.2f} s   {check(results, 'unchanged')}, "
              f"{sum(r.lines_sent for r in results)} lines sent ({processes} processes, as ccinfra push runs it)")
        repush_one_s, results = lab.push(n, processes=1)
        print(f"re-push in 1 process:        {repush_one_s:7.2f} s   {check(results, 'unchanged')}")
        show_s = lab.show_running_each(n)
        print(f"netmiko show run each:       {show_s:7.2f} s   (connect + enable + show running-config, {n} threads)"
              f" → the re-push costs {repush_s / show_s:.2f}× that ({repush_one_s / show_s:.2f}× in 1 process)")
        workers_mib = maxrss_mib(resource.RUSAGE_CHILDREN)

    with Lab(names, args.ports) as lab:
        before_mib = maxrss_mib(resource.RUSAGE_SELF)
        threads_s, results = lab.push(n, processes=1)
        after_mib = maxrss_mib(resource.RUSAGE_SELF)
        print(f"parallel, {n} threads in 1 process: {threads_s:6.2f} s   {check(results, 'changed')} "
              f"(one GIL for all the sessions)")
        print(f"peak memory (maxrss):        {after_mib:7.0f} MiB for this process after pushing {n} devices in "
              f"threads (+{after_mib - before_mib:.0f} MiB over the {before_mib:.0f} MiB before); "
              f"largest child process so far {workers_mib:.0f} MiB")

    with Lab(names, args.ports) as lab:
        sequential_s, results = lab.push(1, processes=1)
        print(f"sequential, 1 worker:        {sequential_s:7.2f} s   {check(results, 'changed')} "
              f"→ the parallel push is {sequential_s / parallel_s:.1f}× faster")

    ahead = TYPED_AHEAD
    with Lab(names[:3], args.ports) as lab:
        one_ahead = [lab.push(1, limit=[name], lines_per_write=ahead)[0] for name in names[:3]]
        one_ahead_s = statistics.median(one_ahead)
    with Lab(names, args.ports) as lab:
        parallel_ahead_s, results = lab.push(n, processes=processes, lines_per_write=ahead)
        check(results, "changed")
    print(f"--lines-per-write {ahead}:        one device {one_ahead_s:.2f} s (median of "
          f"{', '.join(f'{t:.2f}' for t in one_ahead)}), parallel {parallel_ahead_s:.2f} s "
          f"(ratio {parallel_ahead_s / one_ahead_s:.2f}; {parallel_s / parallel_ahead_s:.1f}× faster than one line per write)")

    print()
    print(f"ratio={parallel_s / one_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
