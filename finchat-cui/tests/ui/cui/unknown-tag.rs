use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form>
            <textarea key="note"/>
        </form>
    };
}
