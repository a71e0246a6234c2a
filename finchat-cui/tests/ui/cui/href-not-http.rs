use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form>
            <openurl href="ftp://example.org/report">"下载"</openurl>
        </form>
    };
}
