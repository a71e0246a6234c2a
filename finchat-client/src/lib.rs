//! The FinChat open API client. Its API arrives with the client issue; for now this crate holds the `finchat` command-line tool.
