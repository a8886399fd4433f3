//! Deterministic event generators for the benchmarks and the CLI comparison.
//!
//! Everything is generated from a seed so that a run on another machine sees byte-identical
//! events; nothing is downloaded. Three families:
//!
//! - city lots: GeoJSON features shaped like the public `citylots` corpus that event-ruler and
//!   quamina benchmark on (~900 bytes each). [`CityLotsShape::Plain`] keeps polygon coordinates
//!   as arrays of arrays of numbers; [`CityLotsShape::Objects`] turns each point into an
//!   `{x, y, z}` object and adds `firstCoordinates`, like event-ruler's `citylots2`, so that rules
//!   over several fields of one point exercise array consistency.
//! - SaaSus API-call events (see `shared/saasus/README.md`), in the current string form
//!   (`detail.event` is JSON-encoded text) and the older object form.
//! - CloudTrail-style API-call events carrying a `sourceIPAddress`, for the CIDR rules (no
//!   city-lot field holds an address).

use std::fmt::Write as _;

/// The seed every data set is drawn from, so that runs anywhere see the same events.
pub const SEED: u64 = 0x00E7_9A77_E54B_E7C4;

/// splitmix64: tiny, fast, good enough to draw benchmark data from, and identical everywhere.
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator whose whole output is fixed by `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), by multiply-shift so no modulo bias worth mentioning.
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// A uniform float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of a list of string constants.
    pub fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }

    /// A random version-4-looking UUID.
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }
}

/// Appends `s` as a JSON string literal (quotes included).
pub fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Builds one JSON object from `(key, already-encoded value)` pairs, in the given order.
fn json_object(fields: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(256);
    out.push('{');
    for (i, (key, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_str(&mut out, key);
        out.push(':');
        out.push_str(value);
    }
    out.push('}');
    out
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_json_str(&mut out, s);
    out
}

// ---------------------------------------------------------------------------------------------
// City lots

/// How polygon points are written in a city-lot feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CityLotsShape {
    /// `[[[-122.4, 37.8, 0.0], ...]]`, as in the original citylots corpus.
    Plain,
    /// `[[{"x": -122.4, "y": 37.8, "z": 0.0}, ...]]` plus `firstCoordinates`, as in citylots2.
    Objects,
}

/// Street names of San Francisco, including every name the event-ruler rules mention, so that
/// the exact, prefix, suffix and ignore-case rules all find matches.
const STREETS: &[&str] = &[
    "UNKNOWN",
    "FULTON",
    "MASON",
    "JEFFERSON",
    "BEACH",
    "HYDE",
    "CHESTNUT",
    "17TH",
    "FOLSOM",
    "FOERSTER",
    "ACTON",
    "ACADIA",
    "BLAKE",
    "BLANKEN",
    "DRUMM",
    "DRAKE",
    "FUNSTON",
    "RHODE ISLAND",
    "MADISON",
    "HARRISON",
    "JACKSON",
    "LAKE",
    "KING",
    "FLEMING",
    "SANTIAGO",
    "CHICAGO",
    "MISSION",
    "VALENCIA",
    "GEARY",
    "CALIFORNIA",
    "CLAY",
    "WASHINGTON",
    "PACIFIC",
    "BROADWAY",
    "VALLEJO",
    "GREEN",
    "UNION",
    "FILBERT",
    "LOMBARD",
    "BAY",
    "NORTH POINT",
    "MARKET",
    "HOWARD",
    "BRYANT",
    "3RD",
    "4TH",
    "16TH",
    "18TH",
    "24TH",
    "DIAMOND",
    "CASTRO",
    "NOE",
    "SANCHEZ",
    "CHURCH",
    "DOLORES",
    "GUERRERO",
    "TARAVAL",
    "NORIEGA",
    "IRVING",
    "JUDAH",
    "LINCOLN",
    "KIRKHAM",
    "ORTEGA",
    "QUINTARA",
    "SLOAT",
    "OCEAN",
    "ALEMANY",
    "SAN JOSE",
    "SAN BRUNO",
    "STERLING",
    "CLEMENT",
];

/// Street types with a heavy "ST" share (as in the corpus); `None` is JSON `null`.
const ST_TYPES: &[Option<&str>] = &[
    Some("ST"),
    Some("ST"),
    Some("ST"),
    Some("ST"),
    Some("ST"),
    Some("ST"),
    Some("AVE"),
    Some("AVE"),
    Some("AVE"),
    Some("WAY"),
    Some("BLVD"),
    Some("DR"),
    Some("CT"),
    Some("TER"),
    Some("PL"),
    Some("LN"),
    None,
];

/// MAPBLKLOT values the event-ruler EXACT and WILDCARD rules name; sprinkled in so they match.
const NAMED_LOTS: &[&str] = &["1430022", "2607117", "2607218", "3745012", "VACSTWIL"];

/// Coordinates the event-ruler NUMERIC and COMPLEX_ARRAYS rules compare with equality.
const NAMED_X: f64 = -122.429_163_609_223_55;
const NAMED_Y: f64 = 37.729_900_216_217_324;

fn push_number(out: &mut String, v: f64) {
    // Corpus-like text: 15 decimals, no exponent. `0.0` stays `0.0`.
    if v == 0.0 {
        out.push_str("0.0");
    } else {
        let _ = write!(out, "{v:.15}");
    }
}

fn push_point(out: &mut String, shape: CityLotsShape, x: f64, y: f64) {
    match shape {
        CityLotsShape::Plain => {
            out.push('[');
            push_number(out, x);
            out.push(',');
            push_number(out, y);
            out.push_str(",0.0]");
        }
        CityLotsShape::Objects => {
            out.push_str("{\"x\":");
            push_number(out, x);
            out.push_str(",\"y\":");
            push_number(out, y);
            out.push_str(",\"z\":0.0}");
        }
    }
}

/// One city-lot feature of roughly 900 bytes.
pub fn city_lot(rng: &mut SplitMix64, shape: CityLotsShape) -> String {
    let mut block = format!("{:04}", rng.between(1, 7600));
    if rng.chance(0.08) {
        block.push(*rng.pick(&['A', 'B', 'C']));
    }
    let lot = format!("{:03}", rng.between(1, 150));
    let mapblklot = if rng.chance(0.01) {
        (*rng.pick(NAMED_LOTS)).to_owned()
    } else {
        format!("{block}{lot}")
    };
    let blklot = if rng.chance(0.95) {
        mapblklot.clone()
    } else {
        format!("{block}{:03}", rng.between(1, 150))
    };
    let (from_st, to_st) = if rng.chance(0.1) {
        ("0".to_owned(), "0".to_owned())
    } else if rng.chance(0.02) {
        let named = *rng.pick(&["441", "2521", "755"]);
        (named.to_owned(), named.to_owned())
    } else {
        let from = rng.between(1, 4000);
        (
            from.to_string(),
            (from + 2 * rng.between(0, 20)).to_string(),
        )
    };
    let street = if rng.chance(0.15) {
        "UNKNOWN"
    } else {
        *rng.pick(STREETS)
    };
    let st_type = *rng.pick(ST_TYPES);
    let odd_even = if rng.chance(0.5) { "E" } else { "O" };
    let multi = rng.chance(0.01);

    let mut out = String::with_capacity(1100);
    out.push_str("{\"type\":\"Feature\",\"properties\":{");
    for (i, (key, value)) in [
        ("MAPBLKLOT", Some(mapblklot.as_str())),
        ("BLKLOT", Some(blklot.as_str())),
        ("BLOCK_NUM", Some(block.as_str())),
        ("LOT_NUM", Some(lot.as_str())),
        ("FROM_ST", Some(from_st.as_str())),
        ("TO_ST", Some(to_st.as_str())),
        ("STREET", Some(street)),
        ("ST_TYPE", st_type),
        ("ODD_EVEN", Some(odd_even)),
    ]
    .into_iter()
    .enumerate()
    {
        if i > 0 {
            out.push(',');
        }
        push_json_str(&mut out, key);
        out.push(':');
        match value {
            Some(v) => push_json_str(&mut out, v),
            None => out.push_str("null"),
        }
    }
    out.push_str("},\"geometry\":{\"type\":");
    out.push_str(if multi {
        "\"MultiPolygon\""
    } else {
        "\"Polygon\""
    });

    // A ring of points around a centre inside San Francisco, closed by repeating the first.
    let points = rng.between(8, 16);
    let cx = -122.514 + rng.unit() * 0.157;
    let cy = 37.708 + rng.unit() * 0.103;
    let mut ring: Vec<(f64, f64)> = (0..points)
        .map(|_| {
            (
                cx + (rng.unit() - 0.5) * 0.001,
                cy + (rng.unit() - 0.5) * 0.001,
            )
        })
        .collect();
    if rng.chance(0.005) {
        ring[0].0 = NAMED_X;
    }
    if multi && rng.chance(0.2) {
        ring[0].1 = NAMED_Y;
    }
    ring.push(ring[0]);

    out.push_str(",\"coordinates\":");
    out.push_str(if multi { "[[[" } else { "[[" });
    for (i, &(x, y)) in ring.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_point(&mut out, shape, x, y);
    }
    out.push_str(if multi { "]]]" } else { "]]" });
    if shape == CityLotsShape::Objects {
        out.push_str(",\"firstCoordinates\":");
        push_point(&mut out, shape, ring[0].0, ring[0].1);
    }
    out.push_str("}}");
    out
}

/// `count` city-lot features from `seed`.
pub fn city_lots(seed: u64, count: usize, shape: CityLotsShape) -> Vec<String> {
    let mut rng = SplitMix64::new(seed);
    (0..count).map(|_| city_lot(&mut rng, shape)).collect()
}

// ---------------------------------------------------------------------------------------------
// SaaSus

/// One SaaSus API operation that changes something (GET calls send no event).
#[derive(Clone, Debug)]
pub struct Operation {
    /// API module, e.g. `auth`.
    pub module: String,
    /// `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: String,
    /// Path template with `{param}` segments.
    pub path: String,
    /// Operation id, e.g. `CreateTenant`.
    pub operation_id: String,
}

