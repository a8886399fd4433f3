//! SaaSus `api` / `status` selectors: resolution against the catalogue, errors and warnings,
//! and, for every operation that sends events, that its pattern on each target matches
//! exactly that operation's calls.

mod support;

use evpattern::dsl::{Compiled, Target};
use evpattern::json::JsonNode;
use evpattern::reference;
use evpattern::saasus::{compile, parse};
use evpattern::saasus::{Operation, OPERATIONS};
use serde_json::{json, Value};
use support::pattern_json::render;

fn ok(rule: &str, target: Target) -> Compiled {
    compile(rule, target).unwrap_or_else(|e| panic!("{rule}:\n{e}"))
}

fn snake_case(id: &str) -> String {
    let mut out = String::new();
    for (i, c) in id.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A concrete path of an operation: each `{param}` replaced by a made-up id.
fn instance(op: &Operation) -> String {
    op.path
        .split('/')
        .enumerate()
        .map(|(i, s)| {
            if s.starts_with('{') {
                format!("id{i}x")
            } else {
                s.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The decoded call, with SaaSus's fields in SaaSus's order.
fn call(method: &str, uri: &str, status: &str) -> Value {
    // serde_json's map keeps insertion order only with preserve_order, so the string form is
    // written by hand below; this object form is for the local target.
    json!({
        "log_id": "l", "date_time": "2026-05-19T02:22:58Z", "date": "2026-05-19",
        "ttl": "2033-05-19T02:22:58Z", "http_status": status, "uri": uri,
        "ip_address": "127.0.0.1:44896", "referer": "https://console.example/tenants/x/users",
        "request_method": method, "saas_id": "s", "api_key": "k",
        "request_body": "{\"uri\":\"/v1/auth/tenants\",\"request_method\":\"POST\"}", "response_body": "{}"
    })
}

fn call_string(method: &str, uri: &str, status: &str) -> String {
    let body = serde_json::to_string("{\"uri\":\"/v1/auth/tenants\",\"request_method\":\"POST\"}")
        .unwrap();
    format!(
        r#"{{"log_id":"l","date_time":"2026-05-19T02:22:58Z","date":"2026-05-19","ttl":"2033-05-19T02:22:58Z","http_status":"{status}","uri":"{uri}","ip_address":"127.0.0.1:44896","referer":"https://console.example/tenants/x/users","request_method":"{method}","saas_id":"s","api_key":"k","request_body":{body},"response_body":"{{}}"}}"#
    )
}

fn event(event_type: &str, call: Value) -> JsonNode {
    let text = json!({
        "version": "0", "id": "1", "detail-type": "api_call",
        "source": "aws.partner/saasus.io/x-1/event", "account": "1", "time": "t",
        "region": "ap-northeast-1", "resources": [],
        "detail": {"event_type": event_type, "event": call, "trace_id": "t"}
    });
    JsonNode::parse(&text.to_string(), 64).unwrap()
}

fn decoded_event(op: &Operation, status: &str) -> JsonNode {
    event(
        &snake_case(op.operation_id),
        call(op.method, &instance(op), status),
    )
}

fn string_event(op: &Operation, status: &str) -> JsonNode {
    event(
        &snake_case(op.operation_id),
        Value::String(call_string(op.method, &instance(op), status)),
    )
}

fn senders() -> impl Iterator<Item = &'static Operation> {
    OPERATIONS.iter().filter(|o| o.sends_events())
}

#[test]
fn every_operation_selects_exactly_its_own_calls_locally() {
    let events: Vec<(&Operation, JsonNode)> =
        senders().map(|o| (o, decoded_event(o, "201"))).collect();
    for op in senders() {
        let rule = format!("api {}", op.qualified_name());
        let compiled = ok(&rule, Target::Local);
        let expr = parse(&rule).unwrap();
        for (other, e) in &events {
            let same = other.method == op.method && other.path == op.path;
            assert_eq!(
                reference::matches(&compiled.pattern, e),
                same,
                "{rule} on {} {}: pattern {}",
                other.method,
                instance(other),
                compiled.pattern
            );
            assert_eq!(
                expr.evaluate(e),
                same,
                "{rule} evaluated on {}",
                instance(other)
            );
        }
    }
}

#[test]
fn every_operation_selects_exactly_its_own_calls_on_eventbridge() {
    let mut too_complex = Vec::new();
    let events: Vec<(&Operation, [JsonNode; 2])> = senders()
        .map(|o| (o, [string_event(o, "201"), string_event(o, "404")]))
        .collect();
    for op in senders() {
        for status in ["", " and status 2xx"] {
            let rule = format!("api {}{status}", op.qualified_name());
            let compiled = match compile(&rule, Target::EventBridge) {
                Ok(compiled) => compiled,
                Err(e) => {
                    assert!(e.message().contains("Rule is too complex"), "{rule}:\n{e}");
                    assert!(
                        e.help().unwrap_or_default().contains("split the rule"),
                        "{rule}:\n{e}"
                    );
                    too_complex.push(rule);
                    continue;
                }
            };
            let expr = parse(&rule).unwrap();
            // Calls the wildcard cannot exclude are named in a warning.
            let warned: String = compiled.warnings.iter().map(|w| w.message()).collect();
            for (other, other_events) in &events {
                let same = other.method == op.method && other.path == op.path;
                let named = format!(
                    "{} ({} {})",
                    other.qualified_name(),
                    other.method,
                    other.path
                );
                let codes = [("201", true), ("404", status.is_empty())];
                for (e, (code, status_ok)) in other_events.iter().zip(codes) {
                    let expected = same && status_ok;
                    let matched = reference::matches(&compiled.pattern, e);
                    assert!(
                        matched == expected || (matched && status_ok && warned.contains(&named)),
                        "{rule} on {} {} {code}: matched {matched}, pattern {}",
                        other.method,
                        instance(other),
                        compiled.pattern
                    );
                    assert_eq!(expr.evaluate(e), expected, "{rule} evaluated");
                }
            }
        }
    }
    // Only the operations with the most parameters need more wildcard stars than EventBridge
    // allows on one field.
    assert_eq!(
        too_complex,
        [
            "api auth.CreateTenantUserRoles and status 2xx",
            "api auth.DeleteTenantUserRole and status 2xx"
        ]
    );
}

#[test]
fn local_patterns_test_the_decoded_call() {
    assert_eq!(
        render(&ok("api CreateTenantUser", Target::Local).pattern),
        json!({
            "detail.event.request_method": ["POST"],
            "detail.event.uri": [{"wildcard": "/v1/auth/tenants/*/users"}]
        })
    );
    // Confirmed event types are used as well; a template without parameters is one path.
    assert_eq!(
        render(&ok("api CreateTenant", Target::Local).pattern),
        json!({
            "detail.event_type": ["create_tenant"],
            "detail.event.request_method": ["POST"],
            "detail.event.uri": ["/v1/auth/tenants"]
        })
    );
    // Literal siblings and deeper paths are excluded; the exclusion must be ANDed with the
    // wildcard on the same field, which EventBridge allows only inside a `$or`.
    assert_eq!(
        render(&ok("api UpdatePricingPlan", Target::Local).pattern),
        json!({
            "detail.event.request_method": ["PATCH"],
            "detail.event.uri": [{"wildcard": "/v1/pricing/plans/*"}],
            "$or": [
                {"detail.event.uri": [{"anything-but": {"wildcard": ["/v1/pricing/plans/used"]}}]},
                {"detail.event.uri": [{"anything-but": {"wildcard": ["/v1/pricing/plans/used"]}}]}
            ]
        })
    );
    assert_eq!(
        render(&ok("api DeleteTenant and status 2xx", Target::Local).pattern),
        json!({
            "detail.event.request_method": ["DELETE"],
            "detail.event.uri": [{"wildcard": "/v1/auth/tenants/*"}],
            "detail.event.http_status": [{"prefix": "2"}],
            "$or": [
                {"detail.event.uri": [{"anything-but": {"wildcard": ["/v1/auth/tenants/*/*"]}}]},
                {"detail.event.uri": [{"anything-but": {"wildcard": ["/v1/auth/tenants/*/*"]}}]}
            ]
        })
    );
    assert_eq!(
        render(&ok("api auth.* and status 201", Target::Local).pattern),
        json!({
            "detail.event.uri": [{"prefix": "/v1/auth/"}],
            "detail.event.http_status": ["201"]
        })
    );
}

#[test]
fn eventbridge_patterns_use_one_wildcard_in_saasus_field_order() {
    let compiled = ok("api CreateTenantUser and status 2xx", Target::EventBridge);
    assert_eq!(
        render(&compiled.pattern),
        json!({"detail.event": [{"wildcard":
            "*http_status\":\"2*uri\":\"/v1/auth/tenants/*/users\",\"ip_address*request_method\":\"POST\"*"}]})
    );
    // POST is the only method of that path that sends events, and its pattern reaches no
    // other operation's path: the path says it all.
    let compiled = ok("api CreateEnv and status 201", Target::EventBridge);
    assert_eq!(
        render(&compiled.pattern),
        json!({"detail.event": [{"wildcard": "*http_status\":\"201\"*uri\":\"/v1/auth/envs\"*"}]})
    );
    assert_eq!(compiled.warnings.len(), 1);
    assert!(compiled.warnings[0]
        .message()
        .contains("assumes SaaSus writes"));
    // Confirmed event types need no wildcard and no assumption.
    let compiled = ok("api CreateTenant", Target::EventBridge);
    assert_eq!(
        render(&compiled.pattern),
        json!({"detail.event_type": ["create_tenant"]})
    );
    assert!(compiled.warnings.is_empty());
    // An or of selectors is a list of wildcards on the one field.
    let compiled = ok("api CreateEnv or api CreateRole", Target::EventBridge);
    assert_eq!(
        render(&compiled.pattern),
        json!({"detail.event": [
            {"wildcard": "*uri\":\"/v1/auth/envs\"*"},
            {"wildcard": "*uri\":\"/v1/auth/roles\"*"}
        ]})
    );
    // Each selector adds stars, and EventBridge limits them per field.
    let e = compile(
        "api in [UpdateEnv, DeleteEnv] and status 201",
        Target::EventBridge,
    )
    .unwrap_err();
    assert!(e.message().contains("Rule is too complex"), "{e}");
    assert!(e
        .help()
        .unwrap()
        .contains("split the rule into several rules"));
    let compiled = ok("api auth.* and status in [201, 204]", Target::EventBridge);
    assert_eq!(
        render(&compiled.pattern),
        json!({"detail.event": [
            {"wildcard": "*http_status\":\"201\"*uri\":\"/v1/auth/*"},
            {"wildcard": "*http_status\":\"204\"*uri\":\"/v1/auth/*"}
        ]})
    );
    let compiled = ok("status 5xx", Target::EventBridge);
    assert_eq!(
        render(&compiled.pattern),
        json!({"detail.event": [{"wildcard": "*http_status\":\"5*"}]})
    );
}

#[test]
fn status_selectors() {
    let cases = [
        ("status 201", &["201"][..], &["200", "2010", "404"][..]),
        ("status 2xx", &["200", "201", "204"], &["404", "500", "302"]),
        ("status 20x", &["200", "201"], &["210", "404"]),
        ("status 4XX", &["404"], &["201"]),
        ("status in [201, 4xx]", &["201", "403"], &["200", "500"]),
        ("status \"204\"", &["204"], &["201"]),
    ];
    let create = OPERATIONS
        .iter()
        .find(|o| o.operation_id == "CreateTenantUser")
        .unwrap();
    for (rule, yes, no) in cases {
        for target in [Target::Local, Target::EventBridge] {
            let pattern = ok(rule, target).pattern;
            for (codes, expected) in [(yes, true), (no, false)] {
                for code in codes {
                    let e = match target {
                        Target::Local => decoded_event(create, code),
                        Target::EventBridge => string_event(create, code),
                    };
                    assert_eq!(
                        reference::matches(&pattern, &e),
                        expected,
                        "{rule} {target:?} {code}"
                    );
                }
            }
        }
    }
    for bad in [
        "status 2",
        "status 600",
        "status x01",
        "status 2x1",
        "status abc",
        "status",
    ] {
        let e = compile(bad, Target::Local).unwrap_err();
        assert!(
            e.message().contains("expected an HTTP status"),
            "{bad}: {e}"
        );
    }
}

#[test]
fn path_selectors_prefer_literal_segments() {
    // A template, a concrete path, a partly concrete path.
    assert_eq!(
        render(&ok("api POST /v1/auth/tenants/{tenant_id}/users", Target::Local).pattern),
        json!({
            "detail.event.request_method": ["POST"],
            "detail.event.uri": [{"wildcard": "/v1/auth/tenants/*/users"}]
        })
    );
    assert_eq!(
        render(&ok("api DELETE /v1/auth/tenants/t1/users/u1", Target::Local).pattern),
        json!({
            "detail.event.request_method": ["DELETE"],
            "detail.event.uri": ["/v1/auth/tenants/t1/users/u1"]
        })
    );
    assert_eq!(
        render(
            &ok(
                "api DELETE \"/v1/auth/tenants/t1/users/{user_id}\"",
                Target::Local
            )
            .pattern
        ),
        json!({
            "detail.event.request_method": ["DELETE"],
            "detail.event.uri": [{"wildcard": "/v1/auth/tenants/t1/users/*"}],
            "$or": [
                {"detail.event.uri": [{"anything-but": {"wildcard": ["/v1/auth/tenants/t1/users/*/*"]}}]},
                {"detail.event.uri": [{"anything-but": {"wildcard": ["/v1/auth/tenants/t1/users/*/*"]}}]}
            ]
        })
    );
    // `all` is a literal segment of another operation, not a tenant id.
    let e = compile("api POST /v1/auth/tenants/all/users", Target::Local).unwrap_err();
    assert!(
        e.message()
            .contains("SaaSus has no POST /v1/auth/tenants/all/users"),
        "{e}"
    );
    assert!(e.help().unwrap().contains("GET (GetAllTenantUsers)"), "{e}");
    let compiled = ok("api GET /v1/auth/tenants/all/users", Target::Local);
    assert!(compiled.warnings[0].message().contains("GetAllTenantUsers"));
    // Without a method: every call on the path.
    assert_eq!(
        render(&ok("api /v1/auth/tenants/{tenant_id}", Target::Local).pattern),
        json!({
            "detail.event.uri": [{"wildcard": "/v1/auth/tenants/*"}],
            "$or": [
                {"detail.event.uri": [{"anything-but": {"wildcard": ["/v1/auth/tenants/*/*"]}}]},
                {"detail.event.uri": [{"anything-but": {"wildcard": ["/v1/auth/tenants/*/*"]}}]}
            ]
        })
    );
    // A trailing slash is ignored.
    assert_eq!(
        ok("api POST /v1/auth/tenants/", Target::Local).pattern,
        ok("api CreateTenant", Target::Local).pattern
    );
}

#[test]
fn unknown_operations_suggest_the_closest() {
    let cases = [
        (
            "api CreateTenantUsr",
            "operation `CreateTenantUsr`",
            "did you mean `CreateTenantUser`?",
        ),
        (
            "api createtenantuser",
            "operation `createtenantuser`",
            "`CreateTenantUser`",
        ),
        ("api auht.*", "module `auht`", "did you mean `auth.*`?"),
        (
            "api auth.CreateTenantUsers",
            "operation `auth.CreateTenantUsers`",
            "`auth.CreateTenantUser`",
        ),
        (
            "api POST /v1/auth/tenant",
            "path `/v1/auth/tenant`",
            "/v1/auth/tenants",
        ),
        (
            "api PUT /v1/auth/tenants",
            "SaaSus has no PUT /v1/auth/tenants",
            "GET (GetTenants), POST (CreateTenant)",
        ),
        (
            "api Frobnicate",
            "operation `Frobnicate`",
            "operation ids are written",
        ),
        ("api v1/auth", "`v1` is not in the SaaSus API catalogue", ""),
        (
            "api POST /v1/auth/users?x=1",
            "is not a SaaSus API path",
            "",
        ),
        (
            "api post /v1/auth/users",
            "HTTP methods are written in capitals: `POST`",
            "",
        ),
        ("api", "expected an operation after `api`", "module.*"),
        (
            "api in [CreateTenant DeleteTenant]",
            "expected `,` or `]`",
            "",
        ),
    ];
    for (rule, message, help) in cases {
        let e = compile(rule, Target::Local).unwrap_err();
        let text = e.to_string();
        assert!(text.contains(message), "{rule}:\n{text}");
        assert!(text.contains(help), "{rule}:\n{text}");
    }
    let e = compile("api UpdateTenant", Target::Local).unwrap_err();
    assert_eq!(e.column(), 5);
    assert!(e.message().contains("names 2 operations"), "{e}");
    assert!(e
        .help()
        .unwrap()
        .contains("`api auth.UpdateTenant` (PATCH /v1/auth/tenants/{tenant_id})"));
    assert!(e.help().unwrap().contains("`api apigateway.UpdateTenant`"));
    assert!(compile("api apigateway.UpdateTenant", Target::Local).is_ok());
}

#[test]
fn reads_warn_that_no_event_comes() {
    let compiled = ok("api GetTenants", Target::Local);
    assert_eq!(compiled.warnings.len(), 1);
    assert!(compiled.warnings[0]
        .message()
        .contains("SaaSus sends no events for GET calls"));
    let compiled = ok("api GET /v1/auth/tenants/t1", Target::Local);
    assert!(compiled.warnings[0].message().contains("auth.GetTenant"));
    let compiled = ok("api /v1/auth/userinfo", Target::Local);
    assert!(compiled.warnings[0]
        .message()
        .contains("only has GET operations"));
    assert!(ok("api CreateTenant", Target::Local).warnings.is_empty());
}

#[test]
fn selector_lists_and_combinations() {
    let either = ok(
        "api in [CreateTenantUser, auth.DeleteTenantUser]",
        Target::Local,
    )
    .pattern;
    let spelled = ok(
        "api CreateTenantUser or api DeleteTenantUser",
        Target::Local,
    )
    .pattern;
    assert_eq!(either, spelled);
    assert_eq!(render(&either)["$or"].as_array().map(Vec::len), Some(2));
    // Selectors describe one call: they merge, and contradictions are errors.
    let e = compile("api CreateTenant and api DeleteTenant", Target::Local).unwrap_err();
    assert!(e.message().contains("can never match together"), "{e}");
    assert!(e.help().unwrap().contains("`or`"));
    let e = compile("status 2xx and status 4xx", Target::Local).unwrap_err();
    assert!(
        e.message().contains("two different statuss") || e.message().contains("different status"),
        "{e}"
    );
    // A selector next to ordinary tests.
    let compiled = ok(
        "source starts with \"aws.partner/saasus.io\" and api CreateTenantUser and status 2xx",
        Target::Local,
    );
    assert_eq!(compiled.pattern.root().conditions().len(), 4);
    // `not` cannot negate a selector.
    let e = compile("not api CreateTenant", Target::Local).unwrap_err();
    assert!(
        e.message().contains("cannot negate a SaaSus selector"),
        "{e}"
    );
    // On EventBridge, detail.event's fields are out of reach.
    let e = compile(
        "detail.event.uri == \"/v1/auth/users\"",
        Target::EventBridge,
    )
    .unwrap_err();
    assert!(e.message().contains("JSON-encoded string"), "{e}");
    assert!(compile("detail.event.uri == \"/v1/auth/users\"", Target::Local).is_ok());
}

/// The issue's example rule, on both targets.
#[test]
fn tenant_users_created_or_deleted_successfully_outside_the_office() {
    let rule = r#"
        # Tenant users created or deleted, successfully, from outside the office network.
        source starts with "aws.partner/saasus.io"
        and api in [CreateTenantUser, DeleteTenantUser]
        and status 2xx
        and detail.event.ip_address not starts with "203.0.113."
    "#;
    let local = ok(rule, Target::Local).pattern;
    let create = OPERATIONS
        .iter()
        .find(|o| o.operation_id == "CreateTenantUser")
        .unwrap();
    let delete = OPERATIONS
        .iter()
        .find(|o| o.operation_id == "DeleteTenantUser")
        .unwrap();
    let update = OPERATIONS
        .iter()
        .find(|o| o.operation_id == "UpdateTenantUser")
        .unwrap();
    assert!(reference::matches(&local, &decoded_event(create, "201")));
    assert!(reference::matches(&local, &decoded_event(delete, "200")));
    assert!(!reference::matches(&local, &decoded_event(update, "200")));
    assert!(!reference::matches(&local, &decoded_event(create, "400")));
    let mut office = call("POST", &instance(create), "201");
    office["ip_address"] = json!("203.0.113.7:5000");
    assert!(!reference::matches(&local, &event("x", office)));

    // On EventBridge the address is inside the string too: the rule says so.
    let e = compile(rule, Target::EventBridge).unwrap_err();
    assert!(e.message().contains("JSON-encoded string"));
}

/// Selector patterns print as plain rules that compile back to the same pattern.
#[test]
fn selector_patterns_print_back() {
    use evpattern::dsl::to_dsl;
    for op in senders() {
        for target in [Target::Local, Target::EventBridge] {
            let rule = format!("api {} and status 2xx", op.qualified_name());
            let Ok(first) = compile(&rule, target) else {
                continue;
            };
            let text = to_dsl(&first.pattern);
            // The printed rule has no selectors left, so the target no longer matters.
            let second = compile(&text, Target::Local)
                .unwrap_or_else(|e| panic!("{rule} printed as\n{text}\n{e}"));
            assert_eq!(first.pattern, second.pattern, "{rule} printed as\n{text}");
        }
    }
    assert_eq!(
        to_dsl(&ok("api DeleteTenant", Target::Local).pattern),
        "detail.event.request_method == \"DELETE\"\n\
         and detail.event.uri like \"/v1/auth/tenants/*\"\n\
         and (detail.event.uri not like \"/v1/auth/tenants/*/*\" or detail.event.uri not like \"/v1/auth/tenants/*/*\")"
    );
}
