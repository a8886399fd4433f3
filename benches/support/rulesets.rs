//! The rule sets the benchmarks match with.
//!
//! The city-lots categories mirror the public event-ruler benchmark (`Benchmarks.java`, repo
//! aws/event-ruler): the same five rules per category, on the same fields, so figures can be
//! set beside event-ruler's and quamina's published ones. CIDR (which event-ruler's benchmark
//! lacks) runs on CloudTrail-style events; the SaaSus sets follow the subscriptions SaaSus
//! customers write (see `shared/saasus/README.md`).

use super::datagen::{self, SplitMix64, SAASUS_SAAS_IDS, SAASUS_SOURCES};

/// Which generated events a rule set is matched against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dataset {
    /// City lots, points as arrays of numbers.
    CityLots,
    /// City lots, points as `{x, y, z}` objects plus `firstCoordinates` (event-ruler's citylots2).
    CityLots2,
    /// CloudTrail-style API calls with `sourceIPAddress`.
    CloudTrail,
    /// SaaSus events, `detail.event` as a JSON-encoded string.
    SaasusString,
    /// SaaSus events, `detail.event` as an object (older form).
    SaasusObject,
}

impl Dataset {
    /// Short name used in benchmark ids.
    /// The data set's first `count` events, drawn from [`datagen::SEED`].
    pub fn events(self, count: usize) -> Vec<String> {
        use datagen::{CityLotsShape, SaasusForm};
        match self {
            Dataset::CityLots => datagen::city_lots(datagen::SEED, count, CityLotsShape::Plain),
            Dataset::CityLots2 => datagen::city_lots(datagen::SEED, count, CityLotsShape::Objects),
            Dataset::CloudTrail => datagen::cloudtrail_events(datagen::SEED, count),
            Dataset::SaasusString => {
                datagen::saasus_events(datagen::SEED, count, SaasusForm::String)
            }
            Dataset::SaasusObject => {
                datagen::saasus_events(datagen::SEED, count, SaasusForm::Object)
            }
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Dataset::CityLots => "citylots",
            Dataset::CityLots2 => "citylots2",
            Dataset::CloudTrail => "cloudtrail",
            Dataset::SaasusString => "saasus-string",
            Dataset::SaasusObject => "saasus-object",
        }
    }
}

/// A named set of rules and the events it is matched against.
pub struct RuleSet {
    /// Category name, e.g. `EXACT`.
    pub name: &'static str,
    /// The events to match.
    pub dataset: Dataset,
    /// Pattern texts; rule `i` is reported as key `i`.
    pub rules: Vec<String>,
}

fn set(name: &'static str, dataset: Dataset, rules: &[&str]) -> RuleSet {
    RuleSet {
        name,
        dataset,
        rules: rules.iter().map(|r| (*r).to_owned()).collect(),
    }
}

