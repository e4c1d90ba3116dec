"""ICMP echo from given source addresses, run inside one lab namespace.

`python -m vra_config.lab.probe SRC,DST ...` prints `{"SRC,DST": true|false}` as JSON. A raw
socket bound to SRC sends echo requests (RFC 792) and waits for the reply from DST, so a
success proves the forward path and the return path to SRC. It needs no ping binary.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import socket
import struct
import sys
import time

ECHO_REQUEST = 8
ECHO_REPLY = 0
RESEND = 0.3


def checksum(data: bytes) -> int:
    """The Internet checksum (RFC 1071)."""
    if len(data) % 2:
        data += b"\0"
    total: int = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def echo_request(ident: int, seq: int) -> bytes:
    payload = b"vra-config lab"
    header = struct.pack("!BBHHH", ECHO_REQUEST, 0, 0, ident, seq)
    return struct.pack("!BBHHH", ECHO_REQUEST, 0, checksum(header + payload), ident, seq) + payload


def probe(pairs: list[tuple[str, str]], timeout: float) -> dict[str, bool]:
    """Whether each DST answered SRC within `timeout` seconds (requests resent meanwhile)."""
    base = os.getpid() & 0x7FFF
    sockets: dict[socket.socket, tuple[int, str, str]] = {}
    result = {f"{src},{dst}": False for src, dst in pairs}
    for i, (src, dst) in enumerate(pairs):
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        s.bind((src, 0))
        sockets[s] = ((base + i) & 0xFFFF, src, dst)
    deadline = time.monotonic() + timeout
    next_send = 0.0
    seq = 0
    try:
        while time.monotonic() < deadline and not all(result.values()):
            now = time.monotonic()
            if now >= next_send:
                seq += 1
                for s, (ident, src, dst) in sockets.items():
                    if not result[f"{src},{dst}"]:
                        with contextlib.suppress(OSError):  # no route: it stays False
                            s.sendto(echo_request(ident, seq), (dst, 0))
                next_send = now + RESEND
            ready, _, _ = select.select(
                list(sockets), [], [], max(0.0, min(next_send, deadline) - now)
            )
            for s in ready:
                packet, (sender, _) = s.recvfrom(2048)
                ihl = (packet[0] & 0x0F) * 4
                kind, _, _, ident, _ = struct.unpack("!BBHHH", packet[ihl : ihl + 8])
                for other, (want, src, dst) in sockets.items():
                    if kind == ECHO_REPLY and ident == want and sender == dst and other is s:
                        result[f"{src},{dst}"] = True
    finally:
        for s in sockets:
            s.close()
    return result


def main() -> None:
    pairs = [tuple(arg.split(",", 1)) for arg in sys.argv[2:]]
    timeout = float(sys.argv[1])
    print(json.dumps(probe([(a, b) for a, b in pairs], timeout)))


if __name__ == "__main__":
    main()
