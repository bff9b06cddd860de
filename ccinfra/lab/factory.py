"""Factory-fresh IOS-XE running configs for lab twins, with the lines a real device writes by itself.

A real Catalyst or ISR shows more than anyone typed: ``version``, the boot markers, ``switch 1
provision``, the license level, ``memory free low-watermark``, ``diagnostic bootup level minimal``,
``spanning-tree extend system-id``, ``redundancy`` / ``mode sso``, ``transceiver type all``, the
management port in its VRF with ``no ip address``, every front-panel port, the CoPP
``control-plane`` policy and ``stopbits 1`` under ``line con 0``. The shapes below are those of the
captured configs in tests/fixtures/iosxe/ (a Catalyst 9300-24U on IOS-XE 17.15 and an IOS-XE 16.9
router, both from github.com/CiscoTestAutomation/genielibs test data); a twin started from them makes
every push prove that it converges beside lines it does not manage (ccinfra.push.device_lines).

The twin stays reachable: its vty lines accept SSH with local login, as the skeleton's do, and a
router's first port (GigabitEthernet0/0/0, the one-armed gateway's only port, which the push reaches
it on) is up; its other ports are shut, as an ISR leaves them out of the box.
"""

from __future__ import annotations

from ccinfra import catalogue

IOSXE_SWITCH_VERSION = "17.15"
IOSXE_ROUTER_VERSION = "16.9"
_SWITCH_HEAD = """version {version}
service timestamps debug datetime msec
service timestamps log datetime msec
!
hostname {name}
!
boot-start-marker
boot-end-marker
!
vrf definition Mgmt-vrf
 !
 address-family ipv4
 exit-address-family
 !
 address-family ipv6
 exit-address-family
!
no aaa new-model
switch 1 provision {provision}
!
login on-success log
!
license boot level network-advantage addon dna-advantage
memory free low-watermark processor 105485
!
diagnostic bootup level minimal
!
spanning-tree mode rapid-pvst
spanning-tree extend system-id
!
redundancy
 mode sso
!
transceiver type all
 monitoring
!
class-map match-any system-cpp-police-topology-control
  description Topology control
class-map match-any system-cpp-police-sw-forward
  description Sw forwarding, L2 LVX data packets, LOGGING, Transit Traffic
!
policy-map system-cpp-policy
!
interface GigabitEthernet0/0
 vrf forwarding Mgmt-vrf
 no ip address
 negotiation auto
!
"""
_SWITCH_TAIL = """interface Vlan1
 no ip address
 shutdown
!
ip forward-protocol nd
ip http server
ip http secure-server
!
control-plane
 service-policy input system-cpp-policy
!
line con 0
 stopbits 1
line vty 0 4
 login local
 transport input ssh
line vty 5 15
 login local
 transport input ssh
!
end
"""
_ROUTER = """version {version}
service timestamps debug datetime msec
service timestamps log datetime msec
platform qfp utilization monitor load 80
no platform punt-keepalive disable-kernel-core
!
hostname {name}
!
boot-start-marker
boot-end-marker
!
vrf definition Mgmt-intf
 !
 address-family ipv4
 exit-address-family
 !
 address-family ipv6
 exit-address-family
!
no aaa new-model
!
diagnostic bootup level minimal
!
spanning-tree extend system-id
!
redundancy
 mode none
!
interface GigabitEthernet0/0/0
 no ip address
 negotiation auto
!
interface GigabitEthernet0/0/1
 no ip address
 shutdown
 negotiation auto
!
interface GigabitEthernet0
 vrf forwarding Mgmt-intf
 no ip address
 shutdown
 negotiation auto
!
ip forward-protocol nd
ip http server
ip http secure-server
!
control-plane
!
line con 0
 stopbits 1
line aux 0
 stopbits 1
line vty 0 4
 login local
 transport input ssh
!
end
"""


def switch_factory_config(name: str, model: str = "C9200L-48P-4X") -> str:
    """A Catalyst's running config out of the box: device lines, and every front-panel port empty.

    >>> text = switch_factory_config("cc-as01", "C9200L-24P-4G")
    >>> "switch 1 provision c9200l-24p-4g" in text, "\\ninterface GigabitEthernet1/0/24\\n!" in text
    (True, True)
    >>> "\\nline con 0\\n stopbits 1\\n" in text, "interface GigabitEthernet1/1/4\\n!" in text
    (True, True)
    """
    model = model if model in catalogue.SWITCHES else "C9200L-48P-4X"  # a name from outside never reaches the text
    hw = catalogue.SWITCHES[model]
    ports = [f"{hw.port_prefix}{n}" for n in range(1, hw.ports + 1)]
    ports += [f"{hw.uplink_prefix}{n}" for n in range(1, hw.uplinks + 1)]
    interfaces = "".join(f"interface {port}\n!\n" for port in ports)
    head = _SWITCH_HEAD.format(version=IOSXE_SWITCH_VERSION, name=name, provision=model.lower())
    return head + interfaces + _SWITCH_TAIL


def router_factory_config(name: str) -> str:
    """An ISR 4000-class IOS-XE router's running config out of the box (the voice gateways' twins).

    >>> text = router_factory_config("cc-gw01")
    >>> text.splitlines()[0], "\\nline con 0\\n stopbits 1\\n" in text
    ('version 16.9', True)
    """
    return _ROUTER.format(version=IOSXE_ROUTER_VERSION, name=name)


def factory_config(name: str, role: str, model: str | None = None) -> str:
    """The factory config of a twin for a device of ``role`` (``switch`` or ``gateway``)."""
    return switch_factory_config(name, model or "C9200L-48P-4X") if role == "switch" else router_factory_config(name)
