use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form>
            <option value="fin">"财务部"</option>
        </form>
    };
}
