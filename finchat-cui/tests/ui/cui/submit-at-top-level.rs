use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <submit>"提交"</submit>
    };
}
