#!/usr/bin/env python3
"""Bot libraries against a real lyceumd: each logs in with an API token and posts a line that
a reader in the room must receive.

    pip install ircrobots pydle pure-sasl
    python3 bench/interop/bots.py [path/to/lyceumd]

- ircrobots: SASL SCRAM-SHA-256 with the token as the password;
- pydle: `PASS bot:TOKEN` (pydle 1.2 reads only the last line of a split `CAP LS`, so it
  never starts SASL on a server whose capability list needs two lines).

Prints one line per library and exits non-zero if any failed. lyceumd runs on a temporary
data directory with loopback listeners and is stopped afterwards.
"""
import asyncio
import re
import socket
import ssl
import subprocess
import sys
import tempfile
import time


def start_server(binary: str, data: str) -> tuple[subprocess.Popen, int]:
    server = subprocess.Popen(
        [binary, "--data-dir", data, "--listen", "127.0.0.1:0", "--tls-listen", "127.0.0.1:0"],
        stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        match = re.search(r"listening tls 127\.0\.0\.1:(\d+)", server.stderr.readline())
        if match:
            return server, int(match.group(1))
    server.terminate()
    sys.exit("lyceumd did not report its TLS port")


class Reader:
    """A plain client in #lobby, over TLS, collecting what is said there."""

    def __init__(self, port: int):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        raw = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock = context.wrap_socket(raw)
        self.buffer = b""
        self.send("NICK reader")
        self.send("USER reader 0 * :Reader")
        self.wait_for(lambda line: " 001 " in line)
        self.send("JOIN #lobby")
        self.wait_for(lambda line: " 366 " in line)

    def send(self, text: str) -> None:
        self.sock.sendall((text + "\r\n").encode())

    def wait_for(self, predicate, timeout: float = 15) -> str | None:
        deadline = time.time() + timeout
        self.sock.settimeout(0.5)
        while time.time() < deadline:
            while b"\r\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\r\n", 1)
                text = line.decode(errors="replace")
                if text.startswith("PING"):
                    self.send("PONG" + text[4:])
                if predicate(text):
                    return text
            try:
                chunk = self.sock.recv(65536)
            except (socket.timeout, TimeoutError):
                continue
            if not chunk:
                return None
            self.buffer += chunk
        return None


async def ircrobots_post(port: int, token: str, text: str) -> None:
    from ircrobots import Bot, ConnectionParams, SASLSCRAM, Server
    from ircrobots.security import TLSNoVerify
    from irctokens import build

    done = asyncio.Event()

    class Poster(Server):
        async def line_read(self, line):
            if line.command == "001":
                await self.send(build("PRIVMSG", ["#lobby", text]))
                await self.send(build("QUIT", ["done"]))
                done.set()

    class Robots(Bot):
        def create_server(self, name):
            return Poster(self, name)

    bot = Robots()
    params = ConnectionParams(
        "ircrobot", "127.0.0.1", port, tls=TLSNoVerify(), sasl=SASLSCRAM("herald", token))
    await bot.add_server("lyceum", params)
    runner = asyncio.create_task(bot.run())
    try:
        await asyncio.wait_for(done.wait(), 15)
    finally:
        runner.cancel()


async def pydle_post(port: int, token: str, text: str) -> None:
    import pydle

    done = asyncio.Event()

    class Poster(pydle.Client):
        async def on_connect(self):
            await super().on_connect()
            await self.message("#lobby", text)
            done.set()

    bot = Poster("pydlebot")
    await bot.connect("127.0.0.1", port, tls=True, tls_verify=False, password="herald:" + token)
    await asyncio.wait_for(done.wait(), 15)
    await asyncio.sleep(0.2)
    bot.connection.writer.close()


def main() -> None:
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/lyceumd"
    data = tempfile.mkdtemp(prefix="lyceum-interop-")
    subprocess.run(
        [binary, "account", "create", "herald", "--role", "bot", "--data-dir", data,
         "--create-database"], check=True, capture_output=True)
    server, port = start_server(binary, data)
    failures = 0
    try:
        reader = Reader(port)
        for name, post in [("ircrobots (SASL SCRAM-SHA-256, token)", ircrobots_post),
                           ("pydle (PASS account:token)", pydle_post)]:
            token = subprocess.run(
                [binary, "token", "create", "herald", name.split()[0], "--data-dir", data],
                check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
            text = f"posted by {name.split()[0]}"
            try:
                asyncio.run(post(port, token, text))
                seen = reader.wait_for(lambda line, text=text: line.endswith(":" + text))
            except Exception as error:  # a library's own failure is this check's result
                seen = None
                print(f"  {type(error).__name__}: {error}")
            ok = seen is not None
            print(f"{'ok  ' if ok else 'FAIL'} {name}: {seen or 'nothing arrived in #lobby'}")
            failures += 0 if ok else 1
    finally:
        server.terminate()
        server.wait(timeout=10)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
