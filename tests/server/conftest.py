"""Fixtures for the `evpattern serve` integration tests: the real binary on loopback, driven by
boto3. tools/test-server.sh builds the binary and sets EVPATTERN_BIN."""

import json
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import boto3
import botocore.config
import pytest

BIN = os.environ.get("EVPATTERN_BIN", str(Path(__file__).resolve().parents[2] / "target/debug/evpattern"))


class Server:
    """One `evpattern serve` process over a data directory; restartable on the same one."""

    def __init__(self, data_dir, extra_args=()):
        self.data_dir = Path(data_dir)
        self.extra_args = list(extra_args)
        self.process = None
        self.url = None
        self.port = 0

    def start(self):
        # Port 0 the first time (the OS picks a free one), then the same port again so that
        # clients made before a restart keep working.
        options = {"--retries": "2", "--retry-delay-ms": "20", "--retry-max-delay-ms": "100",
                   "--request-timeout": "2"}
        extra = list(self.extra_args)
        for flag in list(options):
            if flag in extra:
                at = extra.index(flag)
                options[flag] = extra[at + 1]
                del extra[at:at + 2]
        args = [a for pair in options.items() for a in pair]
        self.process = subprocess.Popen(
            [BIN, "serve", "--bind", f"127.0.0.1:{self.port}", "--data-dir", str(self.data_dir),
             *args, *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("http://"):
            self.process.kill()
            raise RuntimeError("server did not start: " + line + self.process.stderr.read())
        self.url = line
        self.port = int(line.rsplit(":", 1)[1])
        return self

    def kill(self):
        """Ends the process at once (SIGKILL): a crash, nothing flushed on the way out."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def alive(self):
        return self.process.poll() is None

    def client(self, region="us-east-1"):
        return boto3.client(
            "events", endpoint_url=self.url, region_name=region,
            aws_access_key_id="test", aws_secret_access_key="test",
            config=botocore.config.Config(retries={"total_max_attempts": 1}, read_timeout=30))

    def log_lines(self, group):
        name = group.replace("/", "%2F").replace("#", "%23") + ".jsonl"
        path = self.data_dir / "logs" / name
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines()]

    def dead_letters(self):
        path = self.data_dir / "dead-letter.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines()]


def wait_for(condition, timeout=20.0, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def log_arn(group, region="us-east-1"):
    return f"arn:aws:logs:{region}:123456789012:log-group:{group}"


@pytest.fixture
def make_server(tmp_path):
    servers = []

    def make(extra_args=(), data_dir=None):
        server = Server(data_dir or tmp_path / f"data-{len(servers)}", extra_args).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def server(make_server):
    return make_server()


@pytest.fixture
def events(server):
    return server.client()


@pytest.fixture
def unique():
    return lambda prefix="r": f"{prefix}-{uuid.uuid4().hex[:8]}"
