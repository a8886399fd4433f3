//! The geometry of SaaSus path templates: which paths a template stands for, which
//! template wins where two could, and which other operations a template's wildcard would
//! wrongly reach (a `*` also matches `/`).

use super::{Operation, OPERATIONS};
use crate::dsl::operand::escape_wildcard;

/// Whether a path of `template` belongs to another operation of that method (any method when
/// `None`) whose template has a literal where `template` has a parameter: literal segments
/// win, so `/v1/pricing/plans/used` is not a `/v1/pricing/plans/{plan_id}`.
pub(super) fn routes_elsewhere(uri: &str, template: &str, method: Option<&str>) -> bool {
    OPERATIONS.iter().any(|o| {
        o.sends_events()
            && method.is_none_or(|m| m == o.method)
            && o.path != template
            && beats(o.path, template)
            && instance_of(uri, o.path)
    })
}

/// Whether `uri` is an instance of `template`: same segments, `{...}` standing for any one
/// non-empty segment.
pub(super) fn instance_of(uri: &str, template: &str) -> bool {
    let actual: Vec<&str> = uri.split('/').collect();
    let wanted: Vec<&str> = template.split('/').collect();
    actual.len() == wanted.len()
        && actual
            .iter()
            .zip(&wanted)
            .all(|(a, w)| a == w || (is_param(w) && !a.is_empty()))
}

/// Whether a template segment is a parameter, `{name}`.
pub(super) fn is_param(segment: &str) -> bool {
    segment.len() >= 2 && segment.starts_with('{') && segment.ends_with('}')
}

/// Whether template `a` is more specific than `b` for the paths both fit: at the first
/// segment where one is literal and the other a parameter, `a` is the literal.
pub(super) fn beats(a: &str, b: &str) -> bool {
    a.split('/')
        .zip(b.split('/'))
        .find(|(x, y)| is_param(x) != is_param(y))
        .is_some_and(|(x, _)| !is_param(x))
}

