use finchat_cui::cui;

fn main() {
    let count = 3;
    let _ = cui! {
        <form>
            <text>"列表"</text>
            {count}
        </form>
    };
}
