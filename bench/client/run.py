#!/usr/bin/env python3
"""Terminal client benchmark: `lyceum` beside WeeChat, against one release `lyceumd`.

Runs both clients in tmux (120x40, LANG=C.UTF-8, TERM=xterm-256color) against a throw-away
release lyceumd bound to 127.0.0.1, over TLS, and measures, client after client in the same run:

  startup   time from starting the client to the first screen showing the active room's
            history, joined to --start-rooms rooms of --room-messages messages (median of
            --repeats runs, the two clients alternating);
  keys      keystroke-to-screen latency: --keys single characters typed into the input line,
            each timed until `tmux capture-pane` shows it (median, p99);
  redraw    client CPU time (/proc/PID/stat utime+stime) per redraw: --redraws PgUp/PgDn
            presses on a room holding --big-messages lines, each waited for on screen, minus
            the client's idle CPU over the same time; also CPU per incoming message while
            those lines arrived;
  memory    VmRSS of the client joined to --mem-rooms rooms of --room-messages messages each,
            once it has settled.

Builds nothing: the release binaries must exist (see --help). Python 3 standard library only.
Raw results go to bench/results/<UTC date>-client/ (or --out).
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TMUX_SOCKET = "lyceum-client-bench"
COLS, ROWS = 120, 40
CLK_TCK = os.sysconf("SC_CLK_TCK")

BUILD_HINT = """build them first (release, in a scratch folder of their own):
  cd {root} && swift build -c release --scratch-path .build-release --product lyceumd \\
    && swift build -c release --scratch-path .build-release --product lyceum"""


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# tmux


def tmux(*args, check=True):
    return subprocess.run(["tmux", "-L", TMUX_SOCKET, *args], capture_output=True, text=True,
                          check=check)


def capture(target):
    r = subprocess.run(["tmux", "-L", TMUX_SOCKET, "capture-pane", "-p", "-t", target],
                       capture_output=True, text=True)
    return r.stdout


def send_keys(target, *keys, literal=False):
    args = ["send-keys", "-t", target]
    if literal:
        args.append("-l")
    tmux(*args, *keys)


def new_session(name):
    tmux("kill-session", "-t", name, check=False)
    tmux("new-session", "-d", "-s", name, "-x", str(COLS), "-y", str(ROWS), "sleep 1000000")
    tmux("set-option", "-t", name, "remain-on-exit", "off")


def start_in_pane(name, command):
    """Replaces the pane's program with `command` (exec'd, so the pane's pid is the client's)."""
    tmux("respawn-pane", "-k", "-t", name, "exec " + command)
    pid = int(tmux("display-message", "-p", "-t", name, "#{pane_pid}").stdout.strip())
    return pid


def wait_screen(target, predicate, timeout, poll):
    """Polls capture-pane every `poll` s; returns (monotonic time the matching capture returned,
    screen) or (None, last screen)."""
    deadline = time.monotonic() + timeout
    screen = ""
    while True:
        start = time.monotonic()
        screen = capture(target)
        now = time.monotonic()
        if predicate(screen):
            return now, screen
        if now > deadline:
            return None, screen
        rest = poll - (time.monotonic() - start)
        if rest > 0:
            time.sleep(rest)


# ---------------------------------------------------------------------------------------------
# /proc


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # after the comm field: state is fields[0]; utime is field 14 overall -> index 11 here.
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def stop_pid(pid, timeout=5.0):
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split(") ")[1][0] == "Z":
            return
        time.sleep(0.02)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# ---------------------------------------------------------------------------------------------
# the server and the seeding client


SERVER_CONFIG = """# lyceumd configuration for bench/client/run.py (written by the script). Flood control and
# per-IP limits out of the way, so that the bench measures the clients, not the server's
# protections; 100 rooms per client; replay-on-join 100 so that a client without
# draft/chathistory (WeeChat) is shown the same 100 lines that lyceum fetches.
flood:
  command-burst: 100000
  command-rate: 100000
  command-queue: 100000
  history-burst: 100000
  history-rate: 100000
connections:
  exempt-ips: ["127.0.0.1"]
limits:
  channels-per-client: 200
  send-queue-bytes: 67108864
