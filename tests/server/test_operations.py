"""Every control-plane operation through boto3, answers and AWS-worded errors."""

import json

import pytest
from botocore.exceptions import ClientError

from conftest import log_arn

EVENT = {
    "id": "1", "account": "123456789012", "source": "order", "time": "2026-01-01T00:00:00Z",
    "region": "us-east-1", "detail-type": "Test", "detail": {"state": "running"},
}


def error_of(excinfo):
    err = excinfo.value.response
    return err["Error"]["Code"], err["Error"]["Message"], err["ResponseMetadata"]["HTTPStatusCode"]


def test_test_event_pattern_answers_and_errors(events):
    assert events.test_event_pattern(EventPattern='{"detail":{"state":["running"]}}',
                                     Event=json.dumps(EVENT))["Result"] is True
    assert events.test_event_pattern(EventPattern='{"source":["x"]}',
                                     Event=json.dumps(EVENT))["Result"] is False
    with pytest.raises(ClientError) as e:
        events.test_event_pattern(EventPattern='{"source":[]}', Event=json.dumps(EVENT))
    assert error_of(e) == ("InvalidEventPatternException",
                           "Event pattern is not valid. Reason: Empty arrays are not allowed", 400)
    with pytest.raises(ClientError) as e:
        events.test_event_pattern(EventPattern='{"source":["x"]}', Event='{"a": 1}')
    assert error_of(e) == ("ValidationException", "Parameter Event is not valid.", 400)


def test_default_bus_always_exists_and_cannot_be_deleted(events):
    described = events.describe_event_bus()
    assert described["Name"] == "default"
    assert described["Arn"] == "arn:aws:events:us-east-1:123456789012:event-bus/default"
    assert [b["Name"] for b in events.list_event_buses()["EventBuses"]] == ["default"]
    with pytest.raises(ClientError) as e:
        events.delete_event_bus(Name="default")
    assert error_of(e)[0] == "ValidationException"
    with pytest.raises(ClientError) as e:
        events.create_event_bus(Name="default")
    assert error_of(e) == ("ResourceAlreadyExistsException", "Event bus default already exists.", 400)


def test_bus_lifecycle_and_listing(events):
    arn = events.create_event_bus(Name="orders", Description="order events")["EventBusArn"]
    assert arn == "arn:aws:events:us-east-1:123456789012:event-bus/orders"
    assert events.describe_event_bus(Name="orders")["Description"] == "order events"
    assert events.describe_event_bus(Name=arn)["Name"] == "orders"
    events.create_event_bus(Name="orders-2")
    listed = events.list_event_buses(NamePrefix="orders")["EventBuses"]
    assert [b["Name"] for b in listed] == ["orders", "orders-2"]
    first = events.list_event_buses(Limit=1)
    assert len(first["EventBuses"]) == 1 and "NextToken" in first
    rest = events.list_event_buses(Limit=10, NextToken=first["NextToken"])
    assert [b["Name"] for b in first["EventBuses"] + rest["EventBuses"]] == ["default", "orders", "orders-2"]
    events.delete_event_bus(Name="orders-2")
    events.delete_event_bus(Name="orders-2")  # idempotent, as on AWS
    with pytest.raises(ClientError) as e:
        events.describe_event_bus(Name="orders-2")
    assert error_of(e) == ("ResourceNotFoundException", "Event bus orders-2 does not exist.", 400)


def test_partner_bus_needs_its_event_source(events):
    name = "aws.partner/saasus.io/abc-1/event"
    with pytest.raises(ClientError) as e:
        events.create_event_bus(Name=name)
    assert error_of(e)[0] == "ValidationException"
    with pytest.raises(ClientError) as e:
        events.create_event_bus(Name="a/b")
    assert error_of(e)[0] == "ValidationException"
    arn = events.create_event_bus(Name=name, EventSourceName=name)["EventBusArn"]
    assert arn.endswith(":event-bus/" + name)
    events.put_rule(Name="all", EventBusName=name, EventPattern='{"source":[{"prefix":"aws.partner/saasus.io"}]}')
    assert events.describe_rule(Name="all", EventBusName=name)["Arn"].endswith(f":rule/{name}/all")


