use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form>
            <input key=""/>
        </form>
    };
}
