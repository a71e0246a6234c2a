use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <text>"one"</text>
        <text>"two"</text>
    };
}
