"""A throw-away release lyceumd on 127.0.0.1 for the attack scripts in this folder."""
import os
import re
import subprocess
import tempfile
import threading


class Throwaway:
    """Starts `binary` on a new data directory with plaintext and TLS on free loopback ports,
    with `config` (YAML text) if given; `plain` and `tls` are the ports it reports. Its log is
    read (and dropped) in the background so that it never blocks on a full pipe."""

    def __init__(self, binary: str, config: str = "") -> None:
        data = tempfile.mkdtemp(prefix="lyceum-attack-")
        arguments = [binary, "--data-dir", os.path.join(data, "d"), "--listen", "127.0.0.1:0",
                     "--tls-listen", "127.0.0.1:0"]
        if config:
            path = os.path.join(data, "config.yaml")
            with open(path, "w") as file:
                file.write(config)
            arguments += ["--config", path]
        # The listening lines are logged at info, whatever the configuration says.
        arguments += ["--log-level", "info"]
        self.process = subprocess.Popen(arguments, stderr=subprocess.PIPE, text=True)
        self.plain = self.tls = None
        while self.plain is None or self.tls is None:
            line = self.process.stderr.readline()
            if not line:
                raise SystemExit("lyceumd ended before it listened")
            if match := re.search(r"listening plain 127\.0\.0\.1:(\d+)", line):
                self.plain = int(match.group(1))
            if match := re.search(r"listening tls 127\.0\.0\.1:(\d+)", line):
                self.tls = int(match.group(1))
        threading.Thread(target=lambda: [None for _ in self.process.stderr], daemon=True).start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
