#!/usr/bin/env python3
"""Fairness under attack, measured against a throw-away release lyceumd on 127.0.0.1:

  handshake   --idle silent TCP sockets from 127.0.0.2 to the TLS port (never a ClientHello),
              then the time a client from 127.0.0.1 takes from connect to the TLS handshake done
              and to its 001;
  logins      --storm wrong `PASS nobodyN:wrong` logins from 100 addresses (127.0.1.x, three
              each, so each address stays under the failed-login throttle), then the time a
              correct `PASS` login from 127.0.0.1 takes to its 001.

    python3 bench/attack/fairness.py [--lyceumd .build-release/release/lyceumd]

Every address but 127.0.0.1 is subject to the server's default per-address limits.
"""
import argparse
import socket
import ssl
import time

from throwaway import Throwaway


def read_until(sock, needle: bytes, timeout: float = 120) -> bytes:
    sock.settimeout(timeout)
    seen = b""
    while needle not in seen:
        chunk = sock.recv(65536)
        if not chunk:
            break
        seen += chunk
    return seen


def handshake(tls_port: int, idle: int) -> None:
    silent = []
    for _ in range(idle):
        sock = socket.socket()
        sock.bind(("127.0.0.2", 0))
        try:
            sock.connect(("127.0.0.1", tls_port))
        except OSError:
            pass
        silent.append(sock)
    time.sleep(1)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    start = time.monotonic()
    raw = socket.create_connection(("127.0.0.1", tls_port))
    client = context.wrap_socket(raw)
    shaken = time.monotonic() - start
    client.sendall(b"NICK fresh\r\nUSER f 0 * :f\r\n")
    read_until(client, b" 001 ")
    welcomed = time.monotonic() - start
    print(f"handshake: {idle} silent sockets from 127.0.0.2; a new client from 127.0.0.1: "
          f"TLS done in {shaken * 1000:.1f} ms, 001 in {welcomed * 1000:.1f} ms")
    client.close()
    for sock in silent:
        sock.close()


def logins(plain_port: int, storm: int) -> None:
    owner = socket.create_connection(("127.0.0.1", plain_port))
    owner.sendall(b"NICK owner\r\nUSER o 0 * :o\r\nREGISTER * * right-password-1\r\n")
    read_until(owner, b"REGISTER SUCCESS")
    owner.sendall(b"QUIT\r\n")
    owner.close()
    wrong = []
    for index in range(storm):
        sock = socket.socket()
        sock.bind((f"127.0.1.{index % 100 + 1}", 0))
        sock.connect(("127.0.0.1", plain_port))
        sock.sendall(f"PASS nobody{index}:wrong-guess\r\nNICK g{index}\r\nUSER g 0 * :g\r\n".encode())
        wrong.append(sock)
    start = time.monotonic()
    good = socket.create_connection(("127.0.0.1", plain_port))
    good.sendall(b"PASS owner:right-password-1\r\nNICK owner\r\nUSER o 0 * :o\r\n")
    read_until(good, b" 001 ")
    took = time.monotonic() - start
    print(f"logins: {storm} wrong logins from 100 addresses queued first; the correct login's "
          f"001 after {took * 1000:.0f} ms")
    for sock in wrong:
        sock.close()
    good.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lyceumd", default=".build-release/release/lyceumd")
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--storm", type=int, default=300)
    args = parser.parse_args()
    server = Throwaway(args.lyceumd)
    try:
        handshake(server.tls, args.idle)
        logins(server.plain, args.storm)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
