#!/usr/bin/env python3
"""Regenerates the captures of server output in protocol/ from a running lyceumd with the
default configuration, so they never drift from what the server sends.

    python3 protocol/tools/capture.py [scenario] [path/to/lyceumd]

Scenarios (each prints `C:`/`S:` lines to paste over the block named):
  registration  PROTOCOL.md "A full registration with capability negotiation" (the default)
  sasl-plain    PROTOCOL.md "SASL PLAIN, captured" and ACCOUNTS.md's SASL PLAIN login
  cap-302       the CAP LS 302 line(s) a client sees (EXTENSIONS.md's threads capture)
  cap-old       PROTOCOL.md's CAP example: CAP LS without a version after registration, REQ,
                NAK and LIST

lyceumd runs on a temporary data directory (accounts made with `lyceumd account create`),
with a plaintext listener on a free loopback port, and is stopped afterwards.
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

SCENARIOS = ("registration", "sasl-plain", "cap-302", "cap-old")


class Capture:
    """One connection to the server, printing what is sent and received."""

    def __init__(self, port: int):
        self.connection = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.reader = self.connection.makefile("r", encoding="utf-8", newline="\r\n")

    def send(self, text: str) -> None:
        print(f"C: {text}")
        self.connection.sendall((text + "\r\n").encode())

    def read_until(self, predicate) -> str:
        while True:
            received = self.reader.readline().rstrip("\r\n")
            if not received:
                sys.exit("the server closed the connection")
            print(f"S: {received}")
            if predicate(received):
                return received

    def cap_ls(self, request: str) -> None:
        """Sends `request` and reads the whole LS reply (one line, or 302 continuation lines)."""
        self.send(request)
        self.read_until(lambda line: re.search(r" CAP \S+ LS :", line) is not None)

    def quit(self) -> None:
        self.send("QUIT")
        self.read_until(lambda line: line.startswith("ERROR"))


def registration(capture: Capture) -> None:
    capture.cap_ls("CAP LS 302")
    capture.send("CAP REQ :server-time message-tags echo-message")
    capture.read_until(lambda line: " ACK " in line)
    for text in ["NICK ada", "USER ada 0 * :Ada Lovelace", "CAP END"]:
        capture.send(text)
    capture.read_until(lambda line: " 376 " in line or " 422 " in line)
    capture.quit()


def sasl_plain(capture: Capture) -> None:
    capture.cap_ls("CAP LS 302")
    capture.send("CAP REQ :sasl")
    capture.read_until(lambda line: " ACK " in line)
    for text in ["NICK ada", "USER ada 0 * :Ada Lovelace", "AUTHENTICATE PLAIN"]:
        capture.send(text)
    capture.read_until(lambda line: line.startswith("AUTHENTICATE"))
    capture.send("AUTHENTICATE AGFkYQBhbmFseXRpY2FsLWVuZ2luZQ==")
    capture.read_until(lambda line: " 903 " in line or " 904 " in line)
    capture.send("CAP END")
    capture.read_until(lambda line: " 001 " in line)


def cap_302(capture: Capture) -> None:
    capture.cap_ls("CAP LS 302")


def cap_old(capture: Capture) -> None:
    for text in ["NICK fay", "USER fay 0 * :Fay"]:
        capture.send(text)
    while " 376 " not in (line := capture.reader.readline()) and " 422 " not in line:
        pass
    capture.cap_ls("CAP LS")
    for request in ["invite-notify", "bogus multi-prefix", "sts", "Multi-Prefix", "-cap-notify"]:
        capture.send(f"CAP REQ :{request}")
        capture.read_until(lambda line: " ACK " in line or " NAK " in line)
    capture.send("CAP LIST")
    capture.read_until(lambda line: " LIST " in line)


def main() -> None:
    arguments = sys.argv[1:]
    scenario = arguments.pop(0) if arguments and arguments[0] in SCENARIOS else "registration"
    binary = arguments[0] if arguments else ".build/debug/lyceumd"
    data = tempfile.mkdtemp(prefix="lyceum-capture-")
    if scenario == "sasl-plain":
        subprocess.run(
            [binary, "account", "create", "ada", "--password-stdin", "--data-dir", data,
             "--create-database"],
            input="analytical-engine\n", text=True, check=True, capture_output=True)
    server = subprocess.Popen(
        [binary, "--data-dir", data, "--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0"],
        stderr=subprocess.PIPE, text=True)
    try:
        port = None
        deadline = time.time() + 30
        while port is None and time.time() < deadline:
            match = re.search(r"listening plain 127\.0\.0\.1:(\d+)", server.stderr.readline())
            if match:
                port = int(match.group(1))
        if port is None:
            sys.exit("lyceumd did not report its plaintext port")
        capture = Capture(port)
        {"registration": registration, "sasl-plain": sasl_plain, "cap-302": cap_302,
         "cap-old": cap_old}[scenario](capture)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
