"""PutEvents through boto3: the events EventBridge builds, AWS's limits and per-entry errors,
and delivery to every kind of target, with input forms rendered as AWS renders them."""

import http.server
import json
import subprocess
import threading

import pytest
from botocore.exceptions import ClientError

from conftest import BIN, log_arn, wait_for


def entry(source="app.orders", detail=None, **extra):
    return {"Source": source, "DetailType": "Order Placed",
            "Detail": json.dumps(detail if detail is not None else {"n": 1}), **extra}


def route_to_log(events, rule, group, pattern='{"source":["app.orders"]}', bus="default", **target):
    events.put_rule(Name=rule, EventPattern=pattern, EventBusName=bus)
    events.put_targets(Rule=rule, EventBusName=bus, Targets=[{"Id": "t", "Arn": log_arn(group), **target}])


def test_the_event_is_filled_in_as_eventbridge_does(server, events):
    route_to_log(events, "all", "filled")
    answer = events.put_events(Entries=[entry(detail={"b": [1, 2.50], "a": {"x": None}}, Resources=["arn:r1"])])
    assert answer["FailedEntryCount"] == 0
    event_id = answer["Entries"][0]["EventId"]
    [event] = wait_for(lambda: server.log_lines("filled"), what="the log line")
    assert list(event) == ["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"]
    assert event["version"] == "0" and event["id"] == event_id
    assert event["account"] == "123456789012" and event["region"] == "us-east-1"
    assert event["resources"] == ["arn:r1"] and event["detail"] == {"b": [1, 2.50], "a": {"x": None}}
    assert len(event["time"]) == 20 and event["time"].endswith("Z")


def test_region_and_time_come_from_the_request(server):
    events = server.client("ap-northeast-1")
    route_to_log(events, "all", "tokyo")
    import datetime
    at = datetime.datetime(2026, 5, 19, 2, 22, 58, tzinfo=datetime.timezone.utc)
    events.put_events(Entries=[entry(Time=at)])
    [event] = wait_for(lambda: server.log_lines("tokyo"), what="the log line")
    assert event["region"] == "ap-northeast-1" and event["time"] == "2026-05-19T02:22:58Z"


def test_per_entry_errors(server, events):
    events.create_event_bus(Name="b")
    answer = events.put_events(Entries=[
        {"DetailType": "x", "Detail": "{}"},
        {"Source": "s", "Detail": "{}"},
        {"Source": "s", "DetailType": "x"},
        {"Source": "s", "DetailType": "x", "Detail": "not json"},
        {"Source": "s", "DetailType": "x", "Detail": "[1]"},
        {"Source": "s", "DetailType": "x", "Detail": "{}", "EventBusName": "nope"},
        {"Source": "aws.ec2", "DetailType": "x", "Detail": "{}"},
        {"Source": "s", "DetailType": "x", "Detail": "{}", "EventBusName": "b"},
    ])
    assert answer["FailedEntryCount"] == 7
    codes = [(e.get("ErrorCode"), e.get("ErrorMessage")) for e in answer["Entries"]]
    assert codes[:7] == [
        ("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument."),
        ("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument."),
        ("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument."),
        ("MalformedDetail", "Detail is malformed."),
        ("MalformedDetail", "Detail is malformed."),
        ("ResourceNotFoundException", "Event bus nope does not exist."),
        ("NotAuthorizedForSourceException", "Not authorized for the source."),
    ]
    assert "EventId" in answer["Entries"][7]


