"""Hostile clients: malformed bodies, unknown operations, 10 MB bodies, slow clients. Each gets an
AWS-shaped error, and the server keeps serving and keeps what it accepted."""

import http.client
import json
import socket
import time

from conftest import log_arn, wait_for


def raw(server, body, target="AWSEvents.ListEventBuses", method="POST", headers=None):
    host, port = server.url[len("http://"):].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    all_headers = {"Content-Type": "application/x-amz-json-1.1"}
    if target:
        all_headers["X-Amz-Target"] = target
    all_headers.update(headers or {})
    conn.request(method, "/", body=body, headers=all_headers)
    response = conn.getresponse()
    status, text = response.status, response.read()
    conn.close()
    return status, json.loads(text)


def still_serving(server):
    assert server.alive()
    assert server.client().describe_event_bus()["Name"] == "default"


def test_malformed_bodies_are_serialization_errors(server):
    for body in [b"{bad", b"[1, 2]", b"\xff\xfe", b'{"Name": "x"', b"null"]:
        status, error = raw(server, body, target="AWSEvents.PutRule")
        assert status == 400 and error["__type"] == "SerializationException", body
        assert error["message"]
    # Valid JSON of the wrong shape is the operation's own validation error.
    status, error = raw(server, b'{"Name": 5}', target="AWSEvents.PutRule")
    assert status == 400 and error["__type"] == "ValidationException"
    still_serving(server)


def test_unknown_operations(server):
    for target in ["AWSEvents.DropAllTables", "AWSEvents.", "SomethingElse.PutRule", None]:
        status, error = raw(server, b"{}", target=target)
        assert (status, error["__type"]) == (400, "UnknownOperationException"), target
    status, error = raw(server, None, method="GET")
    assert (status, error["__type"]) == (400, "UnknownOperationException")
    still_serving(server)


def test_a_10_mb_body_is_refused_and_the_server_goes_on(server):
    body = b'{"Entries": [{"Source": "s", "DetailType": "d", "Detail": "{\\"p\\": \\"' + b"x" * (10 * 1024 * 1024) + b'\\"}"}]}'
    status, error = raw(server, body, target="AWSEvents.PutEvents")
    assert (status, error["__type"]) == (413, "RequestEntityTooLargeException")
    still_serving(server)


def test_slow_clients_are_cut_off_without_holding_up_others(server):
    host, port = server.url[len("http://"):].split(":")
    # Headers that never finish.
    stalled_headers = socket.create_connection((host, int(port)))
    stalled_headers.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Tar")
    # A body that never finishes.
    stalled_body = socket.create_connection((host, int(port)))
    stalled_body.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSEvents.ListEventBuses\r\n"
                         b"Content-Length: 100\r\n\r\n{\"Na")
    started = time.time()
    still_serving(server)
    assert time.time() - started < 1.5, "other clients are served while two stall"
    stalled_body.settimeout(10)
    answer = b""
    while b"}" not in answer:
        chunk = stalled_body.recv(4096)
        if not chunk:
            break
        answer += chunk
    assert answer.startswith(b"HTTP/1.1 408")
    assert b'"__type":"RequestTimeoutException"' in answer
    stalled_headers.settimeout(10)
    closed = stalled_headers.recv(4096)
    # hyper closes a connection whose headers time out (possibly after a 408 status line).
    assert closed == b"" or closed.startswith(b"HTTP/1.1 408")
    assert time.time() - started < 8
    stalled_headers.close()
    stalled_body.close()
    still_serving(server)


def test_nothing_accepted_is_lost_to_hostile_traffic(server, events):
    events.put_rule(Name="keep", EventPattern='{"source":["keep"]}')
    events.put_targets(Rule="keep", Targets=[{"Id": "t", "Arn": log_arn("kept")}])
    ids = []
    for i in range(5):
        raw(server, b"{bad", target="AWSEvents.PutEvents")
        raw(server, b"{}", target="AWSEvents.Nope")
        answer = events.put_events(Entries=[{"Source": "keep", "DetailType": "d", "Detail": json.dumps({"i": i})}])
        ids.append(answer["Entries"][0]["EventId"])
    lines = wait_for(lambda: len(server.log_lines("kept")) == 5 and server.log_lines("kept"))
    assert [line["id"] for line in lines] == ids
