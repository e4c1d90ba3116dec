"""Judge what a router printed against what the plan expects: one row per thing checked.

Three captured forms are read, each told apart by its shape, never by the file name:

- FRR's `show ip bgp summary json` (the 5600 and DANOS run FRR, and so does the lab): an
  object with `peers`, keyed by neighbour address, each with `state`, `remoteAs`, `pfxRcd`
  (prefixes accepted after the inbound policy) and, from FRR 7.2, `pfxSnt`; either at the top
  or under an address family (`ipv4Unicast`), as FRR versions differ
  (docs.frrouting.org, BGP, "Displaying BGP Information"; FRR bgpd/bgp_vty.c).
- FRR's text form of the same command: a table whose `State/PfxRcd` column holds the
  accepted prefix count once the session is Established, and its state otherwise.
- Junos `show bgp summary | display json`: `bgp-information` / `bgp-peer` with
  `peer-address`, `peer-as`, `peer-state`, and per routing table a `bgp-rib` with
  `received-prefix-count` and `accepted-prefix-count`, every leaf a list of `{"data": ...}`
  (Juniper, `show bgp summary` and "Junos OS JSON output", juniper.net/documentation).
  Its summary has no sent count; the sheet's `show route advertising-protocol bgp` covers it.

Plus FRR's `show ip route json`, judged prefix by prefix against the routes the plan needs.

`judge_bgp_summary(expected, captured_json)` is the entry the lab calls for its own FRR
devices, so the lab and `vra-config verify` judge with the same code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, ip_address
from typing import Any

from vra_config.errors import VraConfigError
from vra_config.verify.expect import ExpectedNeighbor, ExpectedRoute

ESTABLISHED = "Established"


class CaptureError(VraConfigError, ValueError):
    """A captured file in none of the forms `verify` reads (a usage error: exit 2)."""


@dataclass(frozen=True, kw_only=True)
class Row:
    """One judged item: what was checked, what the plan wants, what the router showed."""

    subject: str  # "neighbour 172.16.3.5 (cc-dal12)", "route 10.20.0.0/16"
    check: str  # "state", "prefixes received", ...
    expected: str
    found: str
    ok: bool


@dataclass(frozen=True, kw_only=True)
class Observed:
    """One neighbour as a captured summary shows it."""

    address: IPv4Address
    state: str
    remote_as: int | None
    received: int | None  # accepted after the inbound policy
    sent: int | None


def judge_bgp_summary(
    expected: Sequence[ExpectedNeighbor], captured_json: str | Mapping[str, Any]
) -> list[Row]:
    """Rows for every planned neighbour (and any extra one) of a JSON BGP summary, FRR's or
    Junos's. Raises `CaptureError` for JSON in neither form."""
    data = json.loads(captured_json) if isinstance(captured_json, str) else captured_json
    if not isinstance(data, Mapping):
        raise CaptureError("the JSON is not an object")
    observed = _junos_summary(data) if "bgp-information" in data else _frr_summary(data)
    return compare_neighbors(expected, observed)


def judge_bgp_summary_text(expected: Sequence[ExpectedNeighbor], text: str) -> list[Row]:
    """Rows from FRR's text `show ip bgp summary` (what the 5600's command prints)."""
    return compare_neighbors(expected, _frr_summary_text(text))


def compare_neighbors(
    expected: Sequence[ExpectedNeighbor], observed: Mapping[IPv4Address, Observed]
) -> list[Row]:
    rows: list[Row] = []
    for n in expected:
        subject = f"neighbour {n.address} ({n.connection})"
        seen = observed.get(n.address)
        if seen is None:
            rows.append(
                Row(
                    subject=subject,
                    check="present",
                    expected="configured",
                    found="not in the output",
                    ok=False,
                )
            )
            continue
        up = seen.state == ESTABLISHED
        rows.append(
            Row(subject=subject, check="state", expected=ESTABLISHED, found=seen.state, ok=up)
        )
        if seen.remote_as is not None:
            rows.append(
                Row(
                    subject=subject,
                    check="remote AS",
                    expected=str(n.remote_as),
                    found=str(seen.remote_as),
                    ok=seen.remote_as == n.remote_as,
                )
            )
        if not up:
            continue
        rows.append(_count_row(subject, "prefixes received", n.receive, seen.received))
        if seen.sent is not None:
            rows.append(_count_row(subject, "prefixes sent", n.send, seen.sent))
    planned = {n.address for n in expected}
    for address in sorted(set(observed) - planned):
        seen = observed[address]
        rows.append(
            Row(
                subject=f"neighbour {address}",
                check="not in the plan",
                expected="(not judged)",
                found=seen.state,
                ok=True,
            )
        )
    return rows


def _count_row(subject: str, check: str, nets: tuple[IPv4Network, ...], found: int | None) -> Row:
    wanted = f"{len(nets)} ({', '.join(str(p) for p in nets) or 'none'})"
    shown = "not shown" if found is None else str(found)
    return Row(subject=subject, check=check, expected=wanted, found=shown, ok=found == len(nets))


def _address(text: str) -> IPv4Address | None:
    try:
        found = ip_address(text.split("+")[0])  # Junos may print ADDRESS+PORT
    except ValueError:
        return None
    return found if isinstance(found, IPv4Address) else None


