#!/usr/bin/env python3
"""One lyceumd node against two sharing one PostgreSQL database (issue 13's measurements).

    python3 bench/network/run.py [--lyceumd .build-release/release/lyceumd]
        [--bench .build-release/release/lyceum-bench] [--postgres URL] [--out DIR]

Release binaries only. Without --postgres (or LYCEUM_BENCH_POSTGRES_URL) a private cluster is
started with .ci/postgres.sh on port 55433 and stopped at the end. Every server gets a fresh
schema. Scenarios, each with its RESULT lines saved under --out:

- fan-out over TLS with `lyceum-bench fanout` (200 members and 10 senders as fast as the
  window allows; 1000 members and 20 senders at 100 msg/s): on one node with SQLite, on one
  node with PostgreSQL, and on two nodes with the members (and senders) split evenly over
  them (`--also-port`), CPU and peak RSS summed over both processes;
- a node's death: a client on node A and one on node B share a room; A is killed with -9;
  how long until B's client sees A's client quit, for a lease of 10 s (the default) and 2 s.
"""
import argparse
import datetime
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "attack"))
from throwaway import Throwaway  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BASE_CONFIG = """flood:
  command-burst: 100000
  command-rate: 100000
  command-queue: 100000
connections:
  exempt-ips: ["127.0.0.1"]
limits:
  max-clients: 5000
  send-queue-bytes: 8388608
timeouts:
  ping-interval: 600s
  ping-timeout: 600s
sts:
  enabled: false
history:
  enabled: true
log-level: warning
"""


def private_postgres() -> str:
    env = dict(os.environ, LYCEUM_PG_PORT="55433", LYCEUM_PG_DIR="/tmp/lyceum-bench-pg")
    out = subprocess.run([os.path.join(ROOT, ".ci/postgres.sh"), "start"], env=env, check=True,
                         capture_output=True, text=True).stdout
    match = re.search(r"LYCEUM_TEST_POSTGRES_URL='?([^'\s]+)", out)
    if not match:
        raise SystemExit(f"no URL from .ci/postgres.sh:\n{out}")
    return match.group(1)


def stop_private_postgres() -> None:
    env = dict(os.environ, LYCEUM_PG_PORT="55433", LYCEUM_PG_DIR="/tmp/lyceum-bench-pg")
    subprocess.run([os.path.join(ROOT, ".ci/postgres.sh"), "stop"], env=env, check=False)


def fresh_schema(url: str) -> str:
    """A new empty schema; the URL that puts a server in it."""
    name = "bench_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", url, "-q", "-c", f"CREATE SCHEMA {name}"], check=True)
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-c%20search_path%3D{name}"


def node_config(store: str | None, node: str | None, lease: str = "10s") -> str:
    config = BASE_CONFIG
    if store:
        config += f"store: '{store}'\n"
    if node:
        config += f"network:\n  node: {node}\n  lease: {lease}\n"
    return config


def fanout(bench: str, ports: list[int], pids: list[int], extra: list[str]) -> str:
    command = [bench, "fanout", "--tls", "--host", "127.0.0.1", "--port", str(ports[0])]
    for port in ports[1:]:
        command += ["--also-port", str(port)]
    for pid in pids:
        command += ["--server-pid", str(pid)]
    command += ["--threads", "2"] + extra
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    results = [line for line in done.stdout.splitlines() if line.startswith("RESULT")]
    return results[-1] if results else f"# no RESULT (exit {done.returncode}): {done.stderr[-500:]}"


def tls_client(port: int, nick: str) -> ssl.SSLSocket:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    sock = context.wrap_socket(socket.create_connection(("127.0.0.1", port)))
    sock.sendall(f"NICK {nick}\r\nUSER {nick} 0 * :{nick}\r\n".encode())
    read_until(sock, lambda line: " 001 " in line, 10)
    return sock


