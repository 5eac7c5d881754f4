#!/usr/bin/env python3
"""How long an unrelated PING waits while --clients clients join one room at once.

    python3 bench/attack/join_storm.py [--lyceumd .build-release/release/lyceumd] [--clients 5000]

Starts a throw-away lyceumd (plaintext on 127.0.0.1, loopback exempt, flood control off),
registers --clients clients (draining their sockets in a thread so none is dropped), then has
them all send `JOIN #big` at once while another client, in no channel, sends a PING every
50 ms. Prints the PING round trips (median, max) during the storm and how long the storm took.
"""
import argparse
import os
import selectors
import socket
import threading
import time

from throwaway import Throwaway


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lyceumd", default=".build-release/release/lyceumd")
    parser.add_argument("--clients", type=int, default=5000)
    args = parser.parse_args()
    server = Throwaway(
        args.lyceumd,
        "flood:\n  command-burst: 1000000\n  command-rate: 1000000\n  command-queue: 1000000\n"
        "limits:\n  max-clients: 20000\n  send-queue-bytes: 67108864\nhistory:\n  enabled: false\n")
    port = server.plain
    if os.environ.get("JOIN_STORM_PID_FILE"):
        with open(os.environ["JOIN_STORM_PID_FILE"], "w") as file:
            file.write(str(server.pid))

    selector = selectors.DefaultSelector()
    joined = 0
    lock = threading.Lock()
    stop = threading.Event()
    clients = []
    for index in range(args.clients):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setblocking(False)
        sock.sendall(f"NICK j{index}\r\nUSER j 0 * :j\r\n".encode())
        selector.register(sock, selectors.EVENT_READ, bytearray())
        clients.append(sock)

    def drain() -> None:
        nonlocal joined
        while not stop.is_set():
            for key, _ in selector.select(timeout=0.1):
                try:
                    chunk = key.fileobj.recv(1 << 20)
                except BlockingIOError:
                    continue
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                buffer = key.data
                buffer += chunk
                while (end := buffer.find(b"\r\n")) >= 0:
                    line = bytes(buffer[:end])
                    del buffer[: end + 2]
                    if b" 366 " in line:
                        with lock:
                            joined += 1

    threading.Thread(target=drain, daemon=True).start()
    time.sleep(3)
    pinger = socket.create_connection(("127.0.0.1", port))
    pinger.sendall(b"NICK pinger\r\nUSER p 0 * :p\r\n")
    pinger.settimeout(60)
    seen = b""
    while b" 001 " not in seen:
        seen += pinger.recv(65536)
    start = time.monotonic()
    for sock in clients:
        try:
            sock.sendall(b"JOIN #big\r\n")
        except BlockingIOError:
            pass
    rtts = []
    buffer = b""
    while True:
        with lock:
            done = joined >= args.clients
        if done or time.monotonic() - start > 300:
            break
        sent = time.monotonic()
        token = f"t{len(rtts)}".encode()
        pinger.sendall(b"PING :" + token + b"\r\n")
        while b"PONG" not in buffer or token not in buffer:
            buffer += pinger.recv(65536)
        rtts.append(time.monotonic() - sent)
        buffer = b""
        time.sleep(0.05)
    took = time.monotonic() - start
    stop.set()
    rtts.sort()
    print(f"{joined} of {args.clients} joined #big in {took:.1f} s; unrelated PING during the "
          f"storm: {len(rtts)} round trips, median {rtts[len(rtts) // 2] * 1000:.0f} ms, "
          f"max {rtts[-1] * 1000:.0f} ms")
    server.stop()


if __name__ == "__main__":
    main()