def test_limits(events):
    with pytest.raises(ClientError) as e:
        events.put_events(Entries=[entry()] * 11)
    err = e.value.response["Error"]
    assert err["Code"] == "ValidationException"
    assert "Member must have length less than or equal to 10" in err["Message"]
    half = 128 * 1024
    big = {"Source": "s", "DetailType": "d", "Detail": json.dumps({"p": "x" * (half - 10)})}
    with pytest.raises(ClientError) as e:
        events.put_events(Entries=[big, big, big])
    assert e.value.response["Error"] == {"Code": "ValidationException",
                                          "Message": "Total size of the entries in the request is over the limit."}
    # Exactly 256 KiB as AWS counts it (Source + DetailType + Detail) is within the limit.
    at_limit = {"Source": "s", "DetailType": "d", "Detail": '{"p":"' + "x" * (256 * 1024 - 2 - 8) + '"}'}
    assert events.put_events(Entries=[at_limit])["FailedEntryCount"] == 0
    over = dict(at_limit, Source="ss")
    with pytest.raises(ClientError):
        events.put_events(Entries=[over])


def test_disabled_rules_and_other_buses_do_not_deliver(server, events):
    route_to_log(events, "on", "on")
    route_to_log(events, "off", "off")
    events.disable_rule(Name="off")
    events.create_event_bus(Name="elsewhere")
    route_to_log(events, "other-bus", "other-bus", bus="elsewhere")
    events.put_events(Entries=[entry()])
    wait_for(lambda: server.log_lines("on"), what="the enabled rule's line")
    events.put_events(Entries=[entry(EventBusName="elsewhere")])
    wait_for(lambda: server.log_lines("other-bus"), what="the other bus's line")
    assert server.log_lines("off") == []
    assert len(server.log_lines("on")) == 1 and len(server.log_lines("other-bus")) == 1


def test_input_forms_reach_log_groups_as_aws_renders_them(server, events):
    events.put_rule(Name="forms", EventPattern='{"source":["app.orders"]}')
    transformer = {"InputPathsMap": {"n": "$.detail.n", "who": "$.detail.who"},
                   "InputTemplate": '{"count": <n>, "who": <who>, "text": "<who> ordered <n>", "rule": <aws.events.rule-name>}'}
    events.put_targets(Rule="forms", Targets=[
        {"Id": "const", "Arn": log_arn("const"), "Input": '{"fixed": true}'},
        {"Id": "path", "Arn": log_arn("path"), "InputPath": "$.detail.who"},
        {"Id": "json", "Arn": log_arn("json"), "InputTransformer": transformer},
        {"Id": "plain", "Arn": log_arn("/aws/events/plain"), "InputTransformer": {
            "InputPathsMap": {"who": "$.detail.who"}, "InputTemplate": "<who> placed an order"}},
    ])
    events.put_events(Entries=[entry(detail={"n": 3, "who": 'Ann "A"'})])
    assert wait_for(lambda: server.log_lines("const")) == [{"fixed": True}]
    assert wait_for(lambda: server.log_lines("path")) == ['Ann "A"']
    assert wait_for(lambda: server.log_lines("json")) == [
        {"count": 3, "who": 'Ann "A"', "text": 'Ann "A" ordered 3', "rule": "forms"}]
    assert wait_for(lambda: server.log_lines("/aws/events/plain")) == ['Ann "A" placed an order']


