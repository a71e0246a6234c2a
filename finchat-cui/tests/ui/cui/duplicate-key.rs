use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form>
            <input key="amount"/>
            <dropdown key="amount"><option value="a">"A"</option></dropdown>
        </form>
    };
}
