//! Every mistake in `#[derive(CuiForm)]` and `#[derive(CuiChoice)]` is a compile error on the
//! offending token: one file per mistake in `tests/ui/form/`, its expected message beside it.

#[test]
fn derive_mistakes_are_compile_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/form/*.rs");
}
