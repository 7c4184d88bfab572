//! The run context: what every stage after load needs, built once from the period, the targets
//! and what the inputs were — the reporting currency and the [`Modes`] — and passed by
//! reference instead of re-threading its parts through every signature.

use crate::domain::calendar::Period;
use crate::domain::modes::{CurrencyMode, HealthMode, Modes, OwnershipMode};
use crate::domain::targets::Targets;
use crate::model::Provenance;
use crate::pipeline::load::Inputs;

/// One run's context.
pub(crate) struct Context<'a> {
    /// The evaluated quarter end and its trend points.
    pub(crate) period: Period,
    /// The career framework in force.
    pub(crate) targets: &'a Targets,
    /// The reporting currency's ISO code: every amount of the report is in it.
    pub(crate) currency: String,
    /// With or without ownership history, health history, currency conversion.
    pub(crate) modes: Modes,
}

impl<'a> Context<'a> {
    /// The context of a run over `inputs`, whose modes follow from the files it was given.
    pub(crate) fn new(period: Period, targets: &'a Targets, inputs: &Inputs) -> Context<'a> {
        let modes = Modes {
            ownership: match inputs.ownership {
                Some(_) => OwnershipMode::History,
                None => OwnershipMode::Fixed,
            },
            health: match inputs.health {
                Some(_) => HealthMode::History,
                None => HealthMode::Current,
            },
            currency: match inputs.currencies.accounts {
                Some(_) => CurrencyMode::Converted,
                None => CurrencyMode::Single,
            },
        };
        Context { period, targets, currency: inputs.currencies.reporting.clone(), modes }
    }

    /// What the report says about how the inputs were read, with `notes` from the load stage.
    pub(crate) fn provenance(&self, notes: Vec<String>) -> Provenance {
        Provenance { notes, currency: self.currency.clone(), modes: self.modes }
    }
}
