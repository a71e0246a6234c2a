//! The approval bot the examples and the browser test share: it sends an expense-approval card
//! written with `cui!`, reads what an approver submits as a typed `CuiForm`, and closes the card with
//! update-cui.

pub mod approval;
