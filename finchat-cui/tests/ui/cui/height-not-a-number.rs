use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form>
            <divider height="2" background="red;x"/>
        </form>
    };
}
