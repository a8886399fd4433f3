"""One Matcher shared by threads: matches_many releases the GIL, and rules change while
other threads match. Every batch sees one complete rule set, never a torn one."""

import json
import sys
import threading

import evpattern

STABLE = {
    "created": '{"detail": {"event_type": ["create_tenant"]}}',
    "deleted": '{"detail": {"event_type": ["delete_tenant"]}}',
    "any-saasus": '{"source": [{"prefix": "aws.partner/saasus.io/"}]}',
}


def batch(n):
    kinds = ["create_tenant", "delete_tenant", "update_user"]
    return [
        json.dumps({"source": "aws.partner/saasus.io/x/event",
                    "detail": {"event_type": kinds[i % 3], "i": i}})
        for i in range(n)
    ]


def expected_stable(event_text):
    kind = json.loads(event_text)["detail"]["event_type"]
    names = {"create_tenant": ["created"], "delete_tenant": ["deleted"]}.get(kind, [])
    return names + ["any-saasus"]


def test_matchers_and_a_writer_in_parallel():
    m = evpattern.Matcher()
    for name, pattern in STABLE.items():
        m.add(name, pattern)
    events = batch(3000)
    expected = [expected_stable(e) for e in events]
    stop = threading.Event()
    failures = []
    rounds = [0] * 4

    def reader(slot):
        try:
            while not stop.is_set() or rounds[slot] < 3:
                got = m.matches_many(events)
                assert len(got) == len(events)
                for names, want in zip(got, expected):
                    stable = [n for n in names if not n.startswith("churn-")]
                    # Stable rules come first (added first), in insertion order.
                    assert stable == want and names[: len(want)] == want, (names, want)
                    # A churn rule matches every event: within one batch either all of
                    # the batch's events name it or none does (one snapshot per batch).
                churn_sets = {tuple(n for n in names if n.startswith("churn-")) for names in got}
                assert len(churn_sets) == 1, churn_sets
                rounds[slot] += 1
        except Exception as error:  # reported by the main thread
            failures.append(error)

    def writer():
        try:
            for i in range(300):
                m.add(f"churn-{i}", '{"source": [{"exists": true}]}')
                if i % 2:
                    assert m.remove(f"churn-{i - 1}")
                assert m.matches(events[0])[: 2] == expected[0][:2]
        except Exception as error:
            failures.append(error)
        finally:
            stop.set()

    threads = [threading.Thread(target=reader, args=(slot,)) for slot in range(4)]
    threads.append(threading.Thread(target=writer))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads)
    assert not failures, failures
    assert all(r >= 3 for r in rounds)
    assert len(m) == 3 + 150
    assert m.matches(events[0]) == expected[0][:1] + ["any-saasus"] + [f"churn-{i}" for i in range(1, 300, 2)]


def ran_while_busy(work):
    """Whether the main thread got the GIL back while another thread ran `work`. With a
    switch interval far longer than the test, the interpreter never takes the GIL away: the
    main thread runs again during `work` only if `work` gives the GIL up."""
    started = threading.Event()
    done = threading.Event()

    def run():
        started.set()
        work()
        done.set()

    previous = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        t = threading.Thread(target=run)
        t.start()
        started.wait()
        ran = not done.is_set()
    finally:
        sys.setswitchinterval(previous)
    t.join()
    return ran


def test_matches_many_releases_the_gil():
    m = evpattern.Matcher()
    for name, pattern in STABLE.items():
        m.add(name, pattern)
    events = batch(200_000)
    assert ran_while_busy(lambda: m.matches_many(events))
    # The control: a loop of matches (each holding the GIL) is not interrupted, so the check
    # above can fail.
    assert not ran_while_busy(lambda: [m.matches(e) for e in events[:50_000]])


def test_one_matcher_matches_from_many_threads_with_the_same_answers():
    m = evpattern.Matcher()
    for name, pattern in STABLE.items():
        m.add(name, pattern)
    events = batch(2000)
    want = m.matches_many(events)
    results = [None] * 6

    def run(slot):
        results[slot] = m.matches_many(events)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == want for r in results)
