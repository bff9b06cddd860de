"""How fast is phone discovery? 50 lab switches with 48 phones each, over real SSH on 127.0.0.1.

A generated 2,400-seat site (no spare ports, no extra devices) gives 50 access switches of 48 seat
ports; every seat has a phone (made-up MACs in the locally administered range 02:00:00:00:xx:xx).
The twins run the rendered switch configs with the floor attached (ccinfra.lab.floor), in a child
process so that their event loop does not share the reading process's GIL (real switches are other
machines).

Figures, each the best of ``--rounds`` runs with 50 workers and the push's own sessions (host keys
verified, the netmiko driver of ccinfra.push.connection):
  * discovery as ``ccinfra discover`` runs it: connect, ``show cdp neighbors detail``, ``show lldp
    neighbors detail``, ``show mac address-table vlan 20``, ``show power inline``, disconnect, then
    parse everything with ntc-templates and write the CSV rows; the script checks all 2,400 phones
    are found at their seats with no anomaly;
  * the anchor: connect, ``show running-config``, disconnect on the same 50 switches (one SSH round
    of reading: what ``ccinfra audit drift`` costs before comparing);
  * the parse alone (CPU, no SSH) for the 50 switches.
Last line ``ratio=<discovery time ÷ show-run time>`` (target ≤ 2).

Usage: ``.venv/bin/python bench/discover.py [--switches 50] [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import tempfile
import time
from pathlib import Path

from ccinfra.floor.collect import DISCOVER, read_switches
from ccinfra.floor.discover import discover_document, phones_csv, port_viewer
from ccinfra.plan import Plan
from ccinfra.push.connection import Credentials, HostKeyPolicy
from ccinfra.push.runner import Session, run_parallel
from ccinfra.push.targets import read_only_targets

USER, PASSWORD, SECRET = "bench", "bench-pw", "bench-en"
PORTS = 48


def bench_plan(switches: int) -> Plan:
    from ccinfra.sizing.site import size
    from ccinfra.spec import parse_spec

    seats = switches * PORTS
    macs = [{"mac": f"02:00:00:00:{i // 256:02x}:{i % 256:02x}"} for i in range(seats)]
    return size(parse_spec({"name": "bench", "demand": {"agents": seats, "supervisors": {"count": 0}},
                            # /20 voice and data subnets: 2,400 phones and PCs need more than the default /23s
                            "network": {"spare_ratio": 0, "extra_devices": [], "voice_subnet": "10.30.32.0/20",
                                        "data_subnet": "10.30.48.0/20"},
                            "phones": {"devices": macs}}))


def serve(plan_path: str, folder: str, ready: mp.Queue, stop: mp.Event) -> None:
    """Child process: the twins with their configs and floors, until told to stop."""
    from ccinfra.lab import DeviceSpec, LabFleet
    from ccinfra.lab.floor_setup import floors_for_plan
    from ccinfra.plan import load_plan
    from ccinfra.render import render_plan

    plan = load_plan(plan_path)
    floors = floors_for_plan(plan, plan.phones)
    configs = {f.device: f.text for f in render_plan(plan).files if f.role == "switch"}
    specs = [DeviceSpec(name, initial_config=text, floor=floors[name]) for name, text in configs.items()]
    with LabFleet(specs, username=USER, password=PASSWORD, secret=SECRET) as fleet:
        fleet.write_inventory(Path(folder) / "inventory.yaml")
        ready.put(len(specs))
        stop.wait()


def show_running(session: Session, targets: list, workers: int) -> float:
    def one(target) -> None:
        pusher = session.open(target)
        pusher.connect()
        pusher.get_running()
        pusher.close()

    started = time.perf_counter()
    run_parallel(targets, one, workers)
    return time.perf_counter() - started


def discover(plan: Plan, session: Session, targets: list, workers: int) -> tuple[float, dict]:
    started = time.perf_counter()
    readings = read_switches(targets, session, 20, workers, DISCOVER, then=port_viewer(plan))
    document = discover_document(plan, readings)
    phones_csv(document["phones"])
    return time.perf_counter() - started, document | {"readings": readings}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--switches", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ccinfra-bench-discover-"))
    plan = bench_plan(args.switches)
    (folder / "plan.json").write_text(__import__("json").dumps(plan.to_dict()))
    ready, stop = mp.Queue(), mp.Event()
    lab = mp.Process(target=serve, args=(str(folder / "plan.json"), str(folder), ready, stop))
    lab.start()
    try:
        count = ready.get(timeout=300)
        targets = read_only_targets([s.name for s in plan.network.switches], folder / "inventory.yaml")
        session = Session(Credentials(USER, PASSWORD, SECRET), HostKeyPolicy(folder / "known_hosts"))
        workers = len(targets)
        runs_disc, runs_show = [], []
        for _ in range(args.rounds):
            runs_show.append(show_running(session, targets, workers))
            elapsed, document = discover(plan, session, targets, workers)
            runs_disc.append(elapsed)
        summary = document["summary"]
        if summary["phones"] != count * PORTS or summary["seated"] != count * PORTS or summary["anomalies"]:
            raise SystemExit(f"discovery did not find every phone at its seat: {summary}")
        for reading in document["readings"]:
            reading.parsed = None
        started = time.perf_counter()
        discover_document(plan, document["readings"])
        parse_s = time.perf_counter() - started
        disc, show = min(runs_disc), min(runs_show)
        print(f"switches={count} phones={summary['phones']} (all at their seats, 0 anomalies) workers={workers}")
        print(f"discover: {disc:.3f} s best of {args.rounds} ({', '.join(f'{r:.3f}' for r in runs_disc)}); "
              f"of which parsing {parse_s:.3f} s")
        print(f"show running-config: {show:.3f} s best of {args.rounds} ({', '.join(f'{r:.3f}' for r in runs_show)})")
        print(f"ratio={disc / show:.2f}")
    finally:
        stop.set()
        lab.join(60)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
