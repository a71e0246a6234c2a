//! Run-time card templates (`finchat_cui::template`): the same grammar as `cui!`, checked by the same
//! tables and reported in the same words at the same places, making the same JSON.

mod render;
mod same_as_macro;
mod ui_cases;
