use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form>
            <reply key="decision">"同意"</submit>
        </form>
    };
}