def read_until(sock: ssl.SSLSocket, predicate, timeout: float) -> float:
    """Reads lines until one matches; returns the monotonic time it arrived."""
    deadline = time.monotonic() + timeout
    buffer = b""
    while True:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            raise SystemExit("connection closed")
        buffer += chunk
        while b"\r\n" in buffer:
            line, buffer = buffer.split(b"\r\n", 1)
            text = line.decode(errors="replace")
            if text.startswith("PING"):
                sock.sendall(("PONG" + text[4:] + "\r\n").encode())
            if predicate(text):
                return time.monotonic()
        if time.monotonic() > deadline:
            raise SystemExit("timed out")


def node_loss(lyceumd: str, url: str, lease: str) -> float:
    store = fresh_schema(url)
    a = Throwaway(lyceumd, node_config(store, "a", lease))
    b = Throwaway(lyceumd, node_config(store, "b", lease))
    try:
        alice = tls_client(a.tls, "alice")
        alice.sendall(b"JOIN #loss\r\n")
        read_until(alice, lambda line: " 366 " in line, 10)
        bob = tls_client(b.tls, "bob")
        # Join once B has heard of the room (NAMES shows alice).
        for _ in range(200):
            bob.sendall(b"NAMES #loss\r\n")
            seen = []
            read_until(bob, lambda line: seen.append(line) or " 366 " in line, 10)
            if any(" 353 " in line and "alice" in line for line in seen):
                break
        bob.sendall(b"JOIN #loss\r\n")
        read_until(alice, lambda line: "JOIN" in line and line.startswith(":bob!"), 10)
        a.process.kill()
        killed = time.monotonic()
        seen_at = read_until(bob, lambda line: line.startswith(":alice!") and " QUIT " in line, 60)
        return seen_at - killed
    finally:
        a.process.kill()
        b.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lyceumd", default=".build-release/release/lyceumd")
    parser.add_argument("--bench", default=".build-release/release/lyceum-bench")
    parser.add_argument("--postgres", default=os.environ.get("LYCEUM_BENCH_POSTGRES_URL"))
    parser.add_argument("--out", default=os.path.join(
        ROOT, "bench/results", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")))
    parser.add_argument("--losses", type=int, default=3, help="node kills per lease")
    args = parser.parse_args()
    url = args.postgres or private_postgres()
    os.makedirs(args.out, exist_ok=True)
    lines: list[str] = []

    def record(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    loads = {
        "saturated-c200-s10": ["--clients", "200", "--senders", "10", "--rate", "0",
                               "--seconds", "10"],
        "rate100-c1000-s20": ["--clients", "1000", "--senders", "20", "--rate", "100",
                              "--seconds", "10", "--connecting", "50"],
    }
    try:
        for load, extra in loads.items():
            for setup in ("sqlite-1node", "postgresql-1node", "postgresql-2nodes"):
                servers = []
                try:
                    if setup == "sqlite-1node":
                        servers = [Throwaway(args.lyceumd, node_config(None, None))]
                    elif setup == "postgresql-1node":
                        servers = [Throwaway(args.lyceumd, node_config(fresh_schema(url), None))]
                    else:
                        store = fresh_schema(url)
                        servers = [Throwaway(args.lyceumd, node_config(store, name))
                                   for name in ("a", "b")]
                    result = fanout(args.bench, [s.tls for s in servers],
                                    [s.pid for s in servers], extra)
                    record(f"# {setup} {load}\n{result}")
                finally:
                    for server in servers:
                        server.stop()
        for lease in ("10s", "2s"):
            for attempt in range(args.losses):
                seconds = node_loss(args.lyceumd, url, lease)
                record(f"RESULT node-loss lease={lease} attempt={attempt + 1} "
                       f"quit_seen_after_s={seconds:.2f}")
    finally:
        if not args.postgres:
            stop_private_postgres()
        with open(os.path.join(args.out, "network.txt"), "w") as file:
            file.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
