//! The career framework as data (SPEC §2, §3.4): `targets/targets.toml` deserialised into typed
//! structs and validated on load, so a typo in a team's copy is an error naming the file and key.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::domain::segments::{BandLabels, SegmentRule, TierPattern};
use crate::error::{InvalidInput, Problem, Problems};

/// The default framework, compiled in so the tool works from any directory.
const BUILTIN: &str = include_str!("../../targets/targets.toml");
const BUILTIN_NAME: &str = "targets/targets.toml (built in)";

/// The file name looked for when `--targets` names a folder.
pub(crate) const FILE_NAME: &str = "targets.toml";

/// The validated framework in force for a run.
#[derive(Clone, Debug)]
pub struct Targets {
    /// Where it was read from, for messages and reports.
    pub(crate) source: String,
    pub(crate) window_months: u32,
    /// The first month of the fiscal year, 1–12; 1 gives calendar quarters (SPEC §4).
    pub(crate) fiscal_year_start_month: u32,
    pub(crate) bands: BandLabels,
    pub(crate) promotion_quarters: u32,
    /// Quarter ends before those at the advisor's own level's targets (SPEC §6; 0 = none).
    pub(crate) promotion_quarters_at_level: u32,
    /// In career order: the level after a level is its next level.
    pub(crate) levels: Vec<Level>,
    /// In the order they are tried; the last has no condition.
    pub(crate) rules: Vec<SegmentRule>,
    /// How to read the framework (levels build on each other, behaviours are examples, …),
    /// shown wherever readiness is explained.
    pub(crate) general_rules: Vec<String>,
    /// The forecast's settings (SPEC §12).
    pub(crate) forecast: ForecastSettings,
    /// Which value of NDR and GRR the statuses rate (SPEC §4, "Annual average").
    pub(crate) basis: Basis,
    /// The SHA-256 of the targets file, in hex; none for the built-in framework.
    pub(crate) sha256: Option<String>,
}

/// Which value of NDR and GRR the statuses rate at a quarter end `q` (SPEC §4): the T12M value
/// at `q`, or the mean of the T12M values at `q`, `q−3`, `q−6` and `q−9`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Basis {
    #[default]
    #[serde(rename = "t12m")]
    T12m,
    #[serde(rename = "average4")]
    Average4,
}

impl Basis {
    /// How many quarter ends before `q` its rated value reads: 0 or 3.
    pub(crate) fn quarters_back(self) -> usize {
        match self {
            Basis::T12m => 0,
            Basis::Average4 => 3,
        }
    }
}

/// `[forecast]` (SPEC §12): how accounts are classed and how much history calibrates them.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ForecastSettings {
    /// The health scores that cut the classes, ascending: `[5, 7, 8]` gives `<5`, `5–7`, `7–8`
    /// and `8+`, each band including its lower bound (and `unscored`).
    pub(crate) health_bands: Vec<f64>,
    /// How many months of sample origins calibrate the classes.
    pub(crate) lookback_months: u32,
    /// A class with fewer samples uses the statistics of all samples pooled; fewer than this
    /// pooled is not enough history to forecast.
    pub(crate) min_samples: u32,
}

impl Default for ForecastSettings {
    fn default() -> ForecastSettings {
        ForecastSettings { health_bands: vec![5.0, 7.0, 8.0], lookback_months: 24, min_samples: 30 }
    }
}

/// One career level.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Level {
    pub(crate) name: String,
    pub(crate) title: String,
    pub(crate) ndr: Goal,
    pub(crate) grr: Goal,
    pub(crate) health: Goal,
    /// The book of business the level expects, in words.
    pub(crate) scope: String,
    #[serde(serialize_with = "pattern_texts")]
    pub(crate) primary_tiers: Vec<TierPattern>,
    #[serde(serialize_with = "pattern_texts")]
    pub(crate) secondary_tiers: Vec<TierPattern>,
    pub(crate) primary_min_share: f64,
    pub(crate) behaviours: Behaviours,
}

/// A target (higher is better) and the tolerance below it that still counts as near.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub(crate) struct Goal {
    pub(crate) target: f64,
    pub(crate) tolerance: f64,
}

