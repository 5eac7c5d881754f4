#!/usr/bin/env python3
"""RSS of lyceumd before, during and after N clients that never read are dropped.

    python3 bench/attack/non_readers.py [--lyceumd .build-release/release/lyceumd] [--clients 500]

Starts a throw-away lyceumd on 127.0.0.1 (plaintext, flood control off, loopback exempt),
connects --clients clients that register, join #flood and then never read (a 4 KiB receive
buffer), and one sender that fills #flood with 400-byte lines until every silent client has
been dropped for exceeding its send queue (limits.send-queue-bytes, 1 MiB by default). Prints
the server's VmRSS at the start, its peak, right after the last drop, and 15 s later, and the
peak per dropped client against the send queue. Release builds only give meaningful figures.
"""
import argparse
import socket
import threading
import time

from throwaway import Throwaway


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lyceumd", default=".build-release/release/lyceumd")
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--after", type=float, default=15.0)
    args = parser.parse_args()

    server = Throwaway(
        args.lyceumd,
        "flood:\n  command-burst: 1000000\n  command-rate: 1000000\n  command-queue: 1000000\n"
        "connections:\n  exempt-ips: [127.0.0.1]\nlimits:\n  max-clients: 20000\n"
        "history:\n  enabled: false\n")
    port = server.plain
    time.sleep(0.5)
    start = rss_kib(server.pid)

    silent = []
    for index in range(args.clients):
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", port))
        sock.sendall(f"NICK s{index}\r\nUSER s 0 * :s\r\nJOIN #flood\r\n".encode())
        silent.append(sock)
    sender = socket.create_connection(("127.0.0.1", port))
    sender.sendall(b"NICK sender\r\nUSER s 0 * :s\r\nJOIN #flood\r\n")
    quits = 0
    done = threading.Event()

    def read_sender() -> None:
        nonlocal quits
        buffer = b""
        while not done.is_set():
            try:
                chunk = sender.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            *lines, buffer = buffer.split(b"\r\n")
            for line in lines:
                if b" QUIT " in line and b"SendQ" in line:
                    quits += 1
            if quits >= args.clients:
                done.set()

    threading.Thread(target=read_sender, daemon=True).start()
    time.sleep(2.0)
    registered = rss_kib(server.pid)
    line = b"PRIVMSG #flood :" + b"z" * 400 + b"\r\n"
    burst = line * 100
    peak = registered
    deadline = time.time() + 300
    while not done.is_set() and time.time() < deadline:
        sender.sendall(burst)
        peak = max(peak, rss_kib(server.pid))
    dropped = rss_kib(server.pid)
    time.sleep(args.after)
    after = rss_kib(server.pid)
    queue = 1024
    print(f"clients dropped: {quits} of {args.clients}")
    print(f"RSS at start: {start / 1024:.1f} MiB; all registered and joined: {registered / 1024:.1f} MiB")
    print(f"RSS peak: {peak / 1024:.1f} MiB = {(peak - registered) / args.clients / queue:.2f}x the "
          f"1 MiB send queue per silent client")
    print(f"RSS right after the last drop: {dropped / 1024:.1f} MiB; {args.after:.0f} s later: "
          f"{after / 1024:.1f} MiB")
    done.set()
    for sock in silent:
        sock.close()
    sender.close()
    server.stop()


if __name__ == "__main__":
    main()
