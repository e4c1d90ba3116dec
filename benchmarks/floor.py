"""The floor vra-config is measured against: the least work that prints the same lines.

    python benchmarks/floor.py PLAN > out.set

It loads the plan and its lock with PyYAML's C loader and json, and prints the Vyatta lines
for every router through the same jinja2 templates (compiled once and kept, as vra-config
keeps them), with none of vra-config's work: no
validation, no located errors, no address or reserved-range checks, no allocation (the
addresses come from the lock), no quoting guards. It computes only what the lines need (each
link's addresses by IBM's rules, what each end advertises), so it prints the same number of
lines as `vra-config render --vendor vyatta` on the benchmark plans and the GRE samples
(`run.py` checks that before it times anything). It covers cloud-connection,
transit-gateway and route-based IPsec links: what the benchmark plans hold.
"""

from __future__ import annotations

import functools
import json
import sys
from collections import defaultdict
from ipaddress import IPv4Interface, IPv4Network
from pathlib import Path
from typing import Any

import jinja2
import yaml

from vra_config.targets.routers.paste import steps as paste_steps

ROOT = Path(__file__).resolve().parent.parent
ENC = {
    "aes128": "aes128",
    "aes256": "aes256",
    "aes128gcm": "aes128gcm128",
    "aes256gcm": "aes256gcm128",
}
HASH = {"sha1": "sha1", "sha256": "sha2_256", "sha384": "sha2_384", "sha512": "sha2_512"}
DEFAULT_ASN = {
    "dal10": 4206000072,
    "wdc04": 64995,
    "wdc07": 4206000068,
    "sao04": 4206000076,
    "che01": 4206000092,
}


@functools.cache
def order(prefix: str) -> tuple[int, int]:
    """A prefix's place in IPv4Network's order (address, then length), worked out once."""
    net = IPv4Network(prefix)
    return int(net.network_address), net.prefixlen


def q(text: str) -> str:
    return f"'{text}'"