/// The expected behaviours of a level, in the framework's four categories: a few short points
/// each.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Behaviours {
    #[serde(deserialize_with = "points")]
    pub(crate) impact: Vec<String>,
    #[serde(deserialize_with = "points")]
    pub(crate) scope: Vec<String>,
    #[serde(deserialize_with = "points")]
    pub(crate) execution: Vec<String>,
    #[serde(deserialize_with = "points")]
    pub(crate) teamwork: Vec<String>,
}

impl Behaviours {
    /// The four categories with their points, in the framework's order.
    pub(crate) fn categories(&self) -> [(&'static str, &[String]); 4] {
        [("Impact", &self.impact), ("Scope", &self.scope), ("Execution", &self.execution), ("Teamwork", &self.teamwork)]
    }
}

/// A list of points, or one text (as targets files written before lists were read).
fn points<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Points {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Points::deserialize(deserializer)? {
        Points::One(text) => vec![text],
        Points::Many(points) => points,
    })
}

impl Targets {
    /// The built-in framework, or the file at `path` (a folder means its `targets.toml`).
    pub fn load(path: Option<&Path>) -> Result<Targets, InvalidInput> {
        match path {
            None => Targets::parse(BUILTIN, BUILTIN_NAME),
            Some(path) => {
                let file = if path.is_dir() { path.join(FILE_NAME) } else { path.to_path_buf() };
                let name = file.display().to_string();
                let text = std::fs::read_to_string(&file)
                    .map_err(|e| InvalidInput::one(Problem::new(&name, format!("cannot read targets: {e}"))))?;
                let digest = sha2::Sha256::digest(text.as_bytes());
                let sha256 = digest.iter().map(|b| format!("{b:02x}")).collect();
                Ok(Targets { sha256: Some(sha256), ..Targets::parse(&text, &name)? })
            }
        }
    }

    pub(crate) fn parse(text: &str, source: &str) -> Result<Targets, InvalidInput> {
        let raw: RawTargets = toml::from_str(text)
            .map_err(|e| InvalidInput::one(Problem::new(source, e.to_string().trim_end().replace('\n', "\n  "))))?;
        raw.validate(source)
    }

    pub(crate) fn level(&self, name: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.name == name)
    }

    /// The canonical name of a level, matched case-insensitively.
    pub(crate) fn level_named(&self, name: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.name.eq_ignore_ascii_case(name.trim()))
    }

    pub(crate) fn next_level(&self, name: &str) -> Option<&Level> {
        let at = self.levels.iter().position(|l| l.name == name)?;
        self.levels.get(at + 1)
    }
}

