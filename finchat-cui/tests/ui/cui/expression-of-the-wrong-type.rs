use finchat_cui::cui;

fn main() {
    let src = "mxc://example.org/abc";
    let _ = cui! {
        <form>
            <image src={src}/>
        </form>
    };
}