history:
  replay-on-join: {replay}
  max-messages: 100
sts:
  enabled: false
log-level: info
"""


class Server:
    def __init__(self, binary, work, port, tls_port, replay):
        self.port, self.tls_port = port, tls_port
        self.data = os.path.join(work, "server-data")
        os.makedirs(self.data)
        self.config = os.path.join(work, "lyceumd.yaml")
        with open(self.config, "w") as f:
            f.write(SERVER_CONFIG.format(replay=replay))
        self.log_path = os.path.join(work, "lyceumd.log")
        self.log_file = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [binary, "--config", self.config, "--data-dir", self.data,
             "--listen", f"127.0.0.1:{port}", "--tls-listen", f"127.0.0.1:{tls_port}"],
            stdout=self.log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        self.fingerprint = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"lyceumd exited ({self.proc.returncode}); see {self.log_path}")
            text = open(self.log_path).read()
            m = re.search(r"fingerprint ([0-9a-fA-F:]{64,})", text)
            if m and self._listening():
                self.fingerprint = m.group(1).replace(":", "").lower()
                return
            time.sleep(0.05)
        raise SystemExit(f"lyceumd did not start; see {self.log_path}")

    def _listening(self):
        try:
            socket.create_connection(("127.0.0.1", self.tls_port), timeout=0.5).close()
            return True
        except OSError:
            return False

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log_file.close()


class Seeder:
    """A plaintext IRC client that registers an account (so the rooms it creates are registered
    and keep their history) and writes messages."""

    def __init__(self, port, nick="seed"):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buf = b""
        self.token = 0
        self.send(f"NICK {nick}", f"USER {nick} 0 * :seed", f"REGISTER * * {nick}-bench-password")
        self.wait_for(lambda l: " 001 " in l, 30)
        self.wait_for(lambda l: "REGISTER SUCCESS" in l or " 900 " in l, 30)

    def send(self, *lines):
        self.sock.sendall("".join(l + "\r\n" for l in lines).encode())

    def lines(self, timeout):
        self.sock.settimeout(timeout)
        data = self.sock.recv(65536)
        if not data:
            raise SystemExit("seeder: connection closed by the server")
        self.buf += data
        *done, self.buf = self.buf.split(b"\r\n")
        for l in done:
            line = l.decode("utf-8", "replace")
            if line.startswith("PING "):
                self.send("PONG " + line[5:])
            yield line

    def wait_for(self, predicate, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines(max(0.1, deadline - time.monotonic())):
                if line.startswith("ERROR") or " FAIL " in line or line.startswith("FAIL"):
                    raise SystemExit("seeder: " + line)
                if predicate(line):
                    return line
        raise SystemExit("seeder: timed out")

    def sync(self):
        self.token += 1
        tok = f"sync{self.token}"
        self.send(f"PING :{tok}")
        self.wait_for(lambda l: "PONG" in l and tok in l, 120)

    def join(self, rooms):
        for r in rooms:
            self.send(f"JOIN {r}")
        self.sync()

    def post(self, room, count, label, width=3, chunk=500):
        name = room.lstrip("#")
        for start in range(0, count, chunk):
            lines = []
            for i in range(start, min(count, start + chunk)):
                lines.append(f"PRIVMSG {room} :{name} n{i:0{width}d} {label} sample {i % 97} "
                             f"agrees with run {i % 13} within error")
            self.send(*lines)
            self.sync()

    def quit(self):
        self.send("QUIT :seeded")
        self.sock.close()


# ---------------------------------------------------------------------------------------------
# the clients


class Lyceum:
    name = "lyceum"

    def __init__(self, binary, work, server):
        self.binary, self.work, self.server = binary, work, server
        self.runs = 0

    def command(self, rooms):
        self.runs += 1
        home = os.path.join(self.work, f"lyceum-home-{self.runs}")
        os.makedirs(os.path.join(home, "lyceum"))
        path = os.path.join(home, "lyceum", "config")
        with open(path, "w") as f:
            f.write(f"server 127.0.0.1:{self.server.tls_port}\n"
                    f"nick lyc{self.runs}\n"
                    f"channels {','.join(rooms)}\n"
                    f"pin {self.server.fingerprint}\n")
        os.chmod(path, 0o600)
        return (f"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color XDG_CONFIG_HOME={home} "
                f"{self.binary}")


class WeeChat:
    name = "weechat"

    def __init__(self, binary, work, server):
        self.binary, self.work, self.server = binary, work, server
        self.runs = 0
        self.template = os.path.join(work, "weechat-template")

    def prepare(self):
        """Writes a WeeChat home once (server, TLS without verification, 20 000 lines per
        buffer), so that each timed start is an ordinary start, not WeeChat's first run."""
        s = self.server
        cmds = "; ".join([
            f"/server add l 127.0.0.1/{s.tls_port} -ssl",
            "/set irc.server.l.ssl_verify off",
            "/set irc.server.l.nicks wee0",
            "/set irc.server.l.autoconnect on",
            "/set irc.server.l.autojoin \"#placeholder\"",
            "/set weechat.history.max_buffer_lines_number 20000",
            "/save", "/quit"])
        new_session("wc-prep")
        pid = start_in_pane("wc-prep", f"env LANG=C.UTF-8 TERM=xterm-256color {self.binary} "
                                       f"--dir {self.template} -r '{cmds}'")
        deadline = time.monotonic() + 20
        while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
            time.sleep(0.05)
        tmux("kill-session", "-t", "wc-prep", check=False)
        irc = open(os.path.join(self.template, "irc.conf")).read()
        if "127.0.0.1/" not in irc:
            raise SystemExit("weechat: preparing its home failed (no server in irc.conf)")

    def command(self, rooms):
        self.runs += 1
        home = os.path.join(self.work, f"weechat-home-{self.runs}")
        shutil.copytree(self.template, home)
        path = os.path.join(home, "irc.conf")
        irc = open(path).read()
        irc = re.sub(r'^l\.nicks = .*$', f'l.nicks = "wee{self.runs}"', irc, flags=re.M)
        irc = re.sub(r'^l\.autojoin = .*$', f'l.autojoin = "{",".join(rooms)}"', irc,
                     flags=re.M)
        open(path, "w").write(irc)
        return f"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color {self.binary} --dir {home}"


