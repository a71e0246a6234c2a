use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form>
            <text>"报销申请"
        </form>
    };
}
