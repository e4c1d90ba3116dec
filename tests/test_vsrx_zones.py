"""vSRX sites let IKE in and bind their interfaces to the zones their policies name
(issue 10 items 2 and 10; split from tests/test_behaviour.py)."""

from __future__ import annotations

from conftest import lines, render, sample


def test_a_vsrx_site_accepts_ike_on_its_wan_interface() -> None:
    text = render(sample("private-ipsec"), "vsrx")["dc-east.vsrx.set"]
    # interface-level host-inbound-traffic replaces the zone's: set it on the interface
    assert lines(text, "security-zone untrust") == [
        "set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic "
        "system-services ping",
        "set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic "
        "system-services ike",
    ]
    # the LAN is bound to the zone the policies name, so they match something
    assert "set security zones security-zone trust interfaces ge-0/0/1.0" in text


def test_site_zone_and_interfaces_come_from_the_plan() -> None:
    plan = sample("private-ipsec")
    plan["sites"]["dc-east"].update(
        vendor="vsrx", interface="ge-0/0/3.0", wan_zone="INTERNET", lan_interface="ge-0/0/4.0"
    )
    text = render(plan)["dc-east.vsrx.set"]
    assert (
        "security-zone INTERNET interfaces ge-0/0/3.0 host-inbound-traffic system-services ike"
        in text
    )
    assert "set security zones security-zone trust interfaces ge-0/0/4.0" in text
    assert "external-interface ge-0/0/3.0" in text


def test_a_gre_only_site_binds_its_underlay_interface_too() -> None:
    text = render(sample("direct-link-dc"), "vsrx")["dc-west.vsrx.set"]
    # ... keeping the Direct Link's own BGP session there (issue 19 item 4)
    assert lines(text, "security-zone untrust") == [
        "set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic "
        "system-services ping",
        "set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic "
        "protocols bgp",
    ]
