"""Raw SSH clients against lab twins: the bytes a vty sends, line ends, keyboard-interactive, asyncio.

Expected transcripts are IOS's: the typed line is echoed, the answer starts with CR LF, the prompt
follows with no newline; the enable password is not echoed.
"""

from __future__ import annotations

import asyncio
import time

import asyncssh
import paramiko
import pytest

from ccinfra.lab import AsyncLabFleet, DeviceSpec, Faults

pytestmark = pytest.mark.integration


class RawShell:
    """An interactive paramiko channel with host-key checking against the lab's known_hosts."""

    def __init__(self, device, known_hosts) -> None:
        self.client = paramiko.SSHClient()
        self.client.load_host_keys(str(known_hosts))
        self.client.set_missing_host_key_policy(paramiko.RejectPolicy())
        self.client.connect(device.host, device.port, username="lab", password="lab",
                            look_for_keys=False, allow_agent=False, timeout=10)
        self.channel = self.client.invoke_shell(term="vt100")
        self.channel.settimeout(10)

    def read_until(self, ending: str) -> str:
        data = ""
        deadline = time.monotonic() + 10
        while not data.endswith(ending):
            if time.monotonic() > deadline:
                raise AssertionError(f"no {ending!r} after {data!r}")
            data += self.channel.recv(65536).decode()
        return data

    def send(self, text: str, until: str) -> str:
        self.channel.send(text.encode())
        return self.read_until(until)

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def raw(lab_fleet, tmp_path):
    fleet = lab_fleet(n=1)
    known_hosts = fleet.write_known_hosts(tmp_path / "known_hosts")
    shell = RawShell(fleet["lab01"], known_hosts)
    assert shell.read_until("lab01>") == "\r\nlab01>"
    yield shell
    shell.close()


def test_bare_cr_ends_a_line_like_ansible_sends_it(raw):
    assert raw.send("show privilege\r", "lab01>") == "show privilege\r\nCurrent privilege level is 1\r\nlab01>"


def test_crlf_and_lf_end_one_line_each(raw):
    # CR LF is one line end (no second, empty command); a lone LF is a line end too.
    assert raw.send("show privilege\r\n", "lab01>") == "show privilege\r\nCurrent privilege level is 1\r\nlab01>"
    assert raw.send("\n", "lab01>") == "\r\nlab01>"
    assert raw.send("show privilege\n", "lab01>") == "show privilege\r\nCurrent privilege level is 1\r\nlab01>"


def test_enable_password_is_not_echoed_and_copy_asks_for_destination(raw):
    assert raw.send("enable\r", "Password: ") == "enable\r\nPassword: "
    assert raw.send("lab\r", "lab01#") == "\r\nlab01#"
    # Ansible's ios_config sends "copy running-config startup-config\r" plus its own CR: the
    # second CR accepts the default destination.
    assert raw.send("copy running-config startup-config\r\r", "[OK]\r\nlab01#") == (
        "copy running-config startup-config\r\nDestination filename [startup-config]? "
        "\r\nBuilding configuration...\r\n[OK]\r\nlab01#"
    )


def test_config_mode_prompts_and_ctrl_z(raw):
    raw.send("enable\rlab\r", "lab01#")
    assert raw.send("conf t\r", "lab01(config)#").endswith("End with CNTL/Z.\r\nlab01(config)#")
    assert raw.send("line vty 0 4\r", "#").endswith("lab01(config-line)#")
    assert raw.send("voice service voip\r", "#").endswith("lab01(conf-voi-serv)#")
    assert raw.send("sip\r", "#").endswith("lab01(conf-serv-sip)#")
    assert raw.send("exit\r", "#").endswith("lab01(conf-voi-serv)#")
    assert raw.send("\x1a", "#") == "^Z\r\nlab01#"


def test_wrong_enable_secret_three_times_says_bad_secrets(raw):
    raw.send("enable\r", "Password: ")
    assert raw.send("x\r", "Password: ") == "\r\nPassword: "
    assert raw.send("y\r", "Password: ") == "\r\nPassword: "
    assert raw.send("z\r", "lab01>") == "\r\n% Bad secrets\r\n\r\nlab01>"


def test_async_core_keyboard_interactive_exec_and_runtime_faults():
    async def scenario() -> None:
        async with AsyncLabFleet([DeviceSpec("cc-gw01", role="gateway")], username="ops",
                                 password="pw", secret="en") as fleet:
            device = fleet["cc-gw01"]
            known = asyncssh.import_known_hosts(fleet.known_hosts_text())
            async with asyncssh.connect(device.host, device.port, username="ops", password="pw",
                                        preferred_auth="keyboard-interactive", known_hosts=known,
                                        config=None) as conn:
                result = await conn.run("show version", check=True)
                assert "Cisco IOS XE Software, Version 17.09.04a" in result.stdout
                assert "cc-gw01 uptime is 0 minutes" in result.stdout
            await device.aset_faults(Faults(auth_fail=True))
            with pytest.raises(asyncssh.PermissionDenied):
                await asyncssh.connect(device.host, device.port, username="ops", password="pw",
                                       known_hosts=known, config=None)

    asyncio.run(scenario())


def test_the_twin_speaks_aead_and_sends_no_ignore_packets(raw):
    """IOS-XE offers AES-GCM and sends no SSH_MSG_IGNORE; asyncssh would put one before every packet."""
    transport = raw.client.get_transport()
    assert transport.local_cipher.endswith("-gcm@openssh.com") and transport.remote_cipher == transport.local_cipher
    seen: list[int] = []
    read_message = transport.packetizer.read_message

    def counting_read() -> tuple[int, object]:
        ptype, message = read_message()
        seen.append(ptype)
        return ptype, message

    transport.packetizer.read_message = counting_read  # from the packet after the one awaited now
    for _ in range(4):
        raw.send("\n", "lab01>")
    assert len(seen) >= 3 and paramiko.common.MSG_IGNORE not in seen
    assert paramiko.common.MSG_CHANNEL_DATA in seen
