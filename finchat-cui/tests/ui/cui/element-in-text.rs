use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form>
            <text>"金额" <input key="amount"/></text>
        </form>
    };
}
