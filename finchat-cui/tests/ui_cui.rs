//! Every mistake `cui!` can see is a compile error on the offending token: one file per mistake in
//! `tests/ui/cui/`, with the compiler's output beside it in a `.stderr` file.

#[test]
fn cui_mistakes_are_compile_errors() {
    trybuild::TestCases::new().compile_fail("tests/ui/cui/*.rs");
}
