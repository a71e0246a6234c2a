use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form>
            <openurl>"查看详情"</openurl>
        </form>
    };
}
