use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form status="done">
            <text>"已处理"</text>
        </form>
    };
}