/// The wildcard source matching the paths of `template`: literal segments escaped, each
/// `{param}` a `*`.
pub(super) fn template_wildcard(template: &str) -> String {
    template
        .split('/')
        .map(|s| {
            if is_param(s) {
                "*".to_owned()
            } else {
                escape_wildcard(s)
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Wildcards for the paths the wildcard of `path` (of catalogue `template`) would also match
/// but which belong to other operations (see [`confusable`]), deduplicated.
pub(super) fn exclusions(path: &str, template: &str, method: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for confusion in confusable(path, template, method) {
        if let Some(excluded) = confusion.exclusion {
            if !out.contains(&excluded) {
                out.push(excluded);
            }
        }
    }
    out
}

/// Another operation whose calls a template's wildcard could match.
pub(super) struct Confusion {
    pub(super) operation: &'static Operation,
    /// The wildcard excluding it; `None` when the confusion needs one of its parameters to
    /// spell a literal segment of the template (an env id `invitations`), which is not
    /// excluded, only warned about: the exclusion would cost more wildcard complexity than
    /// EventBridge allows, for calls that do not occur in practice.
    pub(super) exclusion: Option<String>,
}

/// The operations the wildcard of `path` (catalogue `template`, or the same with some
/// parameters filled in) would also match: same-depth paths with a literal where the
/// template has a parameter (the literal wins: `/plans/used` is not `/plans/{plan_id}`), and
/// deeper paths, which a `*` reaches because it also matches `/`. Sub-resources of a path
/// ending in a parameter are all excluded by one wildcard, `<path>/*`. With a method, only
/// that method's operations can be confused; reads never send events.
pub(super) fn confusable(path: &str, template: &str, method: Option<&str>) -> Vec<Confusion> {
    let wildcard = template_wildcard(path);
    let template_wildcard_text = template_wildcard(template);
    let depth = template.split('/').count();
    let ends_with_param = path.rsplit('/').next().is_some_and(is_param);
    let mut out = Vec::new();
    for op in OPERATIONS {
        if !op.sends_events() || method.is_some_and(|m| m != op.method) || op.path == template {
            continue;
        }
        let other = template_wildcard(op.path);
        let other_depth = op.path.split('/').count();
        let exclusion = if other_depth == depth {
            let sibling = template_compatible(template, op.path)
                && beats(op.path, template)
                && template_compatible(path, op.path);
            if !sibling {
                continue;
            }
            Some(other)
        } else if other_depth > depth && wildcards_intersect(&template_wildcard_text, &other, false)
        {
            // A sub-resource: the same segments (as far as the template goes), then more.
            Some(
                if ends_with_param && template_compatible(template, op.path) {
                    format!("{wildcard}/*")
                } else {
                    other
                },
            )
        } else if other_depth > depth && wildcards_intersect(&template_wildcard_text, &other, true)
        {
            None
        } else {
            continue;
        };
        out.push(Confusion {
            operation: op,
            exclusion,
        });
    }
    out
}

/// Whether two same-depth templates share a path: every segment pair equal or one a parameter.
fn template_compatible(a: &str, b: &str) -> bool {
    a.split('/')
        .zip(b.split('/'))
        .all(|(x, y)| x == y || is_param(x) || is_param(y))
}

/// Whether wildcard `a` matches some path of template wildcard `b`, whose stars stand for one
/// path segment each (no `/`) and, unless `params_may_spell_literals`, only for text that `a`
/// matches with a star too. Both come from templates, which hold no `*` or `\` of their own.
fn wildcards_intersect(a: &str, b: &str, params_may_spell_literals: bool) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // reachable[i][j]: the first i of a and first j of b can be matched against one string.
    let mut reachable = vec![vec![false; b.len() + 1]; a.len() + 1];
    reachable[0][0] = true;
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            if !reachable[i][j] {
                continue;
            }
            let a_star = a.get(i) == Some(&'*');
            let b_star = b.get(j) == Some(&'*');
            if a_star {
                // The star matches nothing more, or also eats b's next character.
                reachable[i + 1][j] = true;
                if j < b.len() {
                    reachable[i][j + 1] = true;
                }
            }
            if b_star {
                reachable[i][j + 1] = true;
                if i < a.len() && a[i] != '/' && (params_may_spell_literals || a[i] == '*') {
                    reachable[i + 1][j] = true;
                }
            }
            if !a_star && !b_star && i < a.len() && j < b.len() && a[i] == b[j] {
                reachable[i + 1][j + 1] = true;
            }
        }
    }
    reachable[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_segments_beat_parameters() {
        assert!(beats(
            "/v1/auth/tenants/all/users",
            "/v1/auth/tenants/{tenant_id}/users"
        ));
        assert!(!beats(
            "/v1/auth/tenants/{tenant_id}/users",
            "/v1/auth/tenants/all/users"
        ));
        assert!(!beats("/a/{x}/y", "/a/x/{y}"));
    }

    #[test]
    fn wildcard_intersection() {
        let meet = |a, b| wildcards_intersect(a, b, false);
        let meet_if_params_spell_literals = |a, b| wildcards_intersect(a, b, true);
        assert!(meet("/a/*", "/a/*/b/*"));
        assert!(!meet("/a/*/c", "/a/*/b/*/d"));
        assert!(meet("/a/*/d/*", "/a/*/b/*/d/*"));
        assert!(meet("/a/*/users", "/a/all/users"));
        assert!(!meet("/a/*/users", "/a/*/roles"));
        assert!(!meet("/a/x", "/a/y"));
        // /a/P/b/c/d/R is in both, but only with the second's parameter spelling `c`.
        assert!(!meet("/a/*/c/*", "/a/*/b/*/d/*"));
        assert!(meet_if_params_spell_literals("/a/*/c/*", "/a/*/b/*/d/*"));
        assert!(!meet_if_params_spell_literals("/a/*/c", "/a/*/b/*/d"));
    }

    #[test]
    fn exclusions_keep_literal_siblings_and_deeper_paths_out() {
        assert_eq!(
            exclusions(
                "/v1/pricing/plans/{plan_id}",
                "/v1/pricing/plans/{plan_id}",
                Some("PATCH")
            ),
            vec!["/v1/pricing/plans/used"]
        );
        assert_eq!(
            exclusions(
                "/v1/auth/tenants/{tenant_id}",
                "/v1/auth/tenants/{tenant_id}",
                Some("DELETE")
            ),
            vec!["/v1/auth/tenants/*/*"]
        );
        assert_eq!(
            exclusions(
                "/v1/auth/tenants/{tenant_id}/users/{user_id}",
                "/v1/auth/tenants/{tenant_id}/users/{user_id}",
                None
            ),
            vec![
                "/v1/auth/tenants/all/users/count",
                "/v1/auth/tenants/*/users/*/*"
            ]
        );
        assert!(exclusions(
            "/v1/auth/tenants/{tenant_id}/users",
            "/v1/auth/tenants/{tenant_id}/users",
            Some("POST")
        )
        .is_empty());
        assert!(instance_of(
            "/v1/auth/tenants/t1/users",
            "/v1/auth/tenants/{tenant_id}/users"
        ));
        assert!(!instance_of(
            "/v1/auth/tenants/t1/x/users",
            "/v1/auth/tenants/{tenant_id}/users"
        ));
    }
}
