//! The pipeline's stages, in the order a run enters them: [`load`] → [`period`] → ([`context`])
//! → [`forecast`] → [`classify`] (with [`tenures`]) → [`compute`] → [`evaluate`] →
//! [`reconcile`]. A stage imports the domain, the model and the stages it builds on; the
//! forecast runs early because it reads the ARR table, which classify drops, and scores its
//! scenarios with classify's and compute's functions.

pub(crate) mod classify;
pub(crate) mod compute;
pub(crate) mod context;
pub(crate) mod evaluate;
pub(crate) mod fingerprint;
pub(crate) mod forecast;
pub(crate) mod load;
pub(crate) mod missing_rates;
pub(crate) mod period;
pub(crate) mod plan;
pub(crate) mod reconcile;
pub(crate) mod tenures;