class Recorder(http.server.BaseHTTPRequestHandler):
    bodies = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).bodies.append(json.loads(body))
        self.send_response(type(self).status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def http_target():
    class Handler(Recorder):
        bodies = []
        status = 200
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Handler, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:orders"
FAILING = "arn:aws:lambda:us-east-1:123456789012:function:failing"
UNCONFIGURED = "arn:aws:lambda:us-east-1:123456789012:function:nowhere"
COMMAND = "arn:aws:lambda:us-east-1:123456789012:function:command"


def test_http_and_command_targets_and_the_dead_letter_file(make_server, http_target, tmp_path):
    handler, url = http_target
    out = tmp_path / "command-out.txt"
    server = make_server(extra_args=[
        "--target-url", f"{LAMBDA}={url}",
        "--target-url", f"{FAILING}=http://127.0.0.1:9/",
        "--target-command", f"{COMMAND}=cat >> {out}; echo >> {out}",
    ])
    events = server.client()
    events.put_rule(Name="fanout", EventPattern='{"source":["app.orders"]}')
    events.put_targets(Rule="fanout", Targets=[
        {"Id": "lambda", "Arn": LAMBDA, "InputPath": "$.detail"},
        {"Id": "failing", "Arn": FAILING},
        {"Id": "nowhere", "Arn": UNCONFIGURED},
        {"Id": "command", "Arn": COMMAND, "Input": '{"ran": 1}'},
    ])
    event_id = events.put_events(Entries=[entry(detail={"n": 7})])["Entries"][0]["EventId"]
    assert wait_for(lambda: handler.bodies, what="the HTTP target") == [{"n": 7}]
    # The command writes its input, then a newline: wait for the whole of it.
    written = wait_for(lambda: out.exists() and out.read_text().endswith("\n") and out.read_text(),
                       what="the command")
    assert written == '{"ran": 1}\n'
    letters = wait_for(lambda: len(server.dead_letters()) == 2 and server.dead_letters(), what="dead letters")
    by_target = {d["target_id"]: d for d in letters}
    assert set(by_target) == {"failing", "nowhere"}
    assert by_target["failing"]["attempts"] == 3  # the first try and --retries 2
    assert by_target["nowhere"]["attempts"] == 0
    assert all(d["event_id"] == event_id for d in letters)
    assert json.loads(by_target["failing"]["payload"])["id"] == event_id


def test_a_failing_http_target_is_retried_until_it_answers(make_server, http_target):
    handler, url = http_target
    handler.status = 500
    server = make_server(extra_args=["--target-url", f"{LAMBDA}={url}", "--retries", "50"])
    events = server.client()
    events.put_rule(Name="retry", EventPattern='{"source":["app.orders"]}')
    events.put_targets(Rule="retry", Targets=[{"Id": "l", "Arn": LAMBDA}])
    events.put_events(Entries=[entry()])
    wait_for(lambda: len(handler.bodies) >= 2, what="a retry")
    handler.status = 200
    failed_tries = len(handler.bodies)
    wait_for(lambda: len(handler.bodies) > failed_tries, what="the retry that succeeds")
    # Each try carried the same event; once one was answered 2xx, no more tries.
    assert len({b["id"] for b in handler.bodies}) == 1
    count = len(handler.bodies)
    import time
    time.sleep(0.5)
    assert len(handler.bodies) == count
    assert server.dead_letters() == []


def test_send_saasus_sends_the_samples_and_generated_calls(server, events):
    bus = "aws.partner/saasus.io/d8753ef8-local-1/event"
    events.create_event_bus(Name=bus, EventSourceName=bus)
    route_to_log(events, "saasus", "saasus", pattern='{"source":[{"prefix":"aws.partner/saasus.io"}]}', bus=bus)
    done = subprocess.run([BIN, "send-saasus", "--endpoint-url", server.url, "--bus", bus],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["FailedEntryCount"] == 0
    lines = wait_for(lambda: len(server.log_lines("saasus")) == 4 and server.log_lines("saasus"))
    assert all(line["source"] == bus and line["detail-type"] == "api_call" for line in lines)
    assert lines[0]["detail"]["event_type"] == "create_tenant"
    done = subprocess.run([BIN, "send-saasus", "--endpoint-url", server.url, "--bus", bus,
                           "--operation", "CreateTenantUser"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    line = wait_for(lambda: len(server.log_lines("saasus")) == 5 and server.log_lines("saasus")[-1])
    call = json.loads(line["detail"]["event"])
    assert call["request_method"] == "POST" and call["uri"].startswith("/v1/auth/tenants/")
    assert call["uri"].endswith("/users") and call["http_status"] == "201"
    done = subprocess.run([BIN, "send-saasus", "--endpoint-url", server.url, "--bus", bus,
                           "--operation", "GetUserInfo"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "reads" in done.stderr
