//! "Did you mean …?": the closest candidate to a misspelt word (shared with the run-time templates
//! through finchat-cui-rules).

pub use finchat_cui_rules::did_you_mean;