def main(path: Path) -> None:
    plan = yaml.load(path.read_text(), Loader=yaml.CSafeLoader)
    lock_text = path.with_name(path.stem + ".lock.yaml").read_text()
    lock = json.loads("\n".join(x for x in lock_text.splitlines() if not x.startswith("#")))
    locked = lock["connections"]
    routers, sites, powervs = (
        plan.get("routers", {}),
        plan.get("sites", {}),
        plan.get("powervs", {}),
    )
    own = {
        **{n: r.get("advertise", []) for n, r in routers.items()},
        **{n: s.get("networks", []) for n, s in sites.items()},
        **{n: w["subnets"] for n, w in powervs.items()},
    }
    links: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, c in plan["connections"].items():
        far = c.get("powervs") or c.get("peer")
        links[c["router"]].append((name, far))
        links[far].append((name, c["router"]))

    def reach(node: str, without: str) -> list[str]:
        seen, out, stack = {node}, list(own[node]), [node] if node not in powervs else []
        while stack:
            for name, other in links[stack.pop()]:
                if name != without and other not in seen:
                    seen.add(other)
                    out += own[other]
                    if other not in powervs:
                        stack.append(other)
        return out

    def exports(node: str, far: str, name: str) -> list[str]:
        skip = set(own[far])
        return sorted({p for p in reach(node, name) if p not in skip}, key=order)

    # each router's connections, found once (looking through every connection for every
    # router made the floor quadratic: 12.7 s at 10,000 connections)
    by_router: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for name, c in sorted(plan["connections"].items()):
        by_router[c["router"]].append((name, c))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(ROOT / "templates" / "vyatta")),
        # compiled templates kept between runs, as vra-config keeps them
        bytecode_cache=jinja2.FileSystemBytecodeCache(),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    template = env.get_template("router.j2")
    out = sys.stdout
    for index, rname in enumerate(sorted(routers)):
        if index:
            out.write("\n")  # vra-config separates routers on stdout with a blank line
        r = routers[rname]
        ctx: dict[str, Any] = {
            "tunnels": [],
            "vtis": [],
            "vifs": [],
            "routes": [],
            "interface_routes": [],
            "firewalls": [],
            "ike_groups": [],
            "esp_groups": [],
            "peers": [],
            "prefix_lists": [],
            "route_maps": [],
            "make_before_break": False,
        }
        neighbors = []
        for name, c in by_router[rname]:
            entry = locked[name]
            net = IPv4Network(entry.get("subnet", "0.0.0.0/32"))
            far = c.get("powervs") or c.get("peer")
            hosts = list(net.hosts())
            if c["via"] == "cloud-connection":
                ws = powervs[far]
                remote, peer = str(hosts[0]), str(hosts[4])
                mine = f"{hosts[5]}/30"
                asn = ws.get("asn") or DEFAULT_ASN.get(ws["location"], 64999)
                ctx["tunnels"].append(
                    {
                        "name": f"tun{entry['tunnel']}",
                        "description": q(f"PowerVS {far} via cloud connection {name}"),
                        "local_ip": r["private"]["address"].split("/")[0],
                        "remote_ip": remote,
                        "address": mine,
                        "mtu": 1476,
                        "tcp_mss": 1436,
                    }
                )
                ctx["routes"].append(
                    {
                        "prefix": f"{remote}/32",
                        "next_hop": r["private"]["gateway"],
                        "description": q(f"{name}: PowerVS {far} GRE source"),
                    }
                )
                desc = f"{name}: PowerVS {far}"
            elif c["via"] == "transit-gateway":
                remote, peer, mine = (
                    c["transit_gateway"]["gateway_ip"],
                    str(hosts[0]),
                    f"{hosts[1]}/30",
                )
                asn = c["transit_gateway"]["asn"]
                # the workspace keeps its own ASN behind the gateway (IBM's route reports)
                ws = powervs[far]
                behind = ws.get("asn") or DEFAULT_ASN.get(ws["location"], 64999)
                ctx["tunnels"].append(
                    {
                        "name": f"tun{entry['tunnel']}",
                        "description": q(f"PowerVS {far} via Transit Gateway {name}"),
                        "local_ip": r["private"]["address"].split("/")[0],
                        "remote_ip": remote,
                        "address": mine,
                        # IBM's 9000, capped to what the underlay carries; always clamped
                        "mtu": (tgw_mtu := min(9000, r.get("underlay_mtu", 1500) - 24)),
                        "tcp_mss": tgw_mtu - 40,
                    }
                )
                ctx["routes"].append(
                    {
                        "prefix": f"{remote}/32",
                        "next_hop": r["private"]["gateway"],
                        "description": q(f"{name}: Transit Gateway GRE endpoint"),
                    }
                )
                desc = f"{name}: TGW, PowerVS {far}"
            else:
                site = sites[far]
                peer, mine, asn = str(hosts[1]), f"{hosts[0]}/30", site["asn"]
                vti = f"vti{entry['tunnel']}"
                ctx["vtis"].append(
                    {
                        "name": vti,
                        "description": q(f"IPsec {name} to {far}"),
                        "address": mine,
                        "mtu": 1400,
                        "tcp_mss": 1360,
                    }
                )
                ctx["make_before_break"] = True
                ctx["ike_groups"].append(
                    {
                        "name": f"IKE-{name}",
                        "version": 2,
                        "lifetime": 28800,
                        "encryption": "aes256",
                        "hash": "sha2_256",
                        "dh_group": 20,
                        "dpd": {"action": "restart", "interval": 30, "timeout": 120},
                    }
                )
                ctx["esp_groups"].append(
                    {
                        "name": f"ESP-{name}",
                        "lifetime": 3600,
                        "pfs": "dh-group20",
                        "encryption": "aes256gcm128",
                        "hash": "null",
                    }
                )
                local = r["public"]["address"].split("/")[0]
                ctx["peers"].append(
                    {
                        "address": site["address"],
                        "description": q(f"{name}: {far}"),
                        "local_address": local,
                        "psk": None,  # review output: the key line is withheld
                        "psk_withheld": "# REVIEW COPY: the pre-shared key of "
                        f"{name} is withheld (--show-secrets)",
                        "ike_group": f"IKE-{name}",
                        "esp_group": f"ESP-{name}",
                        "vti": vti,
                        "tunnels": [],
                    }
                )
                desc = f"{name}: {far}"
            accept = own[far] if far in powervs else exports(far, rname, name)
            advertise = exports(rname, far, name)
            for direction, prefixes, verb in (
                ("IN", sorted(accept, key=order), f"accept from {name}"),
                ("OUT", advertise, f"advertise to {name}"),
            ):
                if prefixes:
                    ctx["prefix_lists"].append(
                        {
                            "name": f"PL-{name}-{direction}",
                            "description": q(f"{verb}: exactly the planned prefixes"),
                            "rules": [
                                {"number": 10 * (i + 1), "prefix": p}
                                for i, p in enumerate(prefixes)
                            ],
                        }
                    )
                ctx["route_maps"].append(
                    {
                        "name": f"RM-{name}-{direction}",
                        "description": q(f"{verb}: planned prefixes only"),
                        "prefix_list": f"PL-{name}-{direction}" if prefixes else None,
                        "deny_rule": 65535,
                    }
                )
            neighbors.append(
                {
                    "address": peer,
                    "remote_as": asn,
                    "description": q(desc),
                    "keepalive": 30,
                    "holdtime": 90,
                    "import_map": f"RM-{name}-IN",
                    "export_map": f"RM-{name}-OUT",
                    "multihop": None,
                    "far": far,
                    "conn": name,
                    # every ASN a route from (or to) the far end crosses
                    "far_asns": {asn, behind} if c["via"] == "transit-gateway" else {asn},
                }
            )
        # a workspace's subnets sent to another neighbour that shares an ASN with their path
        # (64999 twice, also behind a Transit Gateway) are re-originated: a static route to
        # the workspace's peer, and a `network`
        reoriginated: set[str] = set()
        for n in neighbors:
            behind_n = sorted(n["far_asns"] - {n["remote_as"]})
            for m in neighbors:
                if m is n or m["far"] not in powervs or not (m["far_asns"] & n["far_asns"]):
                    continue
                dropping = behind_n[0] if set(behind_n) & m["far_asns"] else n["remote_as"]
                for prefix in own[m["far"]]:
                    if prefix in reoriginated or prefix in own[n["far"]]:
                        continue
                    reoriginated.add(prefix)
                    ctx["routes"].append(
                        {
                            "prefix": prefix,
                            "next_hop": m["address"],
                            "description": q(
                                f"{m['conn']}: re-originated so AS {dropping} accepts it"
                            ),
                        }
                    )
        # the plan's own routes, so advertised prefixes are in the RIB
        for route in r.get("routes", []):
            ctx["routes"].append(
                {
                    "prefix": route["prefix"],
                    "next_hop": route["next_hop"],
                    "description": q(f"{rname}: reaches {route['prefix']}"),
                }
            )
        ctx["prefix_lists"].sort(key=lambda p: p["name"])
        ctx["route_maps"].sort(key=lambda p: p["name"])
        ctx["routes"].sort(key=lambda x: order(x["prefix"]))
        ctx["tunnels"].sort(key=lambda t: int(t["name"][3:]))
        networks = sorted({*r.get("advertise", []), *reoriginated}, key=order)
        ctx["bgp"] = (
            {
                "asn": r["asn"],
                "router_id": r.get("router_id"),
                "networks": networks,
                "neighbors": sorted(neighbors, key=lambda n: IPv4Interface(n["address"])),
            }
            if neighbors
            else None
        )
        ctx["header"] = [
            f"# vra-config: router {rname} (IBM Cloud classic), Vyatta 5600",
            f"# plan: {path.name}",
            *(f"# {step}" for step in paste_steps("vyatta", rname, path.name)),
        ]
        if ctx["peers"]:
            ctx["header"].append(
                "# REVIEW COPY: pre-shared keys are withheld on purpose, so this output does "
                "not commit; render with --show-secrets to paste it"
            )
        text = template.render(ctx)
        out.write("\n".join(line for line in text.splitlines() if line.strip()) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
