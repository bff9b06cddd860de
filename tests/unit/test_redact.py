"""No secret printed (issue 11, guarantee 2): each line as IOS prints it, and the redacted form expected.

The lines follow the forms of Cisco's IOS configuration guides (usernames, enable secret, TACACS+
and RADIUS servers, SNMP communities and v3 users, key chains, IKE keys, routing-protocol keys).
"""

from __future__ import annotations

import pytest

from ccinfra.redact import redact, redact_lines, redact_message

CASES = [
    ("username netops privilege 15 secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM",
     "username netops privilege 15 secret 9 <redacted>"),
    ("username bob password 7 0822455D0A16", "username bob password 7 <redacted>"),
    ("username eve secret plain-text", "username eve secret <redacted>"),
    ("enable secret 9 $9$2MJBozw/9R3UsU$ktCVqDpjd2dLLgcP", "enable secret 9 <redacted>"),
    ("enable secret level 15 5 $1$nc08$bizeEFbgCBKjZP4nurNCd.", "enable secret level 15 5 <redacted>"),
    ("enable password 7 0822455D0A16", "enable password 7 <redacted>"),
    ("snmp-server community Comm-5e3f RO", "snmp-server community <redacted> RO"),
    ("snmp-server community rw-c0mm RW 10", "snmp-server community <redacted> RW 10"),
    ("snmp-server user u1 G1 v3 auth sha AuthPass1 priv aes 128 PrivPass1",
     "snmp-server user u1 G1 v3 auth sha <redacted> priv aes 128 <redacted>"),
    ("snmp-server host 192.0.2.5 version 2c TrapComm", "snmp-server host 192.0.2.5 version 2c <redacted>"),
    (" key 7 070C285F4D06", " key 7 <redacted>"),
    (" key plainTacKey", " key <redacted>"),
    ("tacacs-server key 7 070C285F4D06", "tacacs-server key 7 <redacted>"),
    ("tacacs-server host 192.0.2.50 key plainKey", "tacacs-server host 192.0.2.50 key <redacted>"),
    ("radius-server host 192.0.2.51 auth-port 1812 acct-port 1813 key 7 0822",
     "radius-server host 192.0.2.51 auth-port 1812 acct-port 1813 key 7 <redacted>"),
    ("  key-string 7 0822455D0A16", "  key-string 7 <redacted>"),
    ("crypto isakmp key IkeKey1 address 192.0.2.9", "crypto isakmp key <redacted> address 192.0.2.9"),
    (" pre-shared-key address 192.0.2.9 key PskKey1", " pre-shared-key address 192.0.2.9 key <redacted>"),
    ("ntp authentication-key 1 md5 0822455D0A16 7", "ntp authentication-key 1 md5 <redacted> 7"),
    (" ip ospf message-digest-key 1 md5 7 0822", " ip ospf message-digest-key 1 md5 7 <redacted>"),
    (" ip ospf authentication-key 7 0822", " ip ospf authentication-key 7 <redacted>"),
    (" password 7 0822455D0A16", " password 7 <redacted>"),
    (" credentials username gw password 7 0822455D0A16 realm sip.example",
     " credentials username gw password 7 <redacted> realm sip.example"),
    ("key config-key password-encrypt MasterKey1", "key config-key password-encrypt <redacted>"),
]
# Lines with a secret-like word and no secret: left as they are.
UNTOUCHED = ["service password-encryption", "key chain OSPF", "ip ssh pubkey-chain",
             "  key-hash ssh-rsa 8FB4F858DD7E5AFB372780EC653DB371", "password encryption aes",
             "aaa authentication login default group TAC local", "no password", "snmp-server location Lisbon"]


@pytest.mark.parametrize(("line", "expected"), CASES)
def test_secret_values_are_redacted_keyword_and_type_kept(line, expected):
    assert redact(line) == expected
    assert redact(expected) == expected  # redacting twice changes nothing


@pytest.mark.parametrize("line", UNTOUCHED)
def test_lines_without_a_secret_are_untouched(line):
    assert redact(line) == line


def test_whole_config_and_lines():
    config = "\n".join(line for line, _ in CASES)
    assert redact(config) == "\n".join(expected for _, expected in CASES)
    assert redact_lines([line for line, _ in CASES[:2]]) == [expected for _, expected in CASES[:2]]


def test_messages_redact_quoted_config_and_leave_prose():
    message = ("sw1: line 'snmp-server community Comm-5e3f RO' rejected: % Invalid input; "
               'first "username o\'k secret 9 $9$abc"; SSH host key unknown; set CCINFRA_SECRET to the enable secret')
    assert redact_message(message) == (
        "sw1: line 'snmp-server community <redacted> RO' rejected: % Invalid input; "
        'first "username o\'k secret 9 <redacted>"; SSH host key unknown; set CCINFRA_SECRET to the enable secret')

