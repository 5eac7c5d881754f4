#!/usr/bin/env python3
"""Regenerates the registration capture in protocol/PROTOCOL.md ("A full registration with
capability negotiation") from a running lyceumd with the default configuration.

    python3 protocol/tools/capture_registration.py [path/to/lyceumd]

Starts lyceumd on a temporary data directory with plaintext on a free loopback port, sends
the client lines below, and prints the exchange as `C:`/`S:` lines (the MOTD shortened is
left as sent). Paste the output over the block in PROTOCOL.md.
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

CLIENT = [
    "CAP LS 302",
    "CAP REQ :server-time message-tags echo-message",
    "NICK ada",
    "USER ada 0 * :Ada Lovelace",
    "CAP END",
]


def main() -> None:
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/lyceumd"
    data = tempfile.mkdtemp(prefix="lyceum-capture-")
    server = subprocess.Popen(
        [binary, "--data-dir", data, "--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0"],
        stderr=subprocess.PIPE, text=True)
    try:
        port = None
        deadline = time.time() + 30
        while port is None and time.time() < deadline:
            line = server.stderr.readline()
            match = re.search(r"listening plain 127\.0\.0\.1:(\d+)", line)
            if match:
                port = int(match.group(1))
        if port is None:
            sys.exit("lyceumd did not report its plaintext port")
        connection = socket.create_connection(("127.0.0.1", port), timeout=5)
        reader = connection.makefile("r", encoding="utf-8", newline="\r\n")

        def read_until(predicate):
            while True:
                received = reader.readline().rstrip("\r\n")
                print(f"S: {received}")
                if predicate(received):
                    return received

        def send(text):
            print(f"C: {text}")
            connection.sendall((text + "\r\n").encode())

        send(CLIENT[0])
        read_until(lambda l: " LS :" in l)
        send(CLIENT[1])
        read_until(lambda l: " ACK " in l)
        for text in CLIENT[2:]:
            send(text)
        read_until(lambda l: " 376 " in l or " 422 " in l)
        send("QUIT")
        read_until(lambda l: l.startswith("ERROR"))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
