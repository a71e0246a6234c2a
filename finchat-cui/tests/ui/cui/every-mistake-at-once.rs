use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form status="pending">
            <input kye="amount"/>
            <image src="/a.png"/>
            <openurl href="mailto:a@b.c">"联系"</openurl>
            <slider key="x"/>
        </form>
    };
}
