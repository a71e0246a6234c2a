//! `cui!` makes the cards the builders make, returns the message itself when everything is literal,
//! and checks run-time values with the builders' validator.

use finchat_cui::element::{DropdownOption, Text};
use finchat_cui::{
    Color, CuiContent, Element, FileContent, ImageContent, MessageContent, OpenType, Problems,
    Status, TextCardContent, TextContent, cui,
};

use crate::support::{approval_card, snapshot};

/// The README's approval form, written with `cui!`.
fn approval_with_macro() -> CuiContent {
    cui! {
        <form>
            <text>"报销申请 #42"</text>
            <divider height=2 background="#e5e5e5"/>
            <image src="mxc://example.org/abc123"/>
            <input key="amount" placeholder="金额" value="1200"/>
            <dropdown key="dept" placeholder="部门" value="fin">
                <option value="fin">"财务部"</option>
                <option value="ops">"运营部"</option>
            </dropdown>
            <reply key="decision">"同意"</reply>
            <reply key="decision">"驳回"</reply>
            <submit>"提交"</submit>
            <openurl href="https://example.org/claims/42">"查看详情"</openurl>
        </form>
    }
}

#[test]
fn the_macro_and_the_builders_make_the_same_approval_card() {
    let with_macro = approval_with_macro();
    let with_builders = CuiContent::new(approval_card());
    assert_eq!(with_macro, with_builders);
    assert_eq!(
        serde_json::to_value(&with_macro).unwrap(),
        serde_json::to_value(&with_builders).unwrap()
    );
    snapshot("cui_macro_approval", &with_macro);
}

#[test]
fn a_literal_card_is_the_content_itself_and_valid() {
    let card: CuiContent = approval_with_macro();
    assert_eq!(card.validate(), Ok(()));
}

#[test]
fn form_attributes_set_status_sharing_fcids_and_body() {
    let card = cui! {
        <form status="disable" shared=false body="已处理">
            <text>"报销申请 #42 已同意"</text>
        </form>
    };
    assert_eq!(card.info.status, Status::Disable);
    assert!(!card.info.shared);
    assert_eq!(card.body, "已处理");
    let approvers = vec![
        "@alice:example.org".parse().unwrap(),
        "@bob:example.org".parse().unwrap(),
    ];
    let card = cui! { <form shared=false fcids={approvers}><text>"x"</text></form> }.unwrap();
    assert_eq!(card.info.fcids.as_ref().map(Vec::len), Some(2));
    snapshot("cui_macro_exclusive", &card);
}

#[test]
fn text_interpolation_formats_with_display_and_stays_infallible() {
    let claim = 42;
    let amount = 1200.5;
    let card: CuiContent = cui! {
        <form>
            <text>"报销申请 #" {claim} "：" {amount} " 元"</text>
            <submit>"提交 #" {claim}</submit>
        </form>
    };
    assert_eq!(
        card.info.elements[0],
        Element::text("报销申请 #42：1200.5 元")
    );
    assert_eq!(
        card.to_plain_text_lines(),
        ["报销申请 #42：1200.5 元", "[ 提交 #42 ]"]
    );
}

trait PlainTextLines {
    fn to_plain_text_lines(&self) -> Vec<String>;
}

impl PlainTextLines for CuiContent {
    fn to_plain_text_lines(&self) -> Vec<String> {
        self.info
            .to_plain_text()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

#[test]
fn splices_take_elements_options_and_iterators() {
    let urgent = true;
    let lines = ["发票 3 张", "高铁票 2 张"];
    let more_options = vec![("人事部", "hr"), ("法务部", "legal")];
    let note: Option<Text> = None;
    let card = cui! {
        <form>
            {if urgent { Some(Element::text("加急")) } else { None }}
            {lines.iter().map(|line| Element::text(*line))}
            {note}
            <dropdown key="dept" value="hr">
                <option value="fin">"财务部"</option>
                {more_options}
                {DropdownOption::new("运营部", "ops")}
            </dropdown>
        </form>
    }
    .unwrap();
    let texts: Vec<_> = card
        .info
        .elements
        .iter()
        .filter_map(|e| match e {
            Element::Text(t) => Some(t.value.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(texts, ["加急", "发票 3 张", "高铁票 2 张"]);
    let Element::Dropdown(dept) = &card.info.elements[3] else {
        panic!()
    };
    let values: Vec<_> = dept.options.iter().map(|o| o.value.as_str()).collect();
    assert_eq!(values, ["fin", "hr", "legal", "ops"]);
}

#[test]
fn run_time_values_are_checked_by_the_validator() {
    let chosen = "hr";
    let result: Result<CuiContent, Problems> = cui! {
        <form>
            <dropdown key="dept" value={chosen}>
                <option value="fin">"财务部"</option>
            </dropdown>
        </form>
    };
    let problems = result.unwrap_err();
    assert_eq!(
        problems.iter().next().unwrap().path.to_string(),
        "info.elements[0].value"
    );
    let empty: Vec<Element> = Vec::new();
    let result = cui! { <form>{empty}</form> };
    assert_eq!(
        result.unwrap_err().to_string(),
        "info.elements: a card needs at least one element"
    );
}

#[test]
fn run_time_values_of_checked_types_go_straight_in() {
    let src = "mxc://example.org/abc".parse().unwrap();
    let href = "https://example.org".parse().unwrap();
    let line = Color::parse("#333").unwrap();
    let card = cui! {
        <form status={Status::Loading}>
            <image src={src}/>
            <divider background={line} height={3}/>
            <openurl href={href}>"打开"</openurl>
        </form>
    }
    .unwrap();
    assert_eq!(card.info.status, Status::Loading);
    assert_eq!(card.info.elements.len(), 3);
}

#[test]
fn top_level_tags_make_whole_messages() {
    let card: TextCardContent = cui! {
        <textcard title="测试卡片" description="测试卡片的内容" url="https://example.org/home" btntext="发送" opentype="inbrowser"/>
    };
    assert_eq!(
        card,
        TextCardContent::new(
            "测试卡片",
            "测试卡片的内容",
            "https://example.org/home".parse().unwrap(),
            "发送"
        )
        .opentype(OpenType::InBrowser)
    );
    let image: ImageContent = cui! {
        <image name="test.png" src="mxc://example.org/abc" mimetype="image/png" size=1234242 w=750 h=1334/>
    };
    assert_eq!(
        image,
        ImageContent::new("test.png", "mxc://example.org/abc".parse().unwrap())
            .mimetype("image/png")
            .size(1234242)
            .dimensions(750, 1334)
    );
    let file: FileContent =
        cui! { <file name="test.pdf" src="mxc://example.org/def" mimetype="" size=12/> };
    assert_eq!(
        file,
        FileContent::new("test.pdf", "mxc://example.org/def".parse().unwrap())
            .mimetype("")
            .size(12)
    );
    let text: TextContent = cui! { <text>"hello " "world"</text> };
    assert_eq!(text, TextContent::new("hello world"));
    let name = "alice";
    let greeting: Result<TextContent, Problems> = cui! { <text>"hello " {name}</text> };
    assert_eq!(greeting.unwrap().body, "hello alice");
    let empty = "";
    let nothing: Result<TextContent, Problems> = cui! { <text>{empty}</text> };
    assert!(nothing.is_err());
    for content in [
        MessageContent::from(card),
        image.into(),
        file.into(),
        text.into(),
    ] {
        assert_eq!(content.validate(), Ok(()));
    }
}
