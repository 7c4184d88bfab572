//! Segments, ARR bands and tiers (SPEC §5): the CRM's spellings, and the ordered segment rules of
//! the targets turned into one Polars expression.

use std::fmt;

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::columns as c;

/// The four segments of the framework, in ascending order of size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub(crate) enum Segment {
    #[serde(rename = "SMB")]
    Smb,
    #[serde(rename = "MM")]
    Mm,
    Ent,
    Strategic,
}

impl Segment {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Segment::Smb => "SMB",
            Segment::Mm => "MM",
            Segment::Ent => "Ent",
            Segment::Strategic => "Strategic",
        }
    }

    /// A segment by its canonical name ([`Segment::name`]), as the per-account table writes it.
    pub(crate) fn from_name(name: &str) -> Option<Segment> {
        [Segment::Smb, Segment::Mm, Segment::Ent, Segment::Strategic].into_iter().find(|s| s.name() == name)
    }

    /// The CRM's spelling of a segment, case-insensitively (SPEC §3.1).
    pub(crate) fn normalise(text: &str) -> Option<Segment> {
        match text.trim().to_lowercase().as_str() {
            "smb" => Some(Segment::Smb),
            "mm" | "mid-market" | "midmarket" | "mid market" => Some(Segment::Mm),
            "ent" | "enterprise" => Some(Segment::Ent),
            "strategic" | "strat" => Some(Segment::Strategic),
            _ => None,
        }
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where an account's segment came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SegmentSource {
    /// accounts.csv gave it.
    Crm,
    /// The segment rules of the targets derived it.
    Rules,
}

impl SegmentSource {
    /// As accounts.csv writes it: `crm` or `rules`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SegmentSource::Crm => "crm",
            SegmentSource::Rules => "rules",
        }
    }
}

/// The two ARR bands either side of the band threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Band {
    Under,
    Over,
}

/// How the bands are written for a threshold: `<100k` and `100k+` for 100,000.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct BandLabels {
    pub(crate) threshold: f64,
    pub(crate) under: String,
    pub(crate) over: String,
}

impl BandLabels {
    pub(crate) fn new(threshold: f64) -> BandLabels {
        let short = if threshold >= 1e6 && threshold % 1e6 == 0.0 {
            format!("{}M", threshold / 1e6)
        } else if threshold >= 1e3 && threshold % 1e3 == 0.0 {
            format!("{}k", threshold / 1e3)
        } else {
            format!("{threshold}")
        };
        BandLabels { threshold, under: format!("<{short}"), over: format!("{short}+") }
    }

    pub(crate) fn label(&self, band: Band) -> &str {
        match band {
            Band::Under => &self.under,
            Band::Over => &self.over,
        }
    }

    pub(crate) fn parse(&self, text: &str) -> Option<Band> {
        [Band::Under, Band::Over].into_iter().find(|b| self.label(*b).eq_ignore_ascii_case(text))
    }
}

/// A tier pattern from the targets: a whole segment (`Ent`) or one tier (`Ent <100k`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TierPattern {
    pub(crate) segment: Segment,
    pub(crate) band: Option<Band>,
    /// The canonical spelling, `Ent` or `Ent <100k`: exactly the tier labels the book carries,
    /// however the targets file wrote it.
    pub(crate) text: String,
}

impl TierPattern {
    pub(crate) fn parse(text: &str, bands: &BandLabels) -> Result<TierPattern, String> {
        let trimmed = text.trim();
        let (segment_text, band_text) = match trimmed.split_once(char::is_whitespace) {
            Some((s, b)) => (s, Some(b.trim())),
            None => (trimmed, None),
        };
        let segment = Segment::normalise(segment_text)
            .ok_or_else(|| format!("unknown segment '{segment_text}' (expected SMB, MM, Ent or Strategic)"))?;
        let band = match band_text {
            None => None,
            Some(b) => Some(
                bands
                    .parse(b)
                    .ok_or_else(|| format!("unknown band '{b}' (expected '{}' or '{}')", bands.under, bands.over))?,
            ),
        };
        let text = match band {
            Some(b) => format!("{} {}", segment.name(), bands.label(b)),
            None => segment.name().to_string(),
        };
        Ok(TierPattern { segment, band, text })
    }

    /// Whether an account of this segment and band matches the pattern.
    pub(crate) fn matches(&self, segment: Segment, band: Band) -> bool {
        self.segment == segment && self.band.is_none_or(|b| b == band)
    }
}