def input_line(screen):
    lines = [l.rstrip() for l in screen.split("\n") if l.strip()]
    return lines[-1] if lines else ""


# ---------------------------------------------------------------------------------------------
# scenarios


def history_shown(rooms, last):
    names = [r.lstrip("#") for r in rooms]
    pat = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r") n" + last + r"\b")
    return lambda screen: pat.search(screen) is not None


def run_startup(clients, rooms, messages, repeats, poll, raw):
    last = f"{messages - 1:03d}"
    results = {c.name: [] for c in clients}
    for rep in range(repeats):
        order = clients if rep % 2 == 0 else list(reversed(clients))
        for c in order:
            sess = f"start-{c.name}"
            new_session(sess)
            cmd = c.command(rooms)
            t0 = time.monotonic()
            pid = start_in_pane(sess, cmd)
            t, screen = wait_screen(sess, history_shown(rooms, last), 60, poll)
            elapsed = None if t is None else t - t0
            raw.write(json.dumps({"scenario": "startup", "client": c.name, "repeat": rep,
                                  "rooms": len(rooms), "seconds": elapsed}) + "\n")
            with open(os.path.join(OUT, f"startup-{c.name}-{rep}.screen.txt"), "w") as f:
                f.write(screen)
            log(f"startup {c.name} #{rep}: {elapsed if elapsed is None else round(elapsed, 3)} s")
            results[c.name].append(elapsed)
            time.sleep(1.0)  # let it finish joining before it is stopped
            stop_pid(pid)
            tmux("kill-session", "-t", sess, check=False)
            time.sleep(0.5)
    return results


