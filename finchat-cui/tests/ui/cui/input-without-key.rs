use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form>
            <input placeholder="金额"/>
        </form>
    };
}
