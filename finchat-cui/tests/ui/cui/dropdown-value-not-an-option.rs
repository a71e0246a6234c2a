use finchat_cui::cui;

fn main() {
    let _ = cui! {
        <form>
            <dropdown key="dept" value="hr">
                <option value="fin">"财务部"</option>
                <option value="ops">"运营部"</option>
            </dropdown>
        </form>
    };
}
