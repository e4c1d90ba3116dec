"""Generate a valid vra-config plan with N GRE connections to PowerVS, deterministically.

    python benchmarks/gen_plan.py N [--seed S] [--out FILE]

The shape is a large estate's: routers in classic with eight PowerVS connections each
(alternating cloud connections and Transit Gateway GRE), each router with one IPsec VPN
(route-based, BGP) to its own enterprise site, 2-4 subnets per workspace, 1-3 networks per
site. Every router is its own routing island, so the work per connection stays constant and
the benchmark measures how the tool scales, not a quadratic plan.

Each address block is cut into the largest subnets that give the estate enough of them
(`_cut`): up to about 10,000 connections the plan is the same as it always was (benchmarks
stay comparable), larger estates get smaller workspace and site subnets and /30 router
uplinks. The limit is MAX_CONNECTIONS, set by the Transit Gateway addresses (one a second
connection, from 192.168.0.0/16) and the /30 uplinks of 198.18.0.0/16 (one router per eight).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from ipaddress import IPv4Network
from pathlib import Path

import yaml

PER_ROUTER = 8
#: 131,068: half of them Transit Gateway links, each with a TGW address from 192.168.0.0/16.
MAX_CONNECTIONS = 2 * (2**16 - 2)
LOCATIONS = ["dal10", "dal12", "dal13", "wdc04", "wdc06", "wdc07", "fra04", "lon06", "tor01"]
#: The four Transit Gateway workspaces of a router sit where PowerVS has an ASN of its own
#: (IBM's Direct Link ordering table: DAL10 4206000072, WDC04 64995, WDC07 4206000068, SAO04
#: 4206000076; the rest are 64999). A prefix whose path holds a workspace's ASN is dropped by
#: another workspace with that ASN behind a Transit Gateway (VRC909 on the vSRX, where
#: `as-override` rewrites only the gateway's AS), so a router's workspaces behind its gateways
#: must all differ from each other and from 64999, or the plan renders for the Vyatta only.
TGW_LOCATIONS = ["dal10", "wdc04", "wdc07", "sao04"]
#: A cloud-connection workspace drawn at one of those moves to a 64999 neighbour location.
AS_64999 = {"dal10": "dal12", "wdc04": "wdc06", "wdc07": "wdc06"}


def _cut(base: str, prefixes: tuple[int, ...], need: int) -> Iterator[IPv4Network]:
    """`base` cut into the first prefix length of `prefixes` that gives `need` subnets."""
    net = IPv4Network(base)
    for prefix in prefixes:
        if 2 ** (prefix - net.prefixlen) >= need:
            return net.subnets(new_prefix=prefix)
    raise ValueError(f"{base} holds fewer than {need} subnets of /{prefixes[-1]}")


def generate(n: int, seed: int = 1) -> dict[str, object]:
    """A plan with `n` GRE connections to PowerVS (and n / 8 IPsec links)."""
    if not 1 <= n <= MAX_CONNECTIONS:
        raise ValueError(f"N must be from 1 to {MAX_CONNECTIONS:,}")
    rng = random.Random(seed)
    n_routers = max(1, -(-n // PER_ROUTER))
    router_nets = _cut("10.128.0.0/10", (26,), n_routers)  # classic private subnets
    public_nets = _cut("198.18.0.0/16", (29, 30), n_routers)
    site_addresses = iter(IPv4Network("198.19.0.0/16").hosts())
    ws_nets = _cut("100.64.0.0/10", (26, 27, 28, 29), 4 * n)  # PowerVS and BYOIP subnets
    site_nets = _cut("10.64.0.0/10", (22, 24, 26), 3 * n_routers)
    tgw_ips = iter(IPv4Network("192.168.0.0/16").hosts())
    routers: dict[str, object] = {}
    sites: dict[str, object] = {}
    powervs: dict[str, object] = {}
    connections: dict[str, object] = {}
    for r in range(n_routers):
        name = f"vra-{r:05d}"
        private = next(router_nets)
        public = next(public_nets)
        routers[name] = {
            "vendor": "vyatta",
            "asn": 4200000000 + r,
            "router_id": str(private.network_address + 10),
            "private": {
                "address": f"{private.network_address + 10}/{private.prefixlen}",
                "gateway": str(private.network_address + 1),
            },
            "public": {
                "address": f"{public.network_address + 2}/{public.prefixlen}",
                "gateway": str(public.network_address + 1),
            },
            "advertise": [str(private)],
        }
        site = f"dc-{r:05d}"
        sites[site] = {
            "asn": 4200500000 + r,
            "address": str(next(site_addresses)),
            "networks": [str(next(site_nets)) for _ in range(rng.randint(1, 3))],
        }
        connections[f"vpn-{r:05d}"] = {
            "via": "ipsec",
            "router": name,
            "peer": site,
            "psk": {"env": f"PSK_{r:05d}"},
        }
        for k in range(min(PER_ROUTER, n - r * PER_ROUTER)):
            index = r * PER_ROUTER + k
            ws = f"ws-{index:05d}"
            location = rng.choice(LOCATIONS)  # drawn for every link: the subnets stay as they were
            powervs[ws] = {
                "location": TGW_LOCATIONS[k // 2]
                if index % 2
                else AS_64999.get(location, location),
                "subnets": [str(next(ws_nets)) for _ in range(rng.randint(2, 4))],
            }
            conn: dict[str, object] = {"router": name, "powervs": ws}
            if index % 2:
                conn["via"] = "transit-gateway"
                conn["transit_gateway"] = {"gateway_ip": str(next(tgw_ips)), "asn": 64490}
            else:
                conn["via"] = "cloud-connection"
            connections[f"gre-{index:05d}"] = conn
    return {
        "version": 1,
        "routers": routers,
        "sites": sites,
        "powervs": powervs,
        "pools": {"tunnels": ["172.16.0.0/12"], "vti": ["169.254.0.0/16"]},
        "connections": connections,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="GRE connections to PowerVS")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    if not 1 <= args.n <= MAX_CONNECTIONS:
        parser.error(f"N must be from 1 to {MAX_CONNECTIONS:,}")
    text = yaml.dump(generate(args.n, args.seed), Dumper=yaml.CSafeDumper, sort_keys=False)
    if args.out:
        args.out.write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
