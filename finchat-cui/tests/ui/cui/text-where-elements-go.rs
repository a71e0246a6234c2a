use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form>
            "报销申请"
        </form>
    };
}