/// One segment rule: every condition given must hold (SPEC §5).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SegmentRule {
    #[serde(deserialize_with = "segment_name")]
    pub(crate) segment: Segment,
    pub(crate) ela: Option<bool>,
    pub(crate) employees_min: Option<i64>,
    pub(crate) employees_max: Option<i64>,
    pub(crate) arr_min: Option<f64>,
    pub(crate) arr_max: Option<f64>,
}

impl SegmentRule {
    pub(crate) fn is_default(&self) -> bool {
        self.ela.is_none()
            && self.employees_min.is_none()
            && self.employees_max.is_none()
            && self.arr_min.is_none()
            && self.arr_max.is_none()
    }
}

fn segment_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Segment, D::Error> {
    let text = String::deserialize(d)?;
    Segment::normalise(&text).ok_or_else(|| {
        serde::de::Error::custom(format!("unknown segment '{text}' (expected SMB, MM, Ent or Strategic)"))
    })
}

/// The segment of every account: the CRM's when given, otherwise the first matching rule.
/// Expects the columns `segment_crm`, `ela`, `employees` and `reference_arr`.
pub(crate) fn segment_expr(rules: &[SegmentRule]) -> Expr {
    let (default, conditional) = rules.split_last().expect("targets validated: rules end with a default");
    let by_rules = conditional.iter().rev().fold(lit(default.segment.name()), |otherwise, rule| {
        when(rule_condition(rule)).then(lit(rule.segment.name())).otherwise(otherwise)
    });
    when(col(c::SEGMENT_CRM).is_not_null()).then(col(c::SEGMENT_CRM)).otherwise(by_rules)
}

/// All the conditions of one rule, combined with AND; a missing employee count never matches
/// an employee bound.
fn rule_condition(rule: &SegmentRule) -> Expr {
    let mut conditions = Vec::new();
    if let Some(ela) = rule.ela {
        conditions.push(col(c::ELA).eq(lit(ela)));
    }
    if let Some(min) = rule.employees_min {
        conditions.push(col(c::EMPLOYEES).gt_eq(lit(min)));
    }
    if let Some(max) = rule.employees_max {
        conditions.push(col(c::EMPLOYEES).lt(lit(max)));
    }
    if let Some(min) = rule.arr_min {
        conditions.push(col(c::REFERENCE_ARR).gt_eq(lit(min)));
    }
    if let Some(max) = rule.arr_max {
        conditions.push(col(c::REFERENCE_ARR).lt(lit(max)));
    }
    conditions.into_iter().reduce(|a, b| a.and(b)).unwrap_or(lit(true)).fill_null(lit(false))
}

/// `<100k` or `100k+` from the reference ARR.
pub(crate) fn band_expr(bands: &BandLabels) -> Expr {
    when(col(c::REFERENCE_ARR).lt(lit(bands.threshold)))
        .then(lit(bands.under.as_str()))
        .otherwise(lit(bands.over.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_crm_spellings() {
        assert_eq!(Segment::normalise(" Mid-Market "), Some(Segment::Mm));
        assert_eq!(Segment::normalise("ENTERPRISE"), Some(Segment::Ent));
        assert_eq!(Segment::normalise("strat"), Some(Segment::Strategic));
        assert_eq!(Segment::normalise("smb"), Some(Segment::Smb));
        assert_eq!(Segment::normalise("large"), None);
    }

    #[test]
    fn band_labels_follow_the_threshold() {
        let b = BandLabels::new(100_000.0);
        assert_eq!((b.under.as_str(), b.over.as_str()), ("<100k", "100k+"));
        assert_eq!(BandLabels::new(1_000_000.0).over, "1M+");
        assert_eq!(BandLabels::new(2_500.5).under, "<2500.5");
    }

    #[test]
    fn tier_patterns_match_segment_or_tier() {
        let b = BandLabels::new(100_000.0);
        let ent = TierPattern::parse("Ent", &b).unwrap();
        assert!(ent.matches(Segment::Ent, Band::Under) && ent.matches(Segment::Ent, Band::Over));
        let mm = TierPattern::parse("MM <100k", &b).unwrap();
        assert!(mm.matches(Segment::Mm, Band::Under) && !mm.matches(Segment::Mm, Band::Over));
        // However a team's file spells it, the pattern reads like the tier labels of a book.
        assert_eq!(TierPattern::parse(" ent  100K+", &b).unwrap().text, "Ent 100k+");
        assert_eq!(TierPattern::parse("mid-market", &b).unwrap().text, "MM");
        assert!(TierPattern::parse("Large", &b).unwrap_err().contains("unknown segment"));
        assert!(TierPattern::parse("MM 50k+", &b).unwrap_err().contains("unknown band"));
    }
}