def test_rule_lifecycle(events):
    pattern = '{"source":["order"]}'
    arn = events.put_rule(Name="r1", EventPattern=pattern, Description="d")["RuleArn"]
    assert arn == "arn:aws:events:us-east-1:123456789012:rule/r1"
    rule = events.describe_rule(Name="r1")
    assert (rule["Name"], rule["EventPattern"], rule["State"], rule["Description"], rule["EventBusName"]) \
        == ("r1", pattern, "ENABLED", "d", "default")
    events.disable_rule(Name="r1")
    assert events.describe_rule(Name="r1")["State"] == "DISABLED"
    events.enable_rule(Name="r1")
    assert events.describe_rule(Name="r1")["State"] == "ENABLED"
    events.put_rule(Name="r1", EventPattern='{"source":["other"]}', State="DISABLED")
    rule = events.describe_rule(Name="r1")
    assert rule["EventPattern"] == '{"source":["other"]}' and rule["State"] == "DISABLED"
    events.delete_rule(Name="r1")
    events.delete_rule(Name="r1")  # an unknown rule is not an error, as on AWS
    with pytest.raises(ClientError) as e:
        events.describe_rule(Name="r1")
    assert error_of(e) == ("ResourceNotFoundException", "Rule r1 does not exist on EventBus default.", 400)


def test_list_rules_prefix_and_paging(events):
    for i in range(7):
        events.put_rule(Name=f"page-{i}", EventPattern='{"source":["x"]}')
    events.put_rule(Name="other", EventPattern='{"source":["x"]}')
    names, token = [], None
    while True:
        kwargs = {"NamePrefix": "page-", "Limit": 3}
        if token:
            kwargs["NextToken"] = token
        answer = events.list_rules(**kwargs)
        assert len(answer["Rules"]) <= 3
        names += [r["Name"] for r in answer["Rules"]]
        token = answer.get("NextToken")
        if not token:
            break
    assert names == [f"page-{i}" for i in range(7)]
    assert len(events.list_rules()["Rules"]) == 8
    with pytest.raises(ClientError) as e:
        events.list_rules(Limit=1000)
    assert error_of(e)[0] == "ValidationException"


def test_rule_errors_are_worded_as_aws_words_them(events):
    with pytest.raises(ClientError) as e:
        events.put_rule(Name="bad", EventPattern='{"detail":{"n":[{"numeric":[">"]}]}}')
    code, message, status = error_of(e)
    assert (code, status) == ("InvalidEventPatternException", 400)
    assert message.startswith("Event pattern is not valid. Reason: ")
    with pytest.raises(ClientError) as e:
        events.put_rule(Name="bad", EventPattern='{"source":"x"}')
    assert error_of(e) == ("InvalidEventPatternException",
                           'Event pattern is not valid. Reason: "source" must be an object or an array', 400)
    with pytest.raises(ClientError) as e:
        events.put_rule(Name="bad")
    assert error_of(e) == ("ValidationException",
                           "Parameter(s) EventPattern or ScheduleExpression must be specified.", 400)
    with pytest.raises(ClientError) as e:
        events.put_rule(Name="bad", EventPattern='{"source":["x"]}', EventBusName="nope")
    assert error_of(e) == ("ResourceNotFoundException", "Event bus nope does not exist.", 400)
    with pytest.raises(ClientError) as e:
        events.put_rule(Name="bad name", EventPattern='{"source":["x"]}')
    assert error_of(e)[0] == "ValidationException"
    with pytest.raises(ClientError) as e:
        events.put_rule(Name="long", EventPattern='{"source":["' + "x" * 5000 + '"]}')
    assert error_of(e)[0] == "ValidationException"
    with pytest.raises(ClientError) as e:
        events.enable_rule(Name="missing")
    assert error_of(e) == ("ResourceNotFoundException", "Rule missing does not exist on EventBus default.", 400)
    with pytest.raises(ClientError) as e:
        events.list_rules(EventBusName="nope")
    assert error_of(e)[0] == "ResourceNotFoundException"


