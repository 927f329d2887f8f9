#!/usr/bin/env python3
"""Wait until a Kafka broker answers a Metadata request (stdlib only, so it runs before any venv exists).

Usage: ready.py HOST:PORT [TIMEOUT_SECONDS]. Exit 0 once the broker returns metadata naming at least one
broker and a controller; exit 1 on timeout.
"""
from __future__ import annotations

import socket
import struct
import sys
import time


def metadata_request(correlation_id: int) -> bytes:
    client_id = b"modworker-ready"
    # Request header v1: api_key=3 (Metadata), api_version=4, correlation id, client id.
    header = struct.pack(">hhih", 3, 4, correlation_id, len(client_id)) + client_id
    # Metadata v4 body: topics = null (all), allow_auto_topic_creation = false.
    body = struct.pack(">ib", -1, 0)
    payload = header + body
    return struct.pack(">i", len(payload)) + payload


def read_exact(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("broker closed the connection")
        buf += chunk
    return buf


def probe(host: str, port: int) -> int:
    """Return the number of brokers in the metadata response (raises on any failure)."""
    with socket.create_connection((host, port), timeout=2) as sock:
        sock.sendall(metadata_request(7))
        (size,) = struct.unpack(">i", read_exact(sock, 4))
        resp = read_exact(sock, size)
    correlation_id, _throttle, n_brokers = struct.unpack(">iii", resp[:12])
    if correlation_id != 7:
        raise ValueError("unexpected correlation id")
    return n_brokers


def main() -> int:
    host, _, port = sys.argv[1].rpartition(":")
    timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            if probe(host or "127.0.0.1", int(port)) > 0:
                return 0
            last = "metadata named no broker yet"
        except (OSError, ValueError, struct.error) as exc:
            last = str(exc)
        time.sleep(0.3)
    print(f"kafka at {sys.argv[1]} did not answer a metadata request within {timeout:.0f}s: {last}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