def run_keys(clients, room, messages, nkeys, poll, raw):
    results = {}
    letters = "abcdefghijklmnopqrstuvwxyz"
    for c in clients:
        sess = f"keys-{c.name}"
        new_session(sess)
        pid = start_in_pane(sess, c.command([room]))
        t, screen = wait_screen(sess, history_shown([room], f"{messages - 1:03d}"), 60, poll)
        if t is None:
            log(f"keys {c.name}: history never shown")
        time.sleep(2.0)  # settle (WHOIS, read marker, names)
        samples = []
        typed = ""
        rss_one_room = status_kb(pid, "VmRSS")
        for i in range(nkeys):
            if i % 25 == 0 and typed:
                send_keys(sess, "C-u")
                wait_screen(sess, lambda s: not input_line(s).endswith(typed), 5, poll)
                typed = ""
                time.sleep(0.05)
            ch = letters[(i * 7 + 3) % 26]
            if typed.endswith(ch):
                ch = letters[(letters.index(ch) + 1) % 26]
            want = typed + ch
            t0 = time.monotonic()
            send_keys(sess, ch, literal=True)
            t, screen = wait_screen(sess, lambda s: input_line(s).endswith(want), 5, poll)
            typed = want
            samples.append(None if t is None else t - t0)
            time.sleep(0.03)
        send_keys(sess, "C-u")
        ok = [s for s in samples if s is not None]
        raw.write(json.dumps({"scenario": "keys", "client": c.name, "samples_s": samples,
                              "rss_kb_one_room": rss_one_room}) + "\n")
        with open(os.path.join(OUT, f"keys-{c.name}.screen.txt"), "w") as f:
            f.write(screen)
        results[c.name] = {"samples": ok, "missed": len(samples) - len(ok),
                           "rss_kb_one_room": rss_one_room}
        log(f"keys {c.name}: median {statistics.median(ok) * 1000:.1f} ms, "
            f"p99 {pct(ok, 99) * 1000:.1f} ms, missed {len(samples) - len(ok)}")
        stop_pid(pid)
        tmux("kill-session", "-t", sess, check=False)
    return results


