"""provision_phones.yml, run for real, then the files fetched over TFTP as a phone would fetch them.

The provisioning host is this machine (``ansible_connection: local``) and its TFTP root a
temporary folder; a tftpy server on 127.0.0.1 serves that folder and a tftpy client plays the
phone, asking for the file named after its MAC.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
import tftpy
import yaml

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
PLAYBOOK = Path(str(files("ccinfra.playbooks") / "provision_phones.yml"))
ANSIBLE_PLAYBOOK = Path(sys.executable).with_name("ansible-playbook")

# A Cisco 88xx file named SEP + MAC in upper case; a Yealink T4x file named by the MAC in lower
# case, plus its model-wide common file. Bodies are long enough to span several 512-byte TFTP blocks.
CISCO_NAME = "SEP001122AABBCC.cnf.xml"
CISCO_BODY = (
    "<device>\n<deviceProtocol>SIP</deviceProtocol>\n<sipProfile>\n<sipLines>\n"
    + "".join(
        f'<line button="{i}"><featureID>9</featureID><name>{1000 + i}</name><displayName>Agent {i}</displayName>'
        f"<proxy>USECALLMANAGER</proxy></line>\n"
        for i in range(1, 9)
    )
    + "</sipLines>\n</sipProfile>\n<loadInformation>sip88xx.14-2-1-0001-14</loadInformation>\n</device>\n"
)
YEALINK_NAME = "001565aabbcc.cfg"
YEALINK_BODY = "#!version:1.0.0.1\n" + "".join(f"account.1.label = Agent {i}\n" for i in range(40))
YEALINK_COMMON = ("y000000000044.cfg", "#!version:1.0.0.1\nlocal_time.time_zone = +0\n")


def run_playbook(inventory: Path, cwd: Path) -> tuple[int, str, dict[str, dict[str, int]]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update(HOME=str(cwd / "home"), ANSIBLE_CONFIG=str(REPO / "ansible.cfg"))
    done = subprocess.run(
        [str(ANSIBLE_PLAYBOOK), "-i", str(inventory), str(PLAYBOOK)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )
    recap = {}
    for line in done.stdout.split("PLAY RECAP", 1)[-1].splitlines():
        if " : " in line:
            host, counts = line.split(" : ", 1)
            recap[host.strip()] = {k: int(v) for k, v in (p.split("=") for p in counts.split())}
    return done.returncode, done.stdout + done.stderr, recap


@pytest.fixture
def tftp_server(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A tftpy server on 127.0.0.1 (free port) serving ``tmp_path/tftp``: (root, port)."""
    root = tmp_path / "tftp"
    root.mkdir()
    server = tftpy.TftpServer(str(root))
    # timeout=1: the server notices stop() within a second instead of tftpy's default 5 s.
    listen = {"listenip": "127.0.0.1", "listenport": 0, "timeout": 1}
    thread = threading.Thread(target=server.listen, kwargs=listen, daemon=True)
    thread.start()
    assert server.is_running.wait(10)
    yield root, server.listenport
    server.stop(now=True)
    thread.join(10)


def fetch(port: int, name: str) -> bytes:
    out = io.BytesIO()
    tftpy.TftpClient("127.0.0.1", port).download(name, out, timeout=5)
    return out.getvalue()


def test_phone_files_reach_the_tftp_root_once_and_phones_fetch_them(tmp_path: Path, tftp_server) -> None:
    root, port = tftp_server
    phones = tmp_path / "build" / "phones"
    phones.mkdir(parents=True)
    bodies = {CISCO_NAME: CISCO_BODY, YEALINK_NAME: YEALINK_BODY, YEALINK_COMMON[0]: YEALINK_COMMON[1]}
    for name, body in bodies.items():
        (phones / name).write_text(body)
    (root / "firmware.loads").write_bytes(b"not rendered by ccinfra")  # must survive the copy
    marker = tmp_path / "check-sync.log"
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(yaml.safe_dump({"all": {"children": {"provisioning": {"hosts": {"cc-prov01": {
        "ansible_connection": "local",
        "ansible_python_interpreter": sys.executable,
        "ccinfra_tftp_root": str(root),
        "ccinfra_phone_dir": str(phones),
        # Stands in for the PBX command that sends SIP NOTIFY check-sync to the phones.
        "ccinfra_phone_resync_argv": [sys.executable, "-c",
                                      "import sys; open(sys.argv[1], 'a').write('check-sync\\n')", str(marker)],
    }}}}}}))

    rc, out, recap = run_playbook(inventory, tmp_path)
    assert rc == 0, out
    assert recap["cc-prov01"]["changed"] >= 2, out  # files copied + handler
    assert marker.read_text() == "check-sync\n"

    for name, body in bodies.items():
        assert fetch(port, name) == body.encode()
        assert oct((root / name).stat().st_mode & 0o777) == "0o644"
    assert (root / "firmware.loads").read_bytes() == b"not rendered by ccinfra"

    rc, out, recap = run_playbook(inventory, tmp_path)
    assert rc == 0, out
    assert recap["cc-prov01"]["changed"] == 0, out
    assert marker.read_text() == "check-sync\n"  # nothing changed: phones are not asked to reload

    (phones / YEALINK_NAME).write_text(YEALINK_BODY + "account.1.label = Supervisor\n")
    rc, out, recap = run_playbook(inventory, tmp_path)
    assert rc == 0, out
    assert recap["cc-prov01"]["changed"] >= 1, out
    assert marker.read_text() == "check-sync\ncheck-sync\n"
    assert fetch(port, YEALINK_NAME) == (YEALINK_BODY + "account.1.label = Supervisor\n").encode()
    assert fetch(port, CISCO_NAME) == CISCO_BODY.encode()
    assert json.dumps(sorted(p.name for p in root.iterdir())) == json.dumps(sorted([*bodies, "firmware.loads"]))
