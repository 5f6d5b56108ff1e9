//! Checks every kind of document shares, so a problem reads the same
//! whichever front end wrote the value.

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::doc::EstimateDoc;
use crate::origin::Origin;

/// Beyond this many candidate ids, no "did you mean" is computed.
const SUGGESTION_CANDIDATE_LIMIT: usize = 5_000;

/// Once a plan has this many problems, unknown references get no "did you
/// mean": each suggestion compares the key with every candidate, and a
/// hostile plan of a million bad references would take hours.
pub const SUGGESTION_PROBLEM_LIMIT: usize = 100;

/// "unknown team `paymnets`" with the closest known id as a suggestion.
pub fn unknown_reference<'a>(
    kind: &str,
    section: &str,
    key: &str,
    origin: Origin,
    known: impl IntoIterator<Item = &'a str> + Clone,
    problems_so_far: usize,
) -> Diagnostic {
    // Fuzzy matching costs a string comparison per candidate; on huge plans
    // with many bad references that would take minutes, so skip it there.
    let suggestion = if problems_so_far < SUGGESTION_PROBLEM_LIMIT
        && known.clone().into_iter().nth(SUGGESTION_CANDIDATE_LIMIT).is_none()
    {
        did_you_mean(key, known.clone())
    } else {
        None
    };
    let help = match suggestion {
        Some(s) => format!("did you mean `{s}`?"),
        None => {
            let mut all: Vec<&str> = known.into_iter().take(9).collect();
            all.sort_unstable();
            if all.is_empty() {
                format!("no {kind} is defined yet; add one under `{section}:`")
            } else if all.len() <= 8 {
                let kinds: Vec<String> = kind.split(" or ").map(|k| format!("{k}s")).collect();
                format!("known {}: {}", kinds.join(" or "), all.join(", "))
            } else {
                format!("define `{key}` under `{section}:` or fix the spelling")
            }
        }
    };
    Diagnostic::error(Code::UnknownReference, origin, format!("unknown {kind} `{key}`"))
        .with_label(format!("no {kind} has this id"))
        .with_help(help)
}

/// The most working days a plan may state for one duration, lag or amount
/// of remaining work: forty years. Beyond it the number is a typo, and
/// scheduling it would take the calendar out for millennia.
pub const MAX_DAYS: f64 = 10_000.0;

/// A duration or lag longer than [`MAX_DAYS`], or `None`.
pub fn check_days(days: f64, origin: Origin, what: &str) -> Option<Diagnostic> {
    (!days.is_finite() || days.abs() > MAX_DAYS).then(|| {
        Diagnostic::error(Code::OutOfRange, origin, format!("{what} of {days} working days is implausible"))
            .with_label(format!("more than {MAX_DAYS} working days (forty years)"))
            .with_help("durations and lags are in working days; check for a typo or a unit mix-up")
    })
}

/// Estimates must be finite, non-negative, in order (optimistic ≤ likely ≤
/// pessimistic) and plausible.
pub fn check_estimate(estimate: &EstimateDoc, origin: Origin, what: &str) -> Option<Diagnostic> {
    let EstimateDoc { optimistic, likely, pessimistic } = *estimate;
    if [optimistic, likely, pessimistic].iter().any(|d| !d.is_finite()) {
        return Some(
            Diagnostic::error(Code::WrongType, origin, format!("{what} is not a finite number of working days"))
                .with_label("not a number of days")
                .with_help("write the working days as plain numbers, e.g. `[3, 5, 10]`"),
        );
    }
    if let Some(diagnostic) = [optimistic, likely, pessimistic].into_iter().find_map(|d| check_days(d, origin, what)) {
        return Some(diagnostic);
    }
    if optimistic < 0.0 || likely < 0.0 || pessimistic < 0.0 {
        return Some(
            Diagnostic::error(Code::ImpossibleEstimate, origin, format!("{what} is negative"))
                .with_label("working days cannot be negative")
                .with_help("use 0 for work that takes no time"),
        );
    }
    if !(optimistic <= likely && likely <= pessimistic) {
        let fix = {
            let mut sorted = [optimistic, likely, pessimistic];
            sorted.sort_by(f64::total_cmp);
            format!("[{}, {}, {}]", sorted[0], sorted[1], sorted[2])
        };
        let which = if optimistic > likely {
            format!("optimistic ({optimistic}) is more than likely ({likely})")
        } else {
            format!("likely ({likely}) is more than pessimistic ({pessimistic})")
        };
        return Some(
            Diagnostic::error(Code::ImpossibleEstimate, origin, format!("impossible {what}: {which}"))
                .with_label("points out of order")
                .with_help(format!("order the points optimistic ≤ likely ≤ pessimistic, e.g. `{fix}`")),
        );
    }
    None
}

/// One diagnostic per dependency cycle among the items, pointing at the link
/// that closes the loop and listing the others. `link_origin` says where
/// the link from `predecessor` to `successor` was written.
pub(crate) fn cycle_diagnostics(
    keys: &[&str],
    cycles: &[linchpin_graph::Cycle],
    link_origin: impl Fn(usize, usize) -> Option<Origin>,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for cycle in cycles {
        let ids: Vec<usize> = cycle.nodes.iter().map(|&v| v as usize).collect();
        let mut path: Vec<String> = ids.iter().map(|&i| format!("`{}`", keys[i])).collect();
        path.push(format!("`{}`", keys[ids[0]]));
        // Link i: ids[i+1] waits on ids[i]; the closing link: ids[0] waits on the last.
        let links: Vec<(usize, usize)> = (0..ids.len()).map(|i| (ids[i], ids[(i + 1) % ids.len()])).collect();
        let closing = links[links.len() - 1];
        let Some(primary) = link_origin(closing.0, closing.1) else {
            continue;
        };
        let mut diagnostic = Diagnostic::error(
            Code::DependencyCycle,
            primary,
            format!("dependency cycle: {} (each waits on the one before it)", path.join(" → ")),
        )
        .with_label(format!("`{}` waits on `{}`, closing the loop", keys[closing.1], keys[closing.0]))
        .with_help("no item in a loop can ever start; remove or reverse one of these dependencies")
        .with_field(format!("items[{}].depends", keys[closing.1]));
        for &(pred, succ) in &links[..links.len() - 1] {
            if let Some(origin) = link_origin(pred, succ) {
                diagnostic = diagnostic.with_related(origin, format!("`{}` waits on `{}`", keys[succ], keys[pred]));
            }
        }
        diagnostics.push(diagnostic);
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_stop_once_a_plan_has_many_problems() {
        let known = ["payments", "ledger", "a", "b", "c", "d", "e", "f", "g", "h"];
        let early = unknown_reference("team", "teams", "paymnets", Origin::Unknown, known, 0);
        assert!(early.help.as_deref().is_some_and(|h| h.contains("payments")), "{early:?}");
        let late = unknown_reference("team", "teams", "paymnets", Origin::Unknown, known, SUGGESTION_PROBLEM_LIMIT);
        assert!(!late.help.as_deref().is_some_and(|h| h.contains("payments")), "{late:?}");
        assert!(late.message.contains("paymnets"));
    }
}
