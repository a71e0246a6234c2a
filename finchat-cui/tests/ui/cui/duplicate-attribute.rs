use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form>
            <input key="a" key="b"/>
        </form>
    };
}
