//! Every mistake in `#[derive(CuiCommands)]` is a compile error on the offending token: one file per
//! mistake in `tests/ui/commands/`, its expected message beside it.

#[test]
fn command_derive_mistakes_are_compile_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/commands/*.rs");
}
