use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form>
            <image src="https://example.org/a.png"/>
        </form>
    };
}
