use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <textcard title="t" description="d" url="javascript:alert(1)" btntext="打开"/>
    };
}
