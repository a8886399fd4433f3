//! ARNs: the ones the server gives its buses and rules, and the target ARNs it routes by.

/// The account the server answers as, unless configured otherwise.
pub const DEFAULT_ACCOUNT: &str = "123456789012";

/// The ARN of event bus `bus`.
///
/// ```
/// use evpattern::server::arn::bus_arn;
/// assert_eq!(bus_arn("us-east-1", "123456789012", "default"),
///            "arn:aws:events:us-east-1:123456789012:event-bus/default");
/// ```
pub fn bus_arn(region: &str, account: &str, bus: &str) -> String {
    format!("arn:aws:events:{region}:{account}:event-bus/{bus}")
}

/// The ARN of rule `rule` on `bus`: AWS leaves the bus out for the default bus.
///
/// ```
/// use evpattern::server::arn::rule_arn;
/// assert_eq!(rule_arn("eu-west-1", "1", "default", "r"), "arn:aws:events:eu-west-1:1:rule/r");
/// assert_eq!(rule_arn("eu-west-1", "1", "b", "r"), "arn:aws:events:eu-west-1:1:rule/b/r");
/// ```
pub fn rule_arn(region: &str, account: &str, bus: &str, rule: &str) -> String {
    if bus == "default" {
        format!("arn:aws:events:{region}:{account}:rule/{rule}")
    } else {
        format!("arn:aws:events:{region}:{account}:rule/{bus}/{rule}")
    }
}

/// The bus name an `EventBusName` parameter means: a name, or a bus ARN.
///
/// ```
/// use evpattern::server::arn::bus_name;
/// assert_eq!(bus_name("arn:aws:events:us-east-1:1:event-bus/orders"), "orders");
/// assert_eq!(bus_name("orders"), "orders");
/// ```
pub fn bus_name(name_or_arn: &str) -> &str {
    match name_or_arn.strip_prefix("arn:") {
        Some(rest) => rest
            .split_once(":event-bus/")
            .map_or(name_or_arn, |(_, name)| name),
        None => name_or_arn,
    }
}

/// The log group a CloudWatch Logs ARN names: `arn:aws:logs:REGION:ACCOUNT:log-group:NAME`,
/// optionally followed by `:*`. `None` for any other ARN or an invalid group name.
///
/// ```
/// use evpattern::server::arn::log_group;
/// assert_eq!(log_group("arn:aws:logs:us-east-1:1:log-group:/aws/events/saasus:*"),
///            Some("/aws/events/saasus"));
/// assert_eq!(log_group("arn:aws:lambda:us-east-1:1:function:f"), None);
/// assert_eq!(log_group("arn:aws:logs:us-east-1:1:log-group:bad name"), None);
/// ```
pub fn log_group(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(_partition), Some("logs"), Some(_region), Some(_account)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let resource = parts.next()?;
    let name = resource.strip_prefix("log-group:")?;
    let name = name.strip_suffix(":*").unwrap_or(name);
    valid_log_group_name(name).then_some(name)
}

/// CloudWatch Logs' rule for group names: 1 to 512 of `[A-Za-z0-9._/#-]`.
fn valid_log_group_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 512
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-/#".contains(&b))
}

/// The file, under the data directory's `logs/`, that holds log group `group`: the name with
/// `/` and `#` percent-encoded, so that every group has its own file and no name can leave the
/// directory (the other allowed characters are safe in a file name, and `%` never occurs in a
/// group name, so the encoding is one-to-one).
///
/// ```
/// use evpattern::server::arn::log_file_name;
/// assert_eq!(log_file_name("/aws/events/saasus"), "%2Faws%2Fevents%2Fsaasus.jsonl");
/// assert_eq!(log_file_name(".."), "...jsonl");
/// ```
pub fn log_file_name(group: &str) -> String {
    let mut file = String::with_capacity(group.len() + 6);
    for c in group.chars() {
        match c {
            '/' => file.push_str("%2F"),
            '#' => file.push_str("%23"),
            c => file.push(c),
        }
    }
    file.push_str(".jsonl");
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_group_arns() {
        assert_eq!(
            log_group("arn:aws:logs:ap-northeast-1:899411123005:log-group:saasus"),
            Some("saasus")
        );
        assert_eq!(log_group("arn:aws:logs:r:a:log-group:"), None);
        assert_eq!(log_group("arn:aws:logs:r:a:log-stream:x"), None);
        assert_eq!(log_group("arn:aws:logs:r:a"), None);
        assert_eq!(log_group("not an arn"), None);
        assert_eq!(log_group("arn:aws:logs:r:a:log-group:a%2Fb"), None);
    }

    #[test]
    fn log_files_are_distinct_and_stay_in_the_directory() {
        let names = ["a/b", "a#b", "a_b", "a.b", "a-b", "/a", "a/"];
        let files: std::collections::HashSet<String> =
            names.iter().map(|n| log_file_name(n)).collect();
        assert_eq!(files.len(), names.len());
        assert!(files.iter().all(|f| !f.contains('/')));
        assert_eq!(log_file_name("."), "..jsonl");
    }

    #[test]
    fn bus_names_from_arns() {
        assert_eq!(
            bus_name("arn:aws:events:r:1:event-bus/aws.partner/saasus.io/x/event"),
            "aws.partner/saasus.io/x/event"
        );
        assert_eq!(
            bus_name("arn:aws:events:r:1:rule/x"),
            "arn:aws:events:r:1:rule/x"
        );
    }
}