def run_redraw(clients, seeder, nbig, nredraws, poll, raw):
    results = {}
    for c in clients:
        room = f"#big-{c.name}"
        sess = f"redraw-{c.name}"
        seeder.join([room])
        new_session(sess)
        pid = start_in_pane(sess, c.command([room]))
        # the room is empty: wait until the client shows it joined, then settle
        wait_screen(sess, lambda s: "big-" in s, 30, poll)
        time.sleep(2.0)
        cpu0, w0 = cpu_seconds(pid), time.monotonic()
        seeder.post(room, nbig, "live", width=5)
        last = f"{room.lstrip('#')} n{nbig - 1:05d}"
        t, screen = wait_screen(sess, lambda s: last in s, 300, 0.05)
        time.sleep(1.0)
        fill_cpu, fill_wall = cpu_seconds(pid) - cpu0, time.monotonic() - w0
        time.sleep(2.0)
        # idle CPU over 3 s
        i0, iw0 = cpu_seconds(pid), time.monotonic()
        time.sleep(3.0)
        idle_rate = (cpu_seconds(pid) - i0) / (time.monotonic() - iw0)
        state = {"screen": capture(sess)}

        def press(key):
            """One key, waited for until the screen changes: (key-to-screen s or None)."""
            before = state["screen"]
            t0 = time.monotonic()
            send_keys(sess, key)
            t, after = wait_screen(sess, lambda s: s != before, 2, poll)
            state["screen"] = after
            return None if t is None else t - t0

        def phase(keys):
            c0, w0 = cpu_seconds(pid), time.monotonic()
            lat = [press(k) for k in keys]
            time.sleep(0.3)
            cpu, wall = cpu_seconds(pid) - c0, time.monotonic() - w0
            ok = [x for x in lat if x is not None]
            return {"keys": len(keys), "screens_changed": len(ok), "cpu_s": cpu, "wall_s": wall,
                    "us_per_redraw": (cpu - idle_rate * wall) / len(keys) * 1e6,
                    "latency_s": lat}

        # near the bottom: PgUp, PgDn, PgUp, ... (scrolled at most one step up)
        bottom = phase(["PPage", "NPage"] * (nredraws // 2))
        # deep: PgUp nredraws/2 times, then PgDn back to the bottom
        deep = phase(["PPage"] * (nredraws // 2) + ["NPage"] * (nredraws // 2))
        # to the top: PgUp until the room's first line is on screen (at most 1000 presses)
        first = f"{room.lstrip('#')} n{0:05d}"
        c0, w0 = cpu_seconds(pid), time.monotonic()
        top_lat = []
        while first not in state["screen"] and len(top_lat) < 1000:
            top_lat.append(press("PPage"))
        top = {"presses": len(top_lat), "reached": first in state["screen"],
               "cpu_s": cpu_seconds(pid) - c0, "wall_s": time.monotonic() - w0,
               "latency_s": top_lat}
        with open(os.path.join(OUT, f"redraw-top-{c.name}.screen.txt"), "w") as f:
            f.write(state["screen"])
        before = state["screen"]
        per = deep["us_per_redraw"] / 1e6
        changed = deep["screens_changed"]
        rec = {"scenario": "redraw", "client": c.name, "lines": nbig, "redraws": nredraws,
               "bottom": bottom, "deep": deep, "top": top,
               "screens_changed": changed,
               "idle_cpu_per_s": idle_rate, "us_per_redraw": per * 1e6,
               "fill_cpu_s": fill_cpu, "fill_wall_s": fill_wall,
               "fill_us_per_message": fill_cpu / nbig * 1e6,
               "rss_kb": status_kb(pid, "VmRSS")}
        raw.write(json.dumps(rec) + "\n")
        with open(os.path.join(OUT, f"redraw-{c.name}.screen.txt"), "w") as f:
            f.write(before)
        results[c.name] = rec
        log(f"redraw {c.name}: deep {per * 1e6:.0f} us/redraw ({changed}/{nredraws} changed), "
            f"bottom {bottom['us_per_redraw']:.0f} us/redraw, top after {top['presses']} PgUp "
            f"(reached {top['reached']}), fill {fill_cpu / nbig * 1e6:.1f} us/msg")
        stop_pid(pid)
        tmux("kill-session", "-t", sess, check=False)
    return results


def run_memory(clients, rooms, messages, poll, raw, settle=5.0, limit=120.0):
    results = {}
    for c in clients:
        sess = f"mem-{c.name}"
        new_session(sess)
        t0 = time.monotonic()
        pid = start_in_pane(sess, c.command(rooms))
        wait_screen(sess, history_shown(rooms, f"{messages - 1:03d}"), 60, poll)
        # settled: neither RSS nor CPU time changed for `settle` seconds
        last = (status_kb(pid, "VmRSS"), cpu_seconds(pid))
        since = time.monotonic()
        while time.monotonic() - t0 < limit:
            time.sleep(0.25)
            now = (status_kb(pid, "VmRSS"), cpu_seconds(pid))
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= settle:
                break
        rec = {"scenario": "memory", "client": c.name, "rooms": len(rooms),
               "rss_kb": status_kb(pid, "VmRSS"), "hwm_kb": status_kb(pid, "VmHWM"),
               "settled_after_s": since - t0, "cpu_s": cpu_seconds(pid)}
        raw.write(json.dumps(rec) + "\n")
        with open(os.path.join(OUT, f"memory-{c.name}.screen.txt"), "w") as f:
            f.write(capture(sess))
        results[c.name] = rec
        log(f"memory {c.name}: {rec['rss_kb']} kB RSS, settled after {rec['settled_after_s']:.1f} s")
        stop_pid(pid)
        tmux("kill-session", "-t", sess, check=False)
    return results


def pct(values, p):
    """Nearest-rank percentile."""
    v = sorted(values)
    k = max(1, -(-len(v) * p // 100))
    return v[int(k) - 1]


# ---------------------------------------------------------------------------------------------


def machine_note(lyceum_bin, weechat_bin):
    def sh(cmd):
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True,
                                  cwd=ROOT).stdout.strip()
        except OSError:
            return "?"
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    return "\n".join([
        f"date: {datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')}",
        f"commit: {sh('git rev-parse --short HEAD')} (dirty files: {sh('git status --porcelain | wc -l')})",
        f"kernel: {platform.release()}",
        f"cpu: {cpu} x {os.cpu_count()}",
        f"memory: {sh('grep MemTotal /proc/meminfo')}",
        f"load before: {open('/proc/loadavg').read().strip()}",
        f"tmux: {sh('tmux -V')}",
        f"weechat: {sh(weechat_bin + ' --version') if weechat_bin else 'not installed'}",
        f"senpai: {shutil.which('senpai') or 'not available (no Debian package)'}",
        f"lyceum binary: {lyceum_bin} ({datetime.datetime.fromtimestamp(os.path.getmtime(lyceum_bin)).isoformat(timespec='seconds')})",
        f"python: {platform.python_version()}",
    ]) + "\n"


def main():
    global OUT
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default=os.path.join(ROOT, ".build-release", "release"),
                    help="where the release lyceumd and lyceum are (default .build-release/release)")
    ap.add_argument("--weechat", default=shutil.which("weechat"), help="weechat binary")
    ap.add_argument("--out", help="results folder (default bench/results/<UTC date>-client)")
    ap.add_argument("--scenarios", default="startup,keys,redraw,memory")
    ap.add_argument("--clients", default="lyceum,weechat")
    ap.add_argument("--port", type=int, default=17667, help="plaintext port; TLS is port+30")
    ap.add_argument("--start-rooms", type=int, default=50)
    ap.add_argument("--mem-rooms", type=int, default=100)
    ap.add_argument("--room-messages", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--keys", type=int, default=100)
    ap.add_argument("--big-messages", type=int, default=10000)
    ap.add_argument("--redraws", type=int, default=200)
    ap.add_argument("--poll-ms", type=float, default=5.0)
    ap.add_argument("--keep-work", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()

    lyceumd = os.path.join(args.build_dir, "lyceumd")
    lyceum = os.path.join(args.build_dir, "lyceum")
    for b in (lyceumd, lyceum):
        if not os.access(b, os.X_OK):
            raise SystemExit(f"missing {b}: " + BUILD_HINT.format(root=ROOT))
    if not shutil.which("tmux"):
        raise SystemExit("tmux is needed (apt-get install tmux)")
    wanted = args.clients.split(",")
    if "weechat" in wanted and not args.weechat:
        raise SystemExit("weechat is not installed: apt-get install weechat-curses "
                         "(or --clients lyceum)")

    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    OUT = args.out or os.path.join(ROOT, "bench", "results", f"{date}-client")
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "machine.txt"), "w") as f:
        f.write(machine_note(lyceum, args.weechat))
        f.write("command: " + " ".join(sys.argv) + "\n")

    work = tempfile.mkdtemp(prefix="lyceum-client-bench-")
    poll = args.poll_ms / 1000
    tmux("kill-server", check=False)
    server = Server(lyceumd, work, args.port, args.port + 30, args.room_messages)
    log(f"lyceumd pid {server.proc.pid}, fingerprint {server.fingerprint[:16]}…, work {work}")
    clients = []
    for name in wanted:
        if name == "lyceum":
            clients.append(Lyceum(lyceum, work, server))
        elif name == "weechat":
            w = WeeChat(args.weechat, work, server)
            w.prepare()
            clients.append(w)
    # capture-pane's own cost (the resolution of every screen-timed figure)
    new_session("probe")
    costs = []
    for _ in range(50):
        a = time.monotonic()
        capture("probe")
        costs.append(time.monotonic() - a)
    tmux("kill-session", "-t", "probe", check=False)

    summary = {"capture_pane_ms_median": statistics.median(costs) * 1000,
               "poll_ms": args.poll_ms, "clients": wanted}
    scen = args.scenarios.split(",")
    raw = open(os.path.join(OUT, "raw.jsonl"), "a")
    try:
        seeder = Seeder(args.port)
        nrooms = max(args.start_rooms, args.mem_rooms)
        rooms = [f"#r{i}" for i in range(1, nrooms + 1)]
        if {"startup", "keys", "memory"} & set(scen):
            t = time.monotonic()
            seeder.join(rooms)
            for r in rooms:
                seeder.post(r, args.room_messages, "seeded")
            log(f"seeded {nrooms} rooms x {args.room_messages} in {time.monotonic() - t:.1f} s")
        if "startup" in scen:
            summary["startup"] = run_startup(clients, rooms[:args.start_rooms],
                                             args.room_messages, args.repeats, poll, raw)
        if "keys" in scen:
            summary["keys"] = run_keys(clients, rooms[0], args.room_messages, args.keys, poll,
                                       raw)
        if "redraw" in scen:
            summary["redraw"] = run_redraw(clients, seeder, args.big_messages, args.redraws,
                                           poll, raw)
        if "memory" in scen:
            summary["memory"] = run_memory(clients, rooms[:args.mem_rooms], args.room_messages,
                                           poll, raw)
        seeder.quit()
    finally:
        raw.close()
        tmux("kill-server", check=False)
        server.stop()
        shutil.copy(server.log_path, os.path.join(OUT, "lyceumd.log"))
        if not args.keep_work:
            shutil.rmtree(work, ignore_errors=True)

    table = summarize(summary, clients)
    with open(os.path.join(OUT, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    with open(os.path.join(OUT, "summary.txt"), "w") as f:
        f.write(table)
    print(table)


def summarize(s, clients):
    names = [c.name for c in clients]
    rows = []

    def row(metric, values, fmt):
        cells = [fmt(v) if v is not None else "n/a" for v in values]
        ratio = ""
        if len(values) == 2 and None not in values and values[1]:
            ratio = f"{values[0] / values[1]:.2f}x"
        rows.append([metric] + cells + [ratio])

    if "startup" in s:
        med = []
        for n in names:
            ok = [v for v in s["startup"][n] if v is not None]
            med.append(statistics.median(ok) if ok else None)
        row(f"start to active room's history, {len(s['startup'][names[0]])} runs, median",
            med, lambda v: f"{v * 1000:.0f} ms")
    if "keys" in s:
        row("keystroke to screen, median", [statistics.median(s["keys"][n]["samples"])
                                            for n in names], lambda v: f"{v * 1000:.1f} ms")
        row("keystroke to screen, p99", [pct(s["keys"][n]["samples"], 99) for n in names],
            lambda v: f"{v * 1000:.1f} ms")
        row("RSS, 1 room of 100 lines", [s["keys"][n]["rss_kb_one_room"] for n in names],
            lambda v: f"{v / 1024:.1f} MiB")
    if "redraw" in s:
        R = s["redraw"]
        row("CPU per redraw, PgUp x100 then PgDn x100, 10 000-line room",
            [R[n]["us_per_redraw"] for n in names], lambda v: f"{v:.0f} µs")
        row("CPU per redraw, PgUp/PgDn alternating at the bottom",
            [R[n]["bottom"]["us_per_redraw"] for n in names], lambda v: f"{v:.0f} µs")
        row("PgUp to screen, median, PgUp x100 then PgDn x100",
            [statistics.median([x for x in R[n]["deep"]["latency_s"] if x is not None])
             for n in names], lambda v: f"{v * 1000:.1f} ms")
        row("PgUp presses from the bottom to the first line",
            [R[n]["top"]["presses"] for n in names], lambda v: f"{v}")
        row("PgUp to screen, median of the last 20 before the first line",
            [statistics.median([x for x in R[n]["top"]["latency_s"][-20:] if x is not None])
             if R[n]["top"]["latency_s"] else None for n in names],
            lambda v: f"{v * 1000:.1f} ms")
        row("CPU per PgUp, bottom to the first line",
            [R[n]["top"]["cpu_s"] / max(1, R[n]["top"]["presses"]) * 1e6 for n in names],
            lambda v: f"{v:.0f} µs")
        row("CPU per incoming message (10 000 live)",
            [s["redraw"][n]["fill_us_per_message"] for n in names], lambda v: f"{v:.1f} µs")
        row("RSS, 10 000-line room", [s["redraw"][n]["rss_kb"] for n in names],
            lambda v: f"{v / 1024:.1f} MiB")
    if "memory" in s:
        row("RSS, 100 rooms x 100 lines, settled", [s["memory"][n]["rss_kb"] for n in names],
            lambda v: f"{v / 1024:.1f} MiB")
    head = ["metric"] + names + ([f"{names[0]} / {names[1]}"] if len(names) == 2 else [])
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(r[:len(head)]) + " |" for r in rows]
    out.append(f"\ncapture-pane call: median {s['capture_pane_ms_median']:.2f} ms; "
               f"poll interval {s['poll_ms']} ms")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
