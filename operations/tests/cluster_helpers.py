"""The loopback cluster of deploy/cluster.sh for tests, and a slow SMTP server that
counts the messages it accepts."""

import contextlib
import os
import re
import socketserver
import subprocess
import threading
import time
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parents[2]
SCRIPT = BASE_DIR / "deploy" / "cluster.sh"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SlowSMTPHandler(socketserver.StreamRequestHandler):
    def handle(self):
        server = self.server
        server.connections += 1
        time.sleep(server.greeting_delay)
        self.wfile.write(b"220 sink\r\n")
        data, in_data = [], False
        for raw in self.rfile:
            line = raw.decode("utf-8", "replace")
            if in_data:
                if line in (".\r\n", ".\n"):
                    in_data = False
                    server.messages.append("".join(data))
                    data = []
                    self.wfile.write(b"250 queued\r\n")
                else:
                    data.append(line)
                continue
            command = line[:4].upper()
            if command == "DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif command == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            elif command == "EHLO":
                self.wfile.write(b"250 sink\r\n")
            else:
                self.wfile.write(b"250 ok\r\n")


class SlowSMTP(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, greeting_delay=2.0):
        super().__init__(("127.0.0.1", 0), SlowSMTPHandler)
        self.greeting_delay = greeting_delay
        self.connections = 0
        self.messages = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self):
        return self.server_address[1]


class Cluster:
    """deploy/cluster.sh with nginx on ports[0] and the two nodes on ports[1:]."""

    def __init__(self, *, directory, ports, env):
        self.directory, self.ports = directory, ports
        self.env = {
            **os.environ,
            **env,
            "CLUSTER_DIR": str(directory),
            "CLUSTER_PORT": str(ports[0]),
            "CLUSTER_NODE1_PORT": str(ports[1]),
            "CLUSTER_NODE2_PORT": str(ports[2]),
        }

    def run(self, *args, timeout=360):
        result = subprocess.run(
            ["bash", str(SCRIPT), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stdout + result.stderr + self.logs()
        return result

    def url(self, node=0):
        """nginx, or node 1 or 2 directly."""
        return f"http://127.0.0.1:{self.ports[node]}"

    def node_port(self, node):
        return self.ports[node]

    def access_log(self):
        return (self.directory / "nginx-access.log").read_text().splitlines()

    def pid(self, name):
        return int((self.directory / f"{name}.pid").read_text())

    def kill(self, name, sig):
        """Signal every process of one cluster process's session: for a worker, the
        job RQ forked into a group of its own too, as when its machine dies."""
        listed = subprocess.run(
            ["ps", "-o", "pid=", "-s", str(self.pid(name))], capture_output=True, text=True
        ).stdout.split()
        for pid in map(int, listed):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        return len(listed)

    def app_logs(self):
        """Everything the nodes, the workers and the scheduler wrote."""
        names = ("node-1", "node-2", "worker-1", "worker-2", "scheduler")
        return "".join((self.directory / f"{name}.log").read_text() for name in names)

    def logs(self):
        return "".join(
            f"\n--- {path.name}\n" + path.read_text()[-3000:]
            for path in sorted(self.directory.glob("*.log"))
        )


def form_token(session, url):
    page = session.get(url, timeout=30)
    assert page.status_code == 200, page.status_code
    return _CSRF.search(page.text)[1]


def sign_in(base_url, email, password):
    session = requests.Session()
    token = form_token(session, f"{base_url}/accounts/login/")
    response = session.post(
        f"{base_url}/accounts/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base_url}/accounts/login/"},
        timeout=30,
    )
    assert response.status_code == 200, response.status_code
    return session


def wait_until(condition, *, timeout, step=0.5, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {message}")
