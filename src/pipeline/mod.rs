//! The pipeline's stages, in the order a run enters them: [`load`] → [`period`] → [`classify`]
//! (with [`tenures`]) → [`compute`] → [`evaluate`] → [`reconcile`]. A stage imports the domain,
//! the model and earlier stages only.

pub(crate) mod classify;
pub(crate) mod compute;
pub(crate) mod context;
pub(crate) mod evaluate;
pub(crate) mod forecast;
pub(crate) mod load;
pub(crate) mod missing_rates;
pub(crate) mod period;
pub(crate) mod reconcile;
pub(crate) mod tenures;