fn calendar_year() -> i64 {
    crate::domain::calendar::CALENDAR as i64
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTargets {
    window_months: i64,
    #[serde(default = "calendar_year")]
    fiscal_year_start_month: i64,
    band_threshold: f64,
    #[serde(default)]
    general_rules: Vec<String>,
    promotion: RawPromotion,
    levels: Vec<RawLevel>,
    segment_rules: Vec<SegmentRule>,
    #[serde(default)]
    forecast: RawForecast,
    basis: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForecast {
    health_bands: Option<Vec<f64>>,
    lookback_months: Option<i64>,
    min_samples: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPromotion {
    quarters: i64,
    #[serde(default)]
    quarters_at_level: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    name: String,
    title: String,
    ndr: RawGoal,
    grr: RawGoal,
    health: RawHealth,
    scope: String,
    primary_tiers: Vec<String>,
    #[serde(default)]
    secondary_tiers: Vec<String>,
    #[serde(default = "default_min_share")]
    primary_min_share: f64,
    behaviours: Behaviours,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGoal {
    target: f64,
    #[serde(default)]
    tolerance: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHealth {
    min: f64,
    #[serde(default)]
    tolerance: f64,
}

fn default_min_share() -> f64 {
    0.5
}

fn pattern_texts<S: serde::Serializer>(patterns: &[TierPattern], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(patterns.iter().map(|p| p.text.as_str()))
}

impl RawTargets {
    fn validate(self, file: &str) -> Result<Targets, InvalidInput> {
        let mut problems = Problems::default();
        let mut bad = |key: String, message: &str, value: String| {
            problems.push(Problem::new(file, message).column(key).value(value));
        };
        if !(1..=120).contains(&self.window_months) {
            bad("window_months".into(), "must be between 1 and 120 months", self.window_months.to_string());
        }
        if !(1..=12).contains(&self.fiscal_year_start_month) {
            bad(
                "fiscal_year_start_month".into(),
                "must be a month from 1 (January: calendar quarters) to 12",
                self.fiscal_year_start_month.to_string(),
            );
        }
        if !(self.band_threshold.is_finite() && self.band_threshold > 0.0) {
            bad("band_threshold".into(), "must be a positive amount", self.band_threshold.to_string());
        }
        if !(1..=8).contains(&self.promotion.quarters) {
            bad("promotion.quarters".into(), "must be between 1 and 8 quarters", self.promotion.quarters.to_string());
        }
        if !(0..=8).contains(&self.promotion.quarters_at_level) {
            let value = self.promotion.quarters_at_level.to_string();
            bad("promotion.quarters_at_level".into(), "must be between 0 and 8 quarters", value);
        }
        let bands = BandLabels::new(self.band_threshold);
        let forecast = self.forecast.validate(&mut bad);

        if self.levels.is_empty() {
            bad("levels".into(), "at least one level is required", "none".into());
        }
        let mut levels = Vec::new();
        for (i, raw) in self.levels.into_iter().enumerate() {
            let key = |field: &str| {
                format!(
                    "levels.{}.{field}",
                    if raw.name.trim().is_empty() { format!("[{i}]") } else { raw.name.clone() }
                )
            };
            if raw.name.trim().is_empty() || raw.name.contains(char::is_whitespace) {
                bad(format!("levels[{i}].name"), "must be a non-empty name without spaces", raw.name.clone());
            }
            if levels.iter().any(|l: &Level| l.name.eq_ignore_ascii_case(&raw.name)) {
                bad(key("name"), "level defined twice", raw.name.clone());
            }
            for (field, goal) in [("ndr", &raw.ndr), ("grr", &raw.grr)] {
                if !(goal.target.is_finite() && goal.target > 0.0) {
                    bad(
                        key(&format!("{field}.target")),
                        "must be a positive fraction (1.05 = 105%)",
                        goal.target.to_string(),
                    );
                }
                if !(goal.tolerance.is_finite() && goal.tolerance >= 0.0) {
                    bad(key(&format!("{field}.tolerance")), "must not be negative", goal.tolerance.to_string());
                }
            }
            if !(0.0..=10.0).contains(&raw.health.min) {
                bad(key("health.min"), "must be between 0 and 10", raw.health.min.to_string());
            }
            if !(raw.health.tolerance.is_finite() && raw.health.tolerance >= 0.0) {
                bad(key("health.tolerance"), "must not be negative", raw.health.tolerance.to_string());
            }
            if !(raw.primary_min_share > 0.0 && raw.primary_min_share <= 1.0) {
                bad(
                    key("primary_min_share"),
                    "must be a share above 0 and at most 1",
                    raw.primary_min_share.to_string(),
                );
            }
            if raw.primary_tiers.is_empty() {
                bad(key("primary_tiers"), "at least one tier pattern is required", "[]".into());
            }
            for (category, points) in raw.behaviours.categories() {
                if points.iter().all(|p| p.trim().is_empty()) {
                    let field = format!("behaviours.{}", category.to_lowercase());
                    bad(key(&field), "must list at least one expected behaviour", "[]".into());
                }
            }
            let mut patterns = |field: &str, texts: &[String]| -> Vec<TierPattern> {
                texts
                    .iter()
                    .filter_map(|t| TierPattern::parse(t, &bands).map_err(|m| bad(key(field), &m, t.clone())).ok())
                    .collect()
            };
            let primary_tiers = patterns("primary_tiers", &raw.primary_tiers);
            let secondary_tiers = patterns("secondary_tiers", &raw.secondary_tiers);
            levels.push(Level {
                name: raw.name.trim().to_string(),
                title: raw.title,
                ndr: Goal { target: raw.ndr.target, tolerance: raw.ndr.tolerance },
                grr: Goal { target: raw.grr.target, tolerance: raw.grr.tolerance },
                health: Goal { target: raw.health.min, tolerance: raw.health.tolerance },
                scope: raw.scope,
                primary_tiers,
                secondary_tiers,
                primary_min_share: raw.primary_min_share,
                behaviours: raw.behaviours,
            });
        }

        match self.segment_rules.last() {
            None => bad(
                "segment_rules".into(),
                "at least one rule is required, the last one a default with no condition",
                "none".into(),
            ),
            Some(last) if !last.is_default() => bad(
                format!("segment_rules[{}]", self.segment_rules.len() - 1),
                "the last rule must have no condition: it is the default",
                last.segment.to_string(),
            ),
            Some(_) => {}
        }
        for (i, rule) in self.segment_rules.iter().enumerate() {
            for (field, value) in [("arr_min", rule.arr_min), ("arr_max", rule.arr_max)] {
                if value.is_some_and(|v| !v.is_finite() || v < 0.0) {
                    bad(
                        format!("segment_rules[{i}].{field}"),
                        "must be an amount of 0 or more",
                        format!("{}", value.unwrap_or_default()),
                    );
                }
            }
            for (field, value) in [("employees_min", rule.employees_min), ("employees_max", rule.employees_max)] {
                if value.is_some_and(|v| v < 0) {
                    bad(
                        format!("segment_rules[{i}].{field}"),
                        "must not be negative",
                        format!("{}", value.unwrap_or_default()),
                    );
                }
            }
        }

        let basis = match self.basis.as_deref() {
            None | Some("t12m") => Basis::T12m,
            Some("average4") => Basis::Average4,
            Some(other) => {
                bad("basis".into(), "must be \"t12m\" or \"average4\"", other.to_string());
                Basis::T12m
            }
        };
        problems.finish()?;
        Ok(Targets {
            source: file.to_string(),
            window_months: self.window_months as u32,
            fiscal_year_start_month: self.fiscal_year_start_month as u32,
            bands,
            promotion_quarters: self.promotion.quarters as u32,
            promotion_quarters_at_level: self.promotion.quarters_at_level as u32,
            levels,
            rules: self.segment_rules,
            general_rules: self.general_rules,
            forecast,
            basis,
            sha256: None,
        })
    }
}

impl RawForecast {
    /// The settings, defaults where a key is absent; each bad value reported with its key.
    fn validate(self, bad: &mut impl FnMut(String, &str, String)) -> ForecastSettings {
        let defaults = ForecastSettings::default();
        let health_bands = self.health_bands.unwrap_or(defaults.health_bands);
        let ascending = health_bands.windows(2).all(|pair| pair[0] < pair[1]);
        let on_scale = health_bands.iter().all(|cut| cut.is_finite() && *cut > 0.0 && *cut <= 10.0);
        if health_bands.is_empty() || !ascending || !on_scale {
            let shown: Vec<String> = health_bands.iter().map(f64::to_string).collect();
            bad(
                "forecast.health_bands".into(),
                "must be one or more health scores above 0 and at most 10, in ascending order",
                format!("[{}]", shown.join(", ")),
            );
        }
        let lookback_months = self.lookback_months.unwrap_or(i64::from(defaults.lookback_months));
        if !(1..=120).contains(&lookback_months) {
            bad("forecast.lookback_months".into(), "must be between 1 and 120 months", lookback_months.to_string());
        }
        let min_samples = self.min_samples.unwrap_or(i64::from(defaults.min_samples));
        if !(1..=1_000_000).contains(&min_samples) {
            bad("forecast.min_samples".into(), "must be between 1 and 1,000,000", min_samples.to_string());
        }
        ForecastSettings {
            health_bands,
            lookback_months: lookback_months.clamp(1, 120) as u32,
            min_samples: min_samples.clamp(1, 1_000_000) as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_level_fills_all_four_categories() {
        let targets = Targets::load(None).unwrap();
        assert_eq!(targets.levels.len(), 5);
        for level in &targets.levels {
            for (category, points) in level.behaviours.categories() {
                assert!(!points.is_empty(), "{} {category}", level.name);
                assert!(points.iter().all(|p| p.trim().len() > 10), "{} {category}: {points:?}", level.name);
            }
        }
        assert_eq!(targets.general_rules.len(), 4);
    }

    #[test]
    fn behaviours_may_be_one_text_but_not_empty() {
        let one = BUILTIN.replacen("impact = [\n  \"Annual NDR", "impact_list = [\n  \"Annual NDR", 1);
        assert!(Targets::parse(&one, "t.toml").is_err(), "an unknown key is refused");
        let level = |behaviours: &str| {
            let start = BUILTIN.find("[levels.behaviours]").unwrap();
            let end = BUILTIN[start..].find("\n[[levels]]").unwrap() + start;
            format!("{}[levels.behaviours]\n{behaviours}\n{}", &BUILTIN[..start], &BUILTIN[end..])
        };
        let text = level("impact = \"Grows the book.\"\nscope = \"SMB\"\nexecution = \"Plays\"\nteamwork = \"Shares\"");
        let targets = Targets::parse(&text, "t.toml").unwrap();
        assert_eq!(targets.levels[0].behaviours.impact, ["Grows the book."]);
        let empty = level("impact = []\nscope = \"SMB\"\nexecution = \"Plays\"\nteamwork = \"Shares\"");
        let error = Targets::parse(&empty, "t.toml").unwrap_err().to_string();
        assert!(
            error.contains("t.toml: levels.IC1.behaviours.impact: must list at least one expected behaviour"),
            "{error}"
        );
    }

    fn builtin() -> Targets {
        Targets::load(None).unwrap()
    }

    #[test]
    fn builtin_framework_matches_the_spec_table() {
        let t = builtin();
        let row = |name: &str| {
            let l = t.level(name).unwrap();
            (l.ndr.target, l.ndr.tolerance, l.grr.target, l.grr.tolerance, l.health.target, l.primary_min_share)
        };
        assert_eq!(row("IC1"), (1.05, 0.05, 0.85, 0.05, 7.0, 0.5));
        assert_eq!(row("IC2"), (1.05, 0.05, 0.85, 0.05, 7.0, 0.5));
        assert_eq!(row("IC3"), (1.10, 0.05, 0.95, 0.05, 7.0, 0.5));
        assert_eq!(row("IC4"), (1.10, 0.0, 0.95, 0.0, 7.0, 0.5));
        assert_eq!(row("IC5"), (1.15, 0.0, 0.98, 0.0, 7.0, 1.0));
        let tiers =
            |name: &str| t.level(name).unwrap().primary_tiers.iter().map(|p| p.text.clone()).collect::<Vec<_>>();
        assert_eq!(tiers("IC1"), ["SMB", "MM <100k"]);
        assert_eq!(tiers("IC2"), ["MM 100k+"]);
        assert_eq!(tiers("IC3"), ["Ent 100k+"]);
        assert_eq!(tiers("IC5"), ["Strategic"]);
        assert_eq!(t.window_months, 12);
        assert_eq!(t.promotion_quarters, 2);
        assert_eq!(t.bands.threshold, 100_000.0);
        assert_eq!(t.next_level("IC4").unwrap().name, "IC5");
        assert!(t.next_level("IC5").is_none());
        assert_eq!(t.rules.len(), 5);
    }

    fn invalid(edit: impl Fn(String) -> String) -> String {
        Targets::parse(&edit(BUILTIN.to_string()), "t.toml").unwrap_err().to_string()
    }

    #[test]
    fn missing_target_names_the_key() {
        let msg = invalid(|s| s.replacen("ndr = { target = 1.05, tolerance = 0.05 }", "ndr = { tolerance = 0.05 }", 1));
        assert!(msg.starts_with("t.toml: TOML parse error"), "{msg}");
        assert!(msg.contains("missing field `target`"), "{msg}");
    }

    #[test]
    fn negative_tolerance_names_the_key() {
        let msg = invalid(|s| {
            s.replacen("grr = { target = 0.95, tolerance = 0.05 }", "grr = { target = 0.95, tolerance = -0.05 }", 1)
        });
        assert_eq!(msg, "t.toml: levels.IC3.grr.tolerance: must not be negative (-0.05)");
    }

    #[test]
    fn unknown_segment_in_a_tier_pattern() {
        let msg = invalid(|s| s.replacen(r#"primary_tiers = ["Ent 100k+"]"#, r#"primary_tiers = ["Large 100k+"]"#, 1));
        assert!(msg.starts_with("t.toml: levels.IC3.primary_tiers: unknown segment 'Large'"), "{msg}");
    }

    #[test]
    fn rules_need_a_final_default() {
        let msg = invalid(|s| s.replace("[[segment_rules]]\nsegment = \"SMB\"\n", ""));
        assert_eq!(msg, "t.toml: segment_rules[3]: the last rule must have no condition: it is the default (MM)");
    }

    #[test]
    fn unknown_keys_are_errors() {
        let msg = invalid(|s| s.replacen("window_months = 12", "window_month = 12", 1));
        assert!(msg.contains("unknown field `window_month`"), "{msg}");
    }
}