impl Operation {
    /// The event type SaaSus sends for this operation: the operation id in snake_case
    /// (`CreateSaasUser` → `create_saas_user`, `UpdateMeteringUnitByID` →
    /// `update_metering_unit_by_id`).
    pub fn event_type(&self) -> String {
        let chars: Vec<char> = self.operation_id.chars().collect();
        let mut out = String::with_capacity(chars.len() + 8);
        for (i, &c) in chars.iter().enumerate() {
            if c.is_ascii_uppercase() {
                let prev_lower = i > 0 && !chars[i - 1].is_ascii_uppercase();
                let acronym_end = i > 0
                    && chars[i - 1].is_ascii_uppercase()
                    && chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                if prev_lower || acronym_end {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }
}

/// A few operations, used when `shared/saasus/api-catalogue.tsv` cannot be found.
const FALLBACK_OPERATIONS: &[(&str, &str, &str, &str)] = &[
    ("auth", "POST", "/v1/auth/tenants", "CreateTenant"),
    (
        "auth",
        "PATCH",
        "/v1/auth/tenants/{tenant_id}",
        "UpdateTenant",
    ),
    (
        "auth",
        "DELETE",
        "/v1/auth/tenants/{tenant_id}",
        "DeleteTenant",
    ),
    ("auth", "POST", "/v1/auth/users", "CreateSaasUser"),
    (
        "auth",
        "DELETE",
        "/v1/auth/users/{user_id}",
        "DeleteSaasUser",
    ),
    (
        "auth",
        "PATCH",
        "/v1/auth/users/{user_id}/password",
        "UpdateSaasUserPassword",
    ),
    (
        "auth",
        "POST",
        "/v1/auth/tenants/{tenant_id}/users",
        "CreateTenantUser",
    ),
    (
        "auth",
        "DELETE",
        "/v1/auth/tenants/{tenant_id}/users/{user_id}",
        "DeleteTenantUser",
    ),
    (
        "auth",
        "PUT",
        "/v1/auth/tenants/{tenant_id}/plans",
        "UpdateTenantPlan",
    ),
    ("pricing", "POST", "/v1/pricing/plans", "CreatePricingPlan"),
    (
        "pricing",
        "PATCH",
        "/v1/pricing/plans/{plan_id}",
        "UpdatePricingPlan",
    ),
    (
        "billing",
        "PUT",
        "/v1/billing/stripe/info",
        "UpdateStripeInfo",
    ),
    (
        "communication",
        "POST",
        "/v1/communication/feedbacks",
        "CreateFeedback",
    ),
];

/// The non-GET operations of the SaaSus API catalogue: read from
/// `$CARGO_MANIFEST_DIR/../shared/saasus/api-catalogue.tsv` (or `$EVPATTERN_SAASUS_CATALOGUE`),
/// else a built-in subset of it.
pub fn saasus_operations() -> Vec<Operation> {
    let path = std::env::var("EVPATTERN_SAASUS_CATALOGUE").unwrap_or_else(|_| {
        format!(
            "{}/../shared/saasus/api-catalogue.tsv",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    let from_file: Vec<Operation> = std::fs::read_to_string(path)
        .map(|text| {
            text.lines()
                .skip(1)
                .filter_map(|line| {
                    let mut cols = line.split('\t');
                    let module = cols.next()?;
                    let method = cols.next()?;
                    let path = cols.next()?;
                    let operation_id = cols.next()?;
                    (method != "GET").then(|| Operation {
                        module: module.to_owned(),
                        method: method.to_owned(),
                        path: path.to_owned(),
                        operation_id: operation_id.to_owned(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    if !from_file.is_empty() {
        return from_file;
    }
    FALLBACK_OPERATIONS
        .iter()
        .map(|&(module, method, path, operation_id)| Operation {
            module: module.to_owned(),
            method: method.to_owned(),
            path: path.to_owned(),
            operation_id: operation_id.to_owned(),
        })
        .collect()
}

/// How `detail.event` (and the bodies inside it) is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaasusForm {
    /// Today's form: `detail.event` is a JSON-encoded string, and so are the bodies in it.
    String,
    /// The older documented form: nested objects all the way.
    Object,
}

/// The SaaS tenants (partner event sources) the generated events come from; rules name them.
pub const SAASUS_SOURCES: &[(&str, &str)] = &[
    ("d8753ef8-8604-4b7d-8a44-cf9a64433209-1", "899411123005"),
    ("5b4297ce-bdb3-43e2-bf99-d605cac044c8-1", "999999999999"),
    ("0c6f1d2e-3a4b-4c5d-9e8f-a1b2c3d4e5f6-1", "123456789012"),
    ("7e1a9b3c-5d2f-4e6a-8b9c-0d1e2f3a4b5c-2", "210987654321"),
    ("f1e2d3c4-b5a6-4978-8a9b-c0d1e2f3a4b5-1", "555566667777"),
    ("a9b8c7d6-e5f4-4a3b-9c2d-1e0f9a8b7c6d-3", "444433332222"),
];

/// SaaS ids behind the sources (one per source).
pub const SAASUS_SAAS_IDS: &[&str] = &[
    "sample_saas_id_sample",
    "acme_saas_01",
    "globex_saas",
    "initech_prod",
    "umbrella_saas",
    "hooli_saas_x",
];

fn fill_path(rng: &mut SplitMix64, template: &str) -> String {
    let mut out = String::with_capacity(template.len() + 40);
    for (i, segment) in template.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        if segment.starts_with('{') {
            match segment {
                "{timestamp}" => {
                    let _ = write!(out, "{}", 1_779_000_000 + rng.below(10_000_000));
                }
                "{role_name}" => {
                    out.push_str(rng.pick_str(&["admin", "user", "viewer", "billing"]))
                }
                "{env_id}" => {
                    let _ = write!(out, "{}", rng.between(1, 3));
                }
                "{attribute_name}" | "{metering_unit_name}" => {
                    out.push_str(rng.pick_str(&["memo", "department", "api_calls", "storage_gb"]))
                }
                "{provider_name}" => out.push_str(rng.pick_str(&["Google", "SAML"])),
                _ => out.push_str(&rng.uuid()),
            }
        } else {
            out.push_str(segment);
        }
    }
    out
}

fn body_fields(
    rng: &mut SplitMix64,
    op: &Operation,
    response: bool,
) -> Vec<(&'static str, String)> {
    let id = rng.uuid();
    let n = rng.below(100_000);
    let mut fields: Vec<(&'static str, String)> = Vec::new();
    let name = op.operation_id.as_str();
    if name.contains("User") || name.contains("Sign") || name.contains("Email") {
        fields.push(("email", quoted(&format!("user{n}@example.com"))));
        if !response && (name.contains("Create") || name.contains("Password")) {
            fields.push(("password", quoted("xxxxx")));
        }
    }
    if name.contains("Tenant") {
        fields.push((
            "attributes",
            json_object(&[("memo", quoted(&format!("tenant memo {n}")))]),
        ));
        fields.push(("back_office_staff_email", quoted("staff@example.com")));
        fields.push(("name", quoted(&format!("Tenant {n}"))));
    }
    if name.contains("Plan") || name.contains("Pricing") || name.contains("Metering") {
        fields.push(("display_name", quoted(&format!("Plan {}", n % 12))));
        fields.push(("description", quoted("monthly plan")));
        fields.push(("amount", (n % 5000).to_string()));
    }
    if fields.is_empty() {
        fields.push(("name", quoted(&format!("item {n}"))));
    }
    if response {
        fields.push(("id", quoted(&id)));
    }
    fields
}

/// Encodes a body in the form's way: a JSON-encoded string, or the object itself.
fn body(rng: &mut SplitMix64, op: &Operation, response: bool, form: SaasusForm) -> String {
    if response && op.method == "DELETE" {
        return quoted("");
    }
    let object = json_object(&body_fields(rng, op, response));
    match form {
        SaasusForm::String => quoted(&object),
        SaasusForm::Object => object,
    }
}

fn timestamp(rng: &mut SplitMix64) -> (String, String, String) {
    let month = rng.between(4, 6);
    let day = rng.between(1, 28);
    let (h, m, s) = (rng.below(24), rng.below(60), rng.below(60));
    let date = format!("2026-{month:02}-{day:02}");
    let date_time = format!("{date}T{h:02}:{m:02}:{s:02}Z");
    let ttl = format!("2033-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z");
    (date, date_time, ttl)
}

/// One SaaSus partner event for an API call (or, 5% of the time, a custom event a SaaS pushed
/// through SaaSus with another detail-type).
pub fn saasus_event(rng: &mut SplitMix64, ops: &[Operation], form: SaasusForm) -> String {
    let op = rng.pick(ops);
    let source_index = rng.below(SAASUS_SOURCES.len());
    let (source_id, account) = SAASUS_SOURCES[source_index];
    let (date, date_time, ttl) = timestamp(rng);
    let status = if rng.chance(0.05) {
        *rng.pick(&["400", "403", "404", "409", "500"])
    } else {
        match op.method.as_str() {
            "POST" => "201",
            "DELETE" => "204",
            _ => "200",
        }
    };
    let uri = fill_path(rng, &op.path);
    let ip = format!(
        "{}.{}.{}.{}:{}",
        rng.pick(&[127, 10, 172, 192, 203]),
        rng.below(256),
        rng.below(256),
        rng.between(1, 254),
        rng.between(1024, 65535)
    );
    let referer = format!(
        "https://saasadmin.console.saasus.io/{}",
        rng.pick(&[
            "",
            "tenants",
            "users",
            "pricing/plans",
            "billing",
            "settings"
        ])
    );
    let request_body = body(rng, op, false, form);
    let response_body = body(rng, op, true, form);
    let inner = json_object(&[
        ("log_id", quoted(&rng.uuid())),
        ("date_time", quoted(&date_time)),
        ("date", quoted(&date)),
        ("ttl", quoted(&ttl)),
        ("http_status", quoted(status)),
        ("uri", quoted(&uri)),
        ("ip_address", quoted(&ip)),
        ("referer", quoted(&referer)),
        ("request_method", quoted(&op.method)),
        ("saas_id", quoted(SAASUS_SAAS_IDS[source_index])),
        ("api_key", quoted(&format!("key_{:016x}", rng.next_u64()))),
        ("request_body", request_body),
        ("response_body", response_body),
    ]);
    let event = match form {
        SaasusForm::String => quoted(&inner),
        SaasusForm::Object => inner,
    };
    let (detail_type, event_type) = if rng.chance(0.05) {
        ("custom_event", "plan_usage_reported".to_owned())
    } else {
        ("api_call", op.event_type())
    };
    let detail = json_object(&[
        ("event_type", quoted(&event_type)),
        ("event", event),
        ("trace_id", quoted(&rng.uuid())),
    ]);
    json_object(&[
        ("version", quoted("0")),
        ("id", quoted(&rng.uuid())),
        ("detail-type", quoted(detail_type)),
        (
            "source",
            quoted(&format!("aws.partner/saasus.io/{source_id}/event")),
        ),
        ("account", quoted(account)),
        ("time", quoted(&date_time)),
        ("region", quoted("ap-northeast-1")),
        ("resources", "[]".to_owned()),
        ("detail", detail),
    ])
}

/// `count` SaaSus events from `seed`.
pub fn saasus_events(seed: u64, count: usize, form: SaasusForm) -> Vec<String> {
    let ops = saasus_operations();
    let mut rng = SplitMix64::new(seed);
    (0..count)
        .map(|_| saasus_event(&mut rng, &ops, form))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// CloudTrail-style events (for CIDR)

const EVENT_NAMES: &[(&str, &str)] = &[
    ("ec2.amazonaws.com", "RunInstances"),
    ("ec2.amazonaws.com", "TerminateInstances"),
    ("s3.amazonaws.com", "PutBucketPolicy"),
    ("iam.amazonaws.com", "CreateAccessKey"),
    ("signin.amazonaws.com", "ConsoleLogin"),
    ("kms.amazonaws.com", "Decrypt"),
];

fn source_ip(rng: &mut SplitMix64) -> String {
    match rng.below(10) {
        0..=2 => format!(
            "10.{}.{}.{}",
            rng.below(256),
            rng.below(256),
            rng.between(1, 254)
        ),
        3 => format!(
            "172.{}.{}.{}",
            rng.between(16, 31),
            rng.below(256),
            rng.between(1, 254)
        ),
        4 => format!("192.168.{}.{}", rng.below(4), rng.between(1, 254)),
        5 => format!("203.0.113.{}", rng.between(1, 254)),
        6 => format!(
            "{}.{}.{}.{}",
            rng.between(1, 223),
            rng.below(256),
            rng.below(256),
            rng.between(1, 254)
        ),
        7 => format!(
            "2001:db8:{:x}:{:x}::{:x}",
            rng.below(0x10000),
            rng.below(0x10000),
            rng.between(1, 0xffff)
        ),
        8 => format!(
            "2600:1f18:{:x}:{:x}:{:x}:{:x}:{:x}:{:x}",
            rng.below(0x10000),
            rng.below(0x10000),
            rng.below(0x10000),
            rng.below(0x10000),
            rng.below(0x10000),
            rng.below(0x10000)
        ),
        // AWS services call on users' behalf with their host name instead of an address.
        _ => (*rng.pick(&["ec2.amazonaws.com", "autoscaling.amazonaws.com"])).to_owned(),
    }
}

/// One CloudTrail "AWS API Call via CloudTrail" event as EventBridge delivers it (~900 bytes).
pub fn cloudtrail_event(rng: &mut SplitMix64) -> String {
    let (event_source, event_name) = *rng.pick(EVENT_NAMES);
    let service = event_source.split('.').next().unwrap_or("ec2");
    let account = format!("{:012}", rng.below(1_000_000) as u64 * 1_000_003);
    let user = *rng.pick(&["alice", "bob", "carol", "deploy-bot", "ci-runner"]);
    let (_, date_time, _) = timestamp(rng);
    let region = *rng.pick(&["us-east-1", "eu-west-1", "ap-northeast-1"]);
    let user_identity = json_object(&[
        ("type", quoted("IAMUser")),
        (
            "principalId",
            quoted(&format!("AIDA{:016X}", rng.next_u64())),
        ),
        (
            "arn",
            quoted(&format!("arn:aws:iam::{account}:user/{user}")),
        ),
        ("accountId", quoted(&account)),
        (
            "accessKeyId",
            quoted(&format!("AKIA{:016X}", rng.next_u64())),
        ),
        ("userName", quoted(user)),
    ]);
    let request_parameters = json_object(&[
        (
            "instanceType",
            quoted(rng.pick_str(&["t3.micro", "m5.large", "c6g.xlarge"])),
        ),
        ("minCount", "1".to_owned()),
        ("maxCount", rng.between(1, 4).to_string()),
    ]);
    let detail = json_object(&[
        ("eventVersion", quoted("1.08")),
        ("userIdentity", user_identity),
        ("eventTime", quoted(&date_time)),
        ("eventSource", quoted(event_source)),
        ("eventName", quoted(event_name)),
        ("awsRegion", quoted(region)),
        ("sourceIPAddress", quoted(&source_ip(rng))),
        (
            "userAgent",
            quoted("aws-cli/2.15.0 Python/3.11.6 Linux/6.1.0 exe/x86_64.debian.12"),
        ),
        ("requestParameters", request_parameters),
        ("responseElements", "null".to_owned()),
        ("requestID", quoted(&rng.uuid())),
        ("eventID", quoted(&rng.uuid())),
        ("readOnly", "false".to_owned()),
        ("eventType", quoted("AwsApiCall")),
        ("managementEvent", "true".to_owned()),
        ("recipientAccountId", quoted(&account)),
        ("eventCategory", quoted("Management")),
    ]);
    json_object(&[
        ("version", quoted("0")),
        ("id", quoted(&rng.uuid())),
        ("detail-type", quoted("AWS API Call via CloudTrail")),
        ("source", quoted(&format!("aws.{service}"))),
        ("account", quoted(&account)),
        ("time", quoted(&date_time)),
        ("region", quoted(region)),
        ("resources", "[]".to_owned()),
        ("detail", detail),
    ])
}

/// `count` CloudTrail-style events from `seed`.
pub fn cloudtrail_events(seed: u64, count: usize) -> Vec<String> {
    let mut rng = SplitMix64::new(seed);
    (0..count).map(|_| cloudtrail_event(&mut rng)).collect()
}
