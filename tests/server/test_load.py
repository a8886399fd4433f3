"""A bounded load test: PutEvents batches of 10 from several client threads against a bus with
1,000 rules, the server killed (SIGKILL) and restarted in the middle. Every event PutEvents
accepted reaches its log-group file exactly as many times as rules matched it."""

import collections
import json
import threading
import time

from botocore.exceptions import BotoCoreError, ClientError

from conftest import log_arn, wait_for

RULES = 1000
BUCKETS = 200          # rule i matches detail.bucket == i % BUCKETS: 5 rules per bucket
GROUPS = 10            # rule i delivers to log group load-(i % GROUPS): all 5 to one group
MATCHES_PER_EVENT = RULES // BUCKETS
THREADS = 4
BATCHES_PER_THREAD = 40
BUS = "load"


def test_every_accepted_event_lands_exactly_once_per_matching_rule_across_a_crash(server):
    events = server.client()
    events.create_event_bus(Name=BUS)
    for i in range(RULES):
        name = f"rule-{i:04d}"
        events.put_rule(Name=name, EventBusName=BUS,
                        EventPattern=json.dumps({"source": ["load"], "detail": {"bucket": [i % BUCKETS]}}))
        events.put_targets(Rule=name, EventBusName=BUS, Targets=[{"Id": "log", "Arn": log_arn(f"load-{i % GROUPS}")}])

    accepted = {}                  # event id -> the event's n
    sent = set()                   # every n sent, answered or not
    lock = threading.Lock()
    progress = collections.Counter()
    errors = []

    def client_thread(t):
        client = server.client()
        batch = 0
        while batch < BATCHES_PER_THREAD:
            ns = [t * 1_000_000 + batch * 100 + k for k in range(10)]
            with lock:
                sent.update(ns)
            entries = [{"Source": "load", "DetailType": "load", "EventBusName": BUS,
                        "Detail": json.dumps({"n": n, "bucket": n % BUCKETS})} for n in ns]
            try:
                answer = client.put_events(Entries=entries)
            except (BotoCoreError, ClientError):
                # The server is down (the crash below): these entries may or may not have been
                # journaled; the next batch has new numbers.
                time.sleep(0.05)
                batch += 1
                continue
            if answer["FailedEntryCount"]:
                errors.append(answer)
            with lock:
                for n, result in zip(ns, answer["Entries"]):
                    if "EventId" in result:
                        accepted[result["EventId"]] = n
                progress["batches"] += 1
            batch += 1

    threads = [threading.Thread(target=client_thread, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    wait_for(lambda: progress["batches"] >= THREADS * BATCHES_PER_THREAD // 3, timeout=120, what="load")
    server.kill()
    server.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not errors, errors[:1]
    assert len(accepted) >= THREADS * BATCHES_PER_THREAD * 10 // 2, "most batches were accepted"

    def lines_by_n():
        seen = collections.defaultdict(list)
        for g in range(GROUPS):
            for line in server.log_lines(f"load-{g}"):
                seen[line["detail"]["n"]].append((line["id"], g))
        return seen

    wanted = len(accepted) * MATCHES_PER_EVENT
    wait_for(lambda: sum(len(v) for n, v in lines_by_n().items() if n in set(accepted.values())) >= wanted,
             timeout=120, what="every accepted delivery")
    time.sleep(0.5)
    seen = lines_by_n()
    for event_id, n in accepted.items():
        assert len(seen[n]) == MATCHES_PER_EVENT, (n, seen[n])
        assert {i for i, _ in seen[n]} == {event_id}
        assert {g for _, g in seen[n]} == {(n % BUCKETS) % GROUPS}
    # Entries whose answer was lost in the crash may have been accepted: then they too landed
    # exactly once per rule, never a partial or doubled count.
    for n, lines in seen.items():
        assert n in sent
        assert len(lines) == MATCHES_PER_EVENT, (n, lines)
    assert server.dead_letters() == []
