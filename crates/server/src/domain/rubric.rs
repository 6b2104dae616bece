//! The limits of a rubric, one set for both kinds: a workspace's default criteria (issue 14)
//! and an interview's own rubric (issue 17), which starts as a copy of them. A rubric has 1–12
//! criteria, each named in 1–60 characters (unique, ignoring case) and described in at most 500.

use super::{FieldCheck, bounded_text};

pub const MAX_CRITERIA: usize = 12;
pub const MAX_CRITERION_NAME: usize = 60;
pub const MAX_CRITERION_DESCRIPTION: usize = 500;

/// Checks that a rubric has 1 to [`MAX_CRITERIA`] criteria, recording the problem under `field`.
pub(super) fn check_count(check: &mut FieldCheck, field: &str, count: usize) -> bool {
    let ok = (1..=MAX_CRITERIA).contains(&count);
    if !ok {
        check.fail(field, format!("must have between 1 and {MAX_CRITERIA} criteria"));
    }
    ok
}

/// Checks each criterion's name (1–[`MAX_CRITERION_NAME`] characters, not the name of an
/// earlier one, ignoring case) and description (at most [`MAX_CRITERION_DESCRIPTION`]),
/// recording problems under `{field}[i].name` and `{field}[i].description`. Gives the trimmed
/// name and description of each criterion, `None` for one with a problem.
pub(super) fn check_criteria<'a>(
    check: &mut FieldCheck,
    field: &str,
    criteria: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<Option<(String, String)>> {
    let mut names: Vec<String> = Vec::new();
    criteria
        .into_iter()
        .enumerate()
        .map(|(i, (name, description))| {
            let name_field = format!("{field}[{i}].name");
            let mut name = check.take(&name_field, bounded_text(name, 1, MAX_CRITERION_NAME, false));
            let description = check.take(
                &format!("{field}[{i}].description"),
                bounded_text(description, 0, MAX_CRITERION_DESCRIPTION, true),
            );
            if let Some(n) = &name {
                let lower = n.to_lowercase();
                if names.contains(&lower) {
                    check.fail(&name_field, "is used by another criterion");
                    name = None;
                }
                names.push(lower);
            }
            name.zip(description)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(criteria: &[(&str, &str)]) -> (Vec<bool>, Vec<String>) {
        let mut check = FieldCheck::default();
        let ok = check_criteria(&mut check, "c", criteria.iter().copied()).iter().map(Option::is_some).collect();
        let fields = check.finish().err().map(|e| e.0.into_keys().collect()).unwrap_or_default();
        (ok, fields)
    }

    #[test]
    fn counts_are_bounded() {
        for (count, ok) in [(0, false), (1, true), (MAX_CRITERIA, true), (MAX_CRITERIA + 1, false)] {
            let mut check = FieldCheck::default();
            assert_eq!(check_count(&mut check, "c", count), ok, "{count}");
            assert_eq!(check.finish().is_ok(), ok, "{count}");
        }
    }

    #[test]
    fn names_and_descriptions_are_bounded_and_names_unique() {
        let longest = "n".repeat(MAX_CRITERION_NAME);
        let described = "d".repeat(MAX_CRITERION_DESCRIPTION);
        assert_eq!(checked(&[(&longest, &described)]), (vec![true], vec![]));
        let too_long = "n".repeat(MAX_CRITERION_NAME + 1);
        let over = "d".repeat(MAX_CRITERION_DESCRIPTION + 1);
        let (ok, fields) = checked(&[("", ""), (&too_long, ""), ("A", &over), ("Ünit", ""), ("ünit", "")]);
        assert_eq!(ok, [false, false, false, true, false]);
        assert_eq!(fields, ["c[0].name", "c[1].name", "c[2].description", "c[4].name"]);
    }
}
