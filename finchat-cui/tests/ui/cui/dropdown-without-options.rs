use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form>
            <dropdown key="dept"></dropdown>
        </form>
    };
}