def test_targets_lifecycle_and_delete_refused_while_targets_remain(events):
    events.put_rule(Name="t", EventPattern='{"source":["x"]}')
    answer = events.put_targets(Rule="t", Targets=[
        {"Id": "logs", "Arn": log_arn("g1")},
        {"Id": "const", "Arn": log_arn("g2"), "Input": '{"fixed": true}'},
        {"Id": "path", "Arn": log_arn("g3"), "InputPath": "$.detail"},
        {"Id": "both", "Arn": log_arn("g4"), "Input": "{}", "InputPath": "$"},
        {"Id": "badjson", "Arn": log_arn("g5"), "Input": "{"},
    ])
    assert answer["FailedEntryCount"] == 2
    assert sorted(f["TargetId"] for f in answer["FailedEntries"]) == ["badjson", "both"]
    assert all(f["ErrorCode"] == "ValidationException" for f in answer["FailedEntries"])
    listed = events.list_targets_by_rule(Rule="t")["Targets"]
    assert [t["Id"] for t in listed] == ["logs", "const", "path"]
    assert listed[1]["Input"] == '{"fixed": true}'
    with pytest.raises(ClientError) as e:
        events.delete_rule(Name="t")
    assert error_of(e) == ("ValidationException", "Rule can't be deleted since it has targets.", 400)
    removed = events.remove_targets(Rule="t", Ids=["logs", "nope"])
    assert removed["FailedEntryCount"] == 1
    assert removed["FailedEntries"][0]["TargetId"] == "nope"
    assert removed["FailedEntries"][0]["ErrorCode"] == "ResourceNotFoundException"
    events.remove_targets(Rule="t", Ids=["const", "path"])
    assert events.list_targets_by_rule(Rule="t")["Targets"] == []
    events.delete_rule(Name="t")
    with pytest.raises(ClientError) as e:
        events.put_targets(Rule="t", Targets=[{"Id": "a", "Arn": log_arn("g")}])
    assert error_of(e)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        events.list_targets_by_rule(Rule="t")
    assert error_of(e)[0] == "ResourceNotFoundException"


def test_a_rule_has_at_most_five_targets(events):
    events.put_rule(Name="five", EventPattern='{"source":["x"]}')
    events.put_targets(Rule="five", Targets=[{"Id": f"t{i}", "Arn": log_arn(f"g{i}")} for i in range(5)])
    with pytest.raises(ClientError) as e:
        events.put_targets(Rule="five", Targets=[{"Id": "t5", "Arn": log_arn("g5")}])
    assert error_of(e)[0] == "LimitExceededException"
    # Replacing a target by Id is not adding one.
    events.put_targets(Rule="five", Targets=[{"Id": "t0", "Arn": log_arn("other")}])
    assert events.list_targets_by_rule(Rule="five")["Targets"][0]["Arn"] == log_arn("other")


def test_regions_are_separate(server):
    east, west = server.client("us-east-1"), server.client("eu-west-1")
    east.create_event_bus(Name="only-east")
    assert "only-east" not in [b["Name"] for b in west.list_event_buses()["EventBuses"]]
    assert west.describe_event_bus()["Arn"] == "arn:aws:events:eu-west-1:123456789012:event-bus/default"


def test_state_survives_a_restart(make_server):
    server = make_server()
    events = server.client()
    events.create_event_bus(Name="kept")
    events.put_rule(Name="kept-rule", EventBusName="kept", EventPattern='{"source":["x"]}', State="DISABLED")
    events.put_targets(Rule="kept-rule", EventBusName="kept", Targets=[{"Id": "t", "Arn": log_arn("g"), "InputPath": "$.detail"}])
    server.kill()
    server.start()
    events = server.client()
    assert events.describe_event_bus(Name="kept")["Name"] == "kept"
    rule = events.describe_rule(Name="kept-rule", EventBusName="kept")
    assert rule["State"] == "DISABLED"
    targets = events.list_targets_by_rule(Rule="kept-rule", EventBusName="kept")["Targets"]
    assert targets == [{"Id": "t", "Arn": log_arn("g"), "InputPath": "$.detail"}]
