//! File names for advisor pages: ASCII `[a-z0-9-]`, unique, never a path separator or `..`, so
//! no advisor name can write outside the output folder.

use std::collections::HashSet;

/// `Priya Shah` → `priya-shah`; `(unassigned)` → `unassigned`; nothing usable → `advisor`.
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed: String = out.trim_end_matches('-').chars().take(60).collect();
    let trimmed = trimmed.trim_end_matches('-');
    if trimmed.is_empty() {
        "advisor".to_string()
    } else {
        trimmed.to_string()
    }
}

/// One unique slug per name, in order; a collision gets `-2`, `-3`, ….
pub(crate) fn assign<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken = HashSet::new();
    names
        .into_iter()
        .map(|name| {
            let base = slug(name);
            let mut candidate = base.clone();
            let mut n = 2;
            while !taken.insert(candidate.clone()) {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            candidate
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn readable_ascii_slugs() {
        assert_eq!(slug("Priya Shah"), "priya-shah");
        assert_eq!(slug("(unassigned)"), "unassigned");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("<script>alert(1)</script>"), "script-alert-1-script");
        assert_eq!(slug("José Ñúñez"), "jos-ez");
        assert_eq!(slug("..."), "advisor");
    }

    #[test]
    fn collisions_get_a_suffix() {
        assert_eq!(assign(["A B", "a-b", "A  B", "advisor", "!!"]), ["a-b", "a-b-2", "a-b-3", "advisor", "advisor-2"]);
    }

    proptest! {
        #[test]
        fn slugs_are_safe_file_names(names in prop::collection::vec("\\PC{0,30}", 1..20)) {
            let slugs = assign(names.iter().map(String::as_str));
            let unique: HashSet<&String> = slugs.iter().collect();
            prop_assert_eq!(unique.len(), slugs.len());
            for s in &slugs {
                prop_assert!(!s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
                prop_assert!(!s.starts_with('-') && !s.contains(".."));
            }
        }
    }
}