fn props(field: &str, value: &str) -> String {
    format!(r#"{{"properties":{{"{field}":[{value}]}}}}"#)
}

const EXACT: &[&str] = &[
    r#"{"properties":{"MAPBLKLOT":["1430022"]}}"#,
    r#"{"properties":{"MAPBLKLOT":["2607117"]}}"#,
    r#"{"properties":{"MAPBLKLOT":["2607218"]}}"#,
    r#"{"properties":{"MAPBLKLOT":["3745012"]}}"#,
    r#"{"properties":{"MAPBLKLOT":["VACSTWIL"]}}"#,
];

const WILDCARD: &[&str] = &[
    r#"{"properties":{"MAPBLKLOT":[{"wildcard":"143*"}]}}"#,
    r#"{"properties":{"MAPBLKLOT":[{"wildcard":"2*0*1*7"}]}}"#,
    r#"{"properties":{"MAPBLKLOT":[{"wildcard":"*218"}]}}"#,
    r#"{"properties":{"MAPBLKLOT":[{"wildcard":"3*5*2"}]}}"#,
    r#"{"properties":{"MAPBLKLOT":[{"wildcard":"VA*IL"}]}}"#,
];

const PREFIX: &[&str] = &[
    r#"{"properties":{"STREET":[{"prefix":"AC"}]}}"#,
    r#"{"properties":{"STREET":[{"prefix":"BL"}]}}"#,
    r#"{"properties":{"STREET":[{"prefix":"DR"}]}}"#,
    r#"{"properties":{"STREET":[{"prefix":"FU"}]}}"#,
    r#"{"properties":{"STREET":[{"prefix":"RH"}]}}"#,
];

const PREFIX_EQUALS_IGNORE_CASE: &[&str] = &[
    r#"{"properties":{"STREET":[{"prefix":{"equals-ignore-case":"Ac"}}]}}"#,
    r#"{"properties":{"STREET":[{"prefix":{"equals-ignore-case":"bL"}}]}}"#,
    r#"{"properties":{"STREET":[{"prefix":{"equals-ignore-case":"dR"}}]}}"#,
    r#"{"properties":{"STREET":[{"prefix":{"equals-ignore-case":"Fu"}}]}}"#,
    r#"{"properties":{"STREET":[{"prefix":{"equals-ignore-case":"rH"}}]}}"#,
];

const SUFFIX: &[&str] = &[
    r#"{"properties":{"STREET":[{"suffix":"ON"}]}}"#,
    r#"{"properties":{"STREET":[{"suffix":"KE"}]}}"#,
    r#"{"properties":{"STREET":[{"suffix":"MM"}]}}"#,
    r#"{"properties":{"STREET":[{"suffix":"ING"}]}}"#,
    r#"{"properties":{"STREET":[{"suffix":"GO"}]}}"#,
];

const SUFFIX_EQUALS_IGNORE_CASE: &[&str] = &[
    r#"{"properties":{"STREET":[{"suffix":{"equals-ignore-case":"oN"}}]}}"#,
    r#"{"properties":{"STREET":[{"suffix":{"equals-ignore-case":"Ke"}}]}}"#,
    r#"{"properties":{"STREET":[{"suffix":{"equals-ignore-case":"mM"}}]}}"#,
    r#"{"properties":{"STREET":[{"suffix":{"equals-ignore-case":"InG"}}]}}"#,
    r#"{"properties":{"STREET":[{"suffix":{"equals-ignore-case":"gO"}}]}}"#,
];

const EQUALS_IGNORE_CASE: &[&str] = &[
    r#"{"properties":{"STREET":[{"equals-ignore-case":"jefferson"}]}}"#,
    r#"{"properties":{"STREET":[{"equals-ignore-case":"bEaCh"}]}}"#,
    r#"{"properties":{"STREET":[{"equals-ignore-case":"HyDe"}]}}"#,
    r#"{"properties":{"STREET":[{"equals-ignore-case":"CHESTNUT"}]}}"#,
    r#"{"properties":{"ST_TYPE":[{"equals-ignore-case":"st"}]}}"#,
];

const NUMERIC: &[&str] = &[
    r#"{"geometry":{"type":["Polygon"],"firstCoordinates":{"x":[{"numeric":["=",-122.42916360922355]}]}}}"#,
    r#"{"geometry":{"type":["MultiPolygon"],"firstCoordinates":{"z":[{"numeric":["=",0]}]}}}"#,
    r#"{"geometry":{"firstCoordinates":{"x":[{"numeric":["<",-122.41600944012424]}]}}}"#,
    r#"{"geometry":{"firstCoordinates":{"x":[{"numeric":[">",-122.41600944012424]}]}}}"#,
    r#"{"geometry":{"firstCoordinates":{"x":[{"numeric":[">",-122.46471267081272,"<",-122.4063085128395]}]}}}"#,
];

const COMPLEX_ARRAYS: &[&str] = &[
    r#"{"geometry":{"type":["Polygon"],"coordinates":{"x":[{"numeric":["=",-122.42916360922355]}]}}}"#,
    r#"{"geometry":{"type":["MultiPolygon"],"coordinates":{"y":[{"numeric":["=",37.729900216217324]}]}}}"#,
    r#"{"geometry":{"coordinates":{"x":[{"numeric":["<",-122.41600944012424]}]}}}"#,
    r#"{"geometry":{"coordinates":{"x":[{"numeric":[">",-122.41600944012424]}]}}}"#,
    r#"{"geometry":{"coordinates":{"x":[{"numeric":[">",-122.46471267081272,"<",-122.4063085128395]}]}}}"#,
];

/// Array consistency proper: x and y of the *same* point. event-ruler's COMPLEX_ARRAYS rules
/// name one point field each, which any engine can answer without tracking array positions;
/// these make the engine prove both values come from one `{x, y, z}` object.
const ARRAY_CONSISTENCY: &[&str] = &[
    r#"{"geometry":{"coordinates":{"x":[{"numeric":["<",-122.45]}],"y":[{"numeric":[">",37.78]}]}}}"#,
    r#"{"geometry":{"coordinates":{"x":[{"numeric":[">",-122.40]}],"y":[{"numeric":["<",37.72]}]}}}"#,
    r#"{"geometry":{"coordinates":{"x":[{"numeric":[">",-122.43,"<",-122.42]}],"y":[{"numeric":[">",37.75,"<",37.76]}]}}}"#,
    r#"{"geometry":{"type":["Polygon"],"coordinates":{"x":[{"numeric":["=",-122.42916360922355]}],"z":[0]}}}"#,
    r#"{"geometry":{"type":["MultiPolygon"],"coordinates":{"x":[{"numeric":["<",-122.41]}],"y":[{"numeric":["=",37.729900216217324]}]}}}"#,
];

const ANYTHING_BUT: &[&str] = &[
    r#"{"properties":{"STREET":[{"anything-but":["FULTON"]}]}}"#,
    r#"{"properties":{"STREET":[{"anything-but":["MASON"]}]}}"#,
    r#"{"properties":{"ST_TYPE":[{"anything-but":["ST"]}]}}"#,
    r#"{"geometry":{"type":[{"anything-but":["Polygon"]}]}}"#,
    r#"{"properties":{"FROM_ST":[{"anything-but":["441"]}]}}"#,
];

const ANYTHING_BUT_IGNORE_CASE: &[&str] = &[
    r#"{"properties":{"STREET":[{"anything-but":{"equals-ignore-case":["Fulton"]}}]}}"#,
    r#"{"properties":{"STREET":[{"anything-but":{"equals-ignore-case":["Mason"]}}]}}"#,
    r#"{"properties":{"ST_TYPE":[{"anything-but":{"equals-ignore-case":["st"]}}]}}"#,
    r#"{"geometry":{"type":[{"anything-but":{"equals-ignore-case":["polygon"]}}]}}"#,
    r#"{"properties":{"FROM_ST":[{"anything-but":{"equals-ignore-case":["441"]}}]}}"#,
];

const ANYTHING_BUT_PREFIX: &[&str] = &[
    r#"{"properties":{"STREET":[{"anything-but":{"prefix":"FULTO"}}]}}"#,
    r#"{"properties":{"STREET":[{"anything-but":{"prefix":"MASO"}}]}}"#,
    r#"{"properties":{"ST_TYPE":[{"anything-but":{"prefix":"S"}}]}}"#,
    r#"{"geometry":{"type":[{"anything-but":{"prefix":"Poly"}}]}}"#,
    r#"{"properties":{"FROM_ST":[{"anything-but":{"prefix":"44"}}]}}"#,
];

const ANYTHING_BUT_SUFFIX: &[&str] = &[
    r#"{"properties":{"STREET":[{"anything-but":{"suffix":"ULTON"}}]}}"#,
    r#"{"properties":{"STREET":[{"anything-but":{"suffix":"ASON"}}]}}"#,
    r#"{"properties":{"ST_TYPE":[{"anything-but":{"suffix":"T"}}]}}"#,
    r#"{"geometry":{"type":[{"anything-but":{"suffix":"olygon"}}]}}"#,
    r#"{"properties":{"FROM_ST":[{"anything-but":{"suffix":"41"}}]}}"#,
];

const ANYTHING_BUT_WILDCARD: &[&str] = &[
    r#"{"properties":{"MAPBLKLOT":[{"anything-but":{"wildcard":"143*"}}]}}"#,
    r#"{"properties":{"MAPBLKLOT":[{"anything-but":{"wildcard":"2*0*1*7"}}]}}"#,
    r#"{"properties":{"MAPBLKLOT":[{"anything-but":{"wildcard":"*218"}}]}}"#,
    r#"{"properties":{"MAPBLKLOT":[{"anything-but":{"wildcard":"3*5*2"}}]}}"#,
    r#"{"properties":{"MAPBLKLOT":[{"anything-but":{"wildcard":"VA*IL"}}]}}"#,
];

const CIDR: &[&str] = &[
    r#"{"detail":{"sourceIPAddress":[{"cidr":"10.0.0.0/8"}]}}"#,
    r#"{"detail":{"sourceIPAddress":[{"cidr":"172.16.0.0/12"}]}}"#,
    r#"{"detail":{"sourceIPAddress":[{"cidr":"192.168.1.0/24"}]}}"#,
    r#"{"detail":{"sourceIPAddress":[{"cidr":"203.0.113.0/24"}]}}"#,
    r#"{"detail":{"sourceIPAddress":[{"cidr":"2001:db8::/32"}]}}"#,
];

/// Every rule set the benchmarks run: [`categories`], then [`saasus`] on both SaaSus forms.
pub fn all() -> Vec<RuleSet> {
    let mut sets = categories();
    sets.extend(saasus(Dataset::SaasusString));
    sets.extend(saasus(Dataset::SaasusObject));
    sets
}

/// The event-ruler categories, five rules each, plus CIDR and COMBO (event-ruler's COMBO: every
/// category but the string-only ones it leaves out, all in one machine).
pub fn categories() -> Vec<RuleSet> {
    let mut sets = vec![
        set("EXACT", Dataset::CityLots, EXACT),
        set("PREFIX", Dataset::CityLots, PREFIX),
        set("SUFFIX", Dataset::CityLots, SUFFIX),
        set("EQUALS_IGNORE_CASE", Dataset::CityLots, EQUALS_IGNORE_CASE),
        set(
            "PREFIX_EQUALS_IGNORE_CASE",
            Dataset::CityLots,
            PREFIX_EQUALS_IGNORE_CASE,
        ),
        set(
            "SUFFIX_EQUALS_IGNORE_CASE",
            Dataset::CityLots,
            SUFFIX_EQUALS_IGNORE_CASE,
        ),
        set("WILDCARD", Dataset::CityLots, WILDCARD),
        set("NUMERIC", Dataset::CityLots2, NUMERIC),
        set("ANYTHING_BUT", Dataset::CityLots, ANYTHING_BUT),
        set(
            "ANYTHING_BUT_IGNORE_CASE",
            Dataset::CityLots,
            ANYTHING_BUT_IGNORE_CASE,
        ),
        set(
            "ANYTHING_BUT_PREFIX",
            Dataset::CityLots,
            ANYTHING_BUT_PREFIX,
        ),
        set(
            "ANYTHING_BUT_SUFFIX",
            Dataset::CityLots,
            ANYTHING_BUT_SUFFIX,
        ),
        set(
            "ANYTHING_BUT_WILDCARD",
            Dataset::CityLots,
            ANYTHING_BUT_WILDCARD,
        ),
        set("CIDR", Dataset::CloudTrail, CIDR),
        set("COMPLEX_ARRAYS", Dataset::CityLots2, COMPLEX_ARRAYS),
        set("ARRAY_CONSISTENCY", Dataset::CityLots2, ARRAY_CONSISTENCY),
    ];
    let combo: Vec<&str> = [
        NUMERIC,
        EXACT,
        PREFIX,
        ANYTHING_BUT,
        ANYTHING_BUT_IGNORE_CASE,
        ANYTHING_BUT_PREFIX,
        ANYTHING_BUT_SUFFIX,
        ANYTHING_BUT_WILDCARD,
        COMPLEX_ARRAYS,
    ]
    .concat();
    sets.push(set("COMBO", Dataset::CityLots2, &combo));
    // The categories the quamina crate accepts, together: a combination both peers can run.
    let common: Vec<&str> = [
        EXACT,
        PREFIX,
        SUFFIX,
        EQUALS_IGNORE_CASE,
        WILDCARD,
        NUMERIC,
        ANYTHING_BUT,
        COMPLEX_ARRAYS,
    ]
    .concat();
    sets.push(set("COMBO_COMMON", Dataset::CityLots2, &common));
    sets
}

fn source_of(index: usize) -> String {
    format!("aws.partner/saasus.io/{}/event", SAASUS_SOURCES[index].0)
}

/// The SaaSus rule sets for one form of the events: by `detail.event_type`, by source prefix,
/// by a uri wildcard, and a realistic mix of 20 subscriptions.
///
/// The string form can only be reached inside `detail.event` with a wildcard on the whole
/// encoded string (EventBridge does not parse strings); the object form gets the same intent
/// written on the nested fields.
pub fn saasus(dataset: Dataset) -> Vec<RuleSet> {
    let string_form = dataset == Dataset::SaasusString;
    let event_type = set(
        "SAASUS_EVENT_TYPE",
        dataset,
        &[
            r#"{"detail":{"event_type":["create_tenant"]}}"#,
            r#"{"detail":{"event_type":["create_saas_user"]}}"#,
            r#"{"detail":{"event_type":["delete_saas_user"]}}"#,
            r#"{"detail":{"event_type":["update_tenant_plan"]}}"#,
            r#"{"detail":{"event_type":["create_tenant_user","delete_tenant_user"]}}"#,
        ],
    );
    let mut by_source: Vec<String> = (0..4)
        .map(|i| {
            format!(
                r#"{{"source":[{{"prefix":"aws.partner/saasus.io/{}"}}]}}"#,
                SAASUS_SOURCES[i].0
            )
        })
        .collect();
    by_source.push(r#"{"source":[{"prefix":"aws.partner/saasus.io"}]}"#.to_owned());
    let source_prefix = RuleSet {
        name: "SAASUS_SOURCE_PREFIX",
        dataset,
        rules: by_source,
    };

    // Uri wildcards: on the encoded string the uri sits between `"uri":"` and the next `"`.
    let uri_globs = [
        "/v1/auth/tenants/*/users",
        "/v1/auth/tenants/*/users/*",
        "/v1/auth/users/*/password*",
        "/v1/pricing/plans*",
        "/v1/billing/*",
    ];
    let uri_rules: Vec<String> = uri_globs
        .iter()
        .map(|glob| {
            if string_form {
                let wildcard = format!(r#"*"uri":"{glob}"*"#).replace("**", "*");
                format!(
                    r#"{{"detail":{{"event":[{{"wildcard":{}}}]}}}}"#,
                    serde_json::to_string(&wildcard).unwrap_or_default()
                )
            } else {
                format!(r#"{{"detail":{{"event":{{"uri":[{{"wildcard":"{glob}"}}]}}}}}}"#)
            }
        })
        .collect();
    let uri = RuleSet {
        name: "SAASUS_URI_WILDCARD",
        dataset,
        rules: uri_rules,
    };

    vec![event_type, source_prefix, uri, RuleSet::mixed(dataset)]
}

impl RuleSet {
    /// Twenty subscriptions of the kinds SaaSus customers write, using only operators both
    /// evpattern and the quamina crate support so that the peers can be compared on it.
    fn mixed(dataset: Dataset) -> RuleSet {
        let string_form = dataset == Dataset::SaasusString;
        // Conditions inside `detail.event`: a wildcard over the encoded string, or a field.
        let inner = |field: &str, exact: Option<&str>, glob: &str| -> String {
            if string_form {
                let value = exact.map_or_else(|| glob.to_owned(), |v| v.to_owned());
                let wildcard = format!(r#"*"{field}":"{value}"*"#).replace("**", "*");
                format!(
                    r#""event":[{{"wildcard":{}}}]"#,
                    serde_json::to_string(&wildcard).unwrap_or_default()
                )
            } else {
                match exact {
                    Some(v) => format!(r#""event":{{"{field}":["{v}"]}}"#),
                    None => format!(r#""event":{{"{field}":[{{"wildcard":"{glob}"}}]}}"#),
                }
            }
        };
        let rules = vec![
            r#"{"source":[{"prefix":"aws.partner/saasus.io"}]}"#.to_owned(),
            r#"{"detail-type":["api_call"],"detail":{"event_type":["create_tenant"]}}"#.to_owned(),
            r#"{"detail":{"event_type":["create_saas_user","delete_saas_user"]}}"#.to_owned(),
            r#"{"detail":{"event_type":[{"prefix":"update_"}]}}"#.to_owned(),
            r#"{"detail":{"event_type":[{"suffix":"_tenant"}]}}"#.to_owned(),
            r#"{"detail":{"event_type":[{"anything-but":["sign_in","create_secret_code","update_device_status"]}]}}"#.to_owned(),
            r#"{"detail-type":["api_call"],"detail":{"trace_id":[{"exists":true}]}}"#.to_owned(),
            format!(r#"{{"detail":{{{}}}}}"#, inner("http_status", None, "4*")),
            format!(r#"{{"detail":{{{}}}}}"#, inner("request_method", Some("DELETE"), "")),
            format!(
                r#"{{"detail":{{{}}}}}"#,
                inner("uri", None, "/v1/auth/tenants/*/users*")
            ),
            r#"{"region":["ap-northeast-1"],"account":["899411123005"]}"#.to_owned(),
            format!(r#"{{"source":["{}"]}}"#, source_of(1)),
            format!(
                r#"{{"source":["{}"],"detail":{{"event_type":[{{"prefix":"create_"}}]}}}}"#,
                source_of(2)
            ),
            r#"{"detail":{"event_type":[{"equals-ignore-case":"CREATE_TENANT"}]}}"#.to_owned(),
            r#"{"time":[{"prefix":"2026-05"}],"detail-type":["api_call"]}"#.to_owned(),
            r#"{"account":[{"anything-but":["999999999999","123456789012"]}]}"#.to_owned(),
            r#"{"detail":{"event_type":[{"wildcard":"*pricing_plan*"}]}}"#.to_owned(),
            r#"{"detail-type":[{"anything-but":["api_call"]}]}"#.to_owned(),
            format!(
                r#"{{"detail":{{{}}}}}"#,
                inner("saas_id", Some(SAASUS_SAAS_IDS[3]), "")
            ),
            r#"{"resources":[{"exists":false}],"detail":{"event_type":[{"prefix":"delete_"}]}}"#
                .to_owned(),
        ];
        RuleSet {
            name: "SAASUS_MIXED_20",
            dataset,
            rules,
        }
    }
}

/// Rule kinds the scaling benchmark grows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScaleKind {
    /// `{"properties":{"MAPBLKLOT":["2607117"]}}` and the like, over several used fields.
    Exact,
    /// `{"prefix": ...}` on used fields.
    Prefix,
    /// One-star `{"wildcard": "26*17"}` on used fields.
    Wildcard,
}

impl ScaleKind {
    /// Lower-case name for benchmark ids.
    pub fn name(self) -> &'static str {
        match self {
            ScaleKind::Exact => "exact",
            ScaleKind::Prefix => "prefix",
            ScaleKind::Wildcard => "wildcard",
        }
    }
}

/// How many rules of a scaling set take their values from the events' own distribution; the
/// rest use values no generated event carries. The match rate per event then stays the same
/// from 10 rules to 100,000, and the benchmark measures what the size of the rule base costs,
/// not the cost of reporting ever more matches.
pub const SCALING_LIVE_RULES: usize = 10;

/// `count` rules of one kind on fields the city-lot events carry (MAPBLKLOT, BLKLOT,
/// BLOCK_NUM, FROM_ST in turn), with values of the events' own shape: the first
/// [`SCALING_LIVE_RULES`] take their value from one of `events` (so each matches at least that
/// event), the others lie just outside the events' ranges (blocks above 7600, street numbers
/// above 9999) so they never match. A larger set starts with the rules of every smaller one.
pub fn scaling_rules(kind: ScaleKind, count: usize, seed: u64, events: &[String]) -> Vec<String> {
    let mut rng = SplitMix64::new(seed);
    (0..count)
        .map(|i| {
            // Spread the rules over four used fields, as real rule bases spread over a schema.
            let field = ["MAPBLKLOT", "BLKLOT", "BLOCK_NUM", "FROM_ST"][i % 4];
            let block = format!("{:04}", rng.between(7601, 9999));
            let lot = format!("{:03}", rng.between(1, 150));
            let dead = match field {
                "BLOCK_NUM" => block,
                "FROM_ST" => rng.between(10_000, 999_999).to_string(),
                _ => format!("{block}{lot}"),
            };
            let sample = (i < SCALING_LIVE_RULES)
                .then(|| events.get(i * 37 % events.len().max(1)))
                .flatten()
                .and_then(|event| serde_json::from_str::<serde_json::Value>(event).ok())
                .and_then(|event| event["properties"][field].as_str().map(str::to_owned));
            let value = sample.unwrap_or(dead);
            // Keep at least the part that decides (block or a 5-digit number) in the operand,
            // so a dead rule cannot match by a short prefix or suffix.
            let keep = if field == "FROM_ST" {
                value.len().min(5)
            } else {
                value.len().min(4)
            };
            let operand = match kind {
                ScaleKind::Exact => format!("\"{value}\""),
                ScaleKind::Prefix => {
                    let len = rng.between(keep.min(value.len()), value.len());
                    format!(r#"{{"prefix":"{}"}}"#, &value[..len])
                }
                ScaleKind::Wildcard => {
                    let head = rng.between(keep.min(value.len()).max(1), value.len());
                    if head >= value.len() {
                        format!(r#"{{"wildcard":"{value}*"}}"#)
                    } else {
                        let tail = rng.between(1, value.len() - head);
                        format!(
                            r#"{{"wildcard":"{}*{}"}}"#,
                            &value[..head],
                            &value[value.len() - tail..]
                        )
                    }
                }
            };
            props(field, &operand)
        })
        .collect()
}