def _frr_summary(data: Mapping[str, Any]) -> dict[IPv4Address, Observed]:
    peers = data.get("peers")
    if peers is None:  # `show bgp summary json`, or a newer FRR: under the address family
        family = data.get("ipv4Unicast")
        peers = family.get("peers") if isinstance(family, Mapping) else None
    if not isinstance(peers, Mapping):
        raise CaptureError(
            "not a BGP summary: expected FRR's `show ip bgp summary json` (an object with "
            "`peers`) or Junos's `show bgp summary | display json` (`bgp-information`)"
        )
    out: dict[IPv4Address, Observed] = {}
    for key, peer in peers.items():
        address = _address(str(key))
        if address is None or not isinstance(peer, Mapping):
            continue
        out[address] = Observed(
            address=address,
            state=str(peer.get("state", "unknown")),
            remote_as=_int(peer.get("remoteAs")),
            received=_int(peer.get("pfxRcd")),
            sent=_int(peer.get("pfxSnt")),
        )
    return out


def _data(node: Mapping[str, Any], key: str) -> str | None:
    """A Junos JSON leaf: `"key": [{"data": "value"}]`."""
    items = node.get(key)
    if isinstance(items, list) and items and isinstance(items[0], Mapping):
        value = items[0].get("data")
        return None if value is None else str(value)
    return None


def _junos_summary(data: Mapping[str, Any]) -> dict[IPv4Address, Observed]:
    out: dict[IPv4Address, Observed] = {}
    for info in data.get("bgp-information") or []:
        for peer in info.get("bgp-peer") or [] if isinstance(info, Mapping) else []:
            address = _address(_data(peer, "peer-address") or "")
            if address is None:
                continue
            accepted: int | None = None
            for rib in peer.get("bgp-rib") or []:
                if _data(rib, "name") == "inet.0":
                    accepted = _int(_data(rib, "accepted-prefix-count"))
            state = _data(peer, "peer-state") or "unknown"
            if state == ESTABLISHED and accepted is None:
                accepted = 0
            out[address] = Observed(
                address=address,
                state=state,
                remote_as=_int(_data(peer, "peer-as")),
                received=accepted,
                sent=None,
            )
    return out


_SUMMARY_HEADER = re.compile(r"^Neighbor\s+V\s+AS\s.*State/PfxRcd")


def _frr_summary_text(text: str) -> dict[IPv4Address, Observed]:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if _SUMMARY_HEADER.match(line)), None)
    if start is None:
        raise CaptureError(
            "not a BGP summary: no `Neighbor ... State/PfxRcd` header of FRR's "
            "`show ip bgp summary` (from Junos, capture `show bgp summary | display json`)"
        )
    header = lines[start].split()
    has_sent = "PfxSnt" in header
    out: dict[IPv4Address, Observed] = {}
    for line in lines[start + 1 :]:
        fields = line.split()
        if len(fields) < 10:
            continue
        address = _address(fields[0])
        if address is None:
            continue
        state_or_count = fields[9]
        received = _int(state_or_count)
        # FRR prints the state instead of a count until the session is Established, and
        # adds words such as "(Admin)" or "(Policy)" after it.
        state = ESTABLISHED if received is not None else state_or_count
        sent = _int(fields[10]) if has_sent and len(fields) > 10 else None
        out[address] = Observed(
            address=address, state=state, remote_as=_int(fields[2]), received=received, sent=sent
        )
    return out


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def judge_routes(
    expected: Sequence[ExpectedRoute], captured_json: str | Mapping[str, Any]
) -> list[Row]:
    """Rows for each route the plan needs, from FRR's `show ip route json`: present,
    selected, from the right protocol and (BGP, or a static via an address) next hop."""
    data = json.loads(captured_json) if isinstance(captured_json, str) else captured_json
    if not isinstance(data, Mapping):
        raise CaptureError("the JSON is not an object")
    return [row for r in expected for row in _route_rows(r, data.get(str(r.prefix)))]


def _route_rows(r: ExpectedRoute, entries: object) -> list[Row]:
    """One route's rows; the first that fails (absent, not selected) ends them."""
    subject = f"route {r.prefix}"
    if not isinstance(entries, list):
        return [_failed(subject, "present", r.protocol, "not in the table")]
    selected = [e for e in entries if isinstance(e, Mapping) and e.get("selected")]
    if not selected:
        return [_failed(subject, "selected", r.protocol, "no selected route")]
    best = selected[0]
    protocol = str(best.get("protocol", "unknown"))
    rows = [
        Row(
            subject=subject,
            check="protocol",
            expected=r.protocol,
            found=protocol,
            ok=protocol == r.protocol,
        )
    ]
    if r.via:
        hops = sorted(
            str(h.get("ip"))
            for h in best.get("nexthops") or []
            if isinstance(h, Mapping) and h.get("ip")
        )
        rows.append(
            Row(
                subject=subject,
                check="next hop",
                expected=" or ".join(str(v) for v in r.via),
                found=", ".join(hops) or "none",
                ok=any(h in {str(v) for v in r.via} for h in hops),
            )
        )
    return rows


def _failed(subject: str, check: str, expected: str, found: str) -> Row:
    return Row(subject=subject, check=check, expected=expected, found=found, ok=False)


def judge_capture(
    neighbors: Sequence[ExpectedNeighbor], routes: Sequence[ExpectedRoute], text: str
) -> list[Row]:
    """Rows from one captured file, whatever form it is in (raises `CaptureError`)."""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise CaptureError(
                f"it starts like JSON but is not: line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        if isinstance(data, Mapping) and _is_route_table(data):
            return judge_routes(routes, data)
        return judge_bgp_summary(neighbors, data)
    return judge_bgp_summary_text(neighbors, text)


def _is_route_table(data: Mapping[str, Any]) -> bool:
    """FRR's `show ip route json`: prefixes as keys, each a list of route entries."""
    return bool(data) and all("/" in k and isinstance(v, list) for k, v in data.items())
