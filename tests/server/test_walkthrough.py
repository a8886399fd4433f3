"""The README's `evpattern serve` walk-through, run as written with the AWS CLI."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

from conftest import BIN

README = Path(__file__).resolve().parents[2] / "README.md"


def walkthrough():
    text = README.read_text()
    block = re.search(r"<!-- walkthrough:start -->\n```sh\n(.*?)```\n<!-- walkthrough:end -->", text, re.S)
    assert block, "README.md has no walk-through block"
    return block.group(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_readme_walkthrough_runs_as_written(tmp_path):
    venv_bin = Path(sys.executable).parent
    assert (venv_bin / "aws").exists(), "the AWS CLI is installed beside pytest"
    env = dict(os.environ, PORT=str(free_port()),
               PATH=f"{Path(BIN).parent}{os.pathsep}{venv_bin}{os.pathsep}{os.environ['PATH']}")
    # Its own process group, so that a server left running by a failed step is ended too.
    script = subprocess.Popen(["bash", "-euo", "pipefail", "-c", walkthrough()], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    try:
        stdout, stderr = script.communicate(timeout=120)
    finally:
        try:
            os.killpg(script.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    done = subprocess.CompletedProcess(script.args, script.returncode, stdout, stderr)
    assert done.returncode == 0, done.stdout + done.stderr
    logs = tmp_path / "eb-data" / "logs"
    everything = [json.loads(l) for l in (logs / "saasus-events.jsonl").read_text().splitlines()]
    tenant_users = [json.loads(l) for l in (logs / "tenant-users.jsonl").read_text().splitlines()]
    assert len(everything) == 5, "the four samples and the generated call"
    assert all(e["source"] == "aws.partner/saasus.io/my-saas-1/event" for e in everything)
    assert all(e["region"] == "ap-northeast-1" for e in everything)
    assert len(tenant_users) == 1
    assert tenant_users[0]["id"] == everything[4]["id"]
    call = json.loads(tenant_users[0]["detail"]["event"])
    assert call["request_method"] == "POST" and re.fullmatch(r"/v1/auth/tenants/[0-9a-f-]+/users", call["uri"])
    # What the AWS CLI printed along the way is EventBridge's own answer shape.
    assert '"EventBusArn": "arn:aws:events:ap-northeast-1:123456789012:event-bus/aws.partner/saasus.io/my-saas-1/event"' in done.stdout
    assert '"FailedEntryCount": 0' in done.stdout
