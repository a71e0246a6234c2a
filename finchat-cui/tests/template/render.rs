//! Rendering templates with data: `{paths}`, `<for>`, `<if>`, what counts as true, and the errors a
//! user sees, each at its place. Round trips are snapshots of the JSON a template makes.

use finchat_cui::template::{LoadError, RenderError, Template};
use serde::Serialize;
use serde_json::json;

const APPROVAL: &str = r#"// An approval card.
<form status="input" body={title}>
    <text>{title}</text>
    <if test={claim.urgent}><text>"加急"</text></if>
    <text>"申请人：" {claim.applicant} " · 金额 ¥" {claim.amount}</text>
    <for each={claim.items} as="item">
        <text>"· " {item.what} "：¥" {item.amount}</text>
    </for>
    <dropdown key="approver" placeholder="审批人">
        <for each={approvers} as="a"><option value={a.id}>{a.name}</option></for>
    </dropdown>
    <input key="comment" placeholder="审批意见"/>
    <reply key="decision">"同意"</reply>
    <reply key="decision">"驳回"</reply>
</form>
"#;

#[derive(Serialize)]
struct Claim {
    applicant: &'static str,
    amount: u32,
    urgent: bool,
    items: Vec<Item>,
}

#[derive(Serialize)]
struct Item {
    what: &'static str,
    amount: u32,
}

#[derive(Serialize)]
struct Approval {
    title: &'static str,
    claim: Claim,
    approvers: Vec<serde_json::Value>,
}

fn approval(urgent: bool) -> Approval {
    Approval {
        title: "报销申请 #42",
        claim: Claim {
            applicant: "张三",
            amount: 1500,
            urgent,
            items: vec![
                Item {
                    what: "机票",
                    amount: 1200,
                },
                Item {
                    what: "酒店",
                    amount: 300,
                },
            ],
        },
        approvers: vec![
            json!({"id": "@li:example.org", "name": "李四"}),
            json!({"id": "@wang:example.org", "name": "王五"}),
        ],
    }
}

fn snapshot(name: &str, value: &impl Serialize) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_sort_maps(true);
    settings.bind(|| insta::assert_json_snapshot!(name, value));
}

#[test]
fn a_template_parsed_once_renders_a_struct_with_loops_and_conditions() {
    let template = Template::parse(APPROVAL).unwrap();
    let urgent = template.render(&approval(true)).unwrap();
    snapshot("template_approval_card", &urgent);
    let calm = template.render(&approval(false)).unwrap();
    let texts = |content: &finchat_cui::MessageContent| content.card().unwrap().elements.len();
    assert_eq!(texts(&urgent), texts(&calm) + 1);
}

#[test]
fn loops_and_conditions_stand_in_text_too() {
    let template = Template::parse(
        r#"<text>"to: " <for each={names} as="n">{n} <if not={last}>", "</if></for></text>"#,
    )
    .unwrap();
    let content = template
        .render(&json!({"names": ["a", "b"], "last": false}))
        .unwrap();
    assert_eq!(content.body(), Some("to: a, b, "));
}

#[test]
fn false_null_empty_zero_and_empty_collections_are_false() {
    let template = Template::parse(r#"<text>"x" <if test={v}>"+"</if></text>"#).unwrap();
    for (value, shown) in [
        (json!(false), "x"),
        (json!(null), "x"),
        (json!(""), "x"),
        (json!(0), "x"),
        (json!(0.0), "x"),
        (json!([]), "x"),
        (json!({}), "x"),
        (json!(true), "x+"),
        (json!("no"), "x+"),
        (json!(-1), "x+"),
        (json!([0]), "x+"),
        (json!({"a": null}), "x+"),
    ] {
        let content = template.render(&json!({ "v": value })).unwrap();
        assert_eq!(content.body(), Some(shown), "{value}");
    }
}

#[test]
fn paths_reach_into_objects_and_lists() {
    let template =
        Template::parse(r#"<text>{a.b} "/" {items.1} "/" {items.0.name}</text>"#).unwrap();
    let content = template
        .render(&json!({"a": {"b": 1}, "items": [{"name": "x"}, 2.5]}))
        .unwrap();
    assert_eq!(content.body(), Some("1/2.5/x"));
}

#[test]
fn a_missing_field_is_an_error_naming_the_path_and_its_place() {
    let template =
        Template::parse("<form>\n  <text>{claim.amount}</text>\n  <text>{who}</text>\n</form>")
            .unwrap();
    let error = template.render(&json!({"claim": {}})).unwrap_err();
    assert_eq!(
        error.to_string(),
        "template:2:9: `claim.amount`: `claim` has no `amount`\ntemplate:3:9: `who`: the data has no `who`"
    );
}

#[test]
fn a_value_of_the_wrong_kind_is_an_error_at_its_place() {
    let template = Template::parse(
        "<form>\n<image src={src}/>\n<for each={n} as=\"x\"><text>{x}</text></for>\n<text>{obj}</text>\n</form>",
    )
    .unwrap();
    let error = template
        .render(&json!({"src": "https://example.org/a.png", "n": 3, "obj": {"a": 1}}))
        .unwrap_err();
    let text = error.to_string();
    assert!(text.starts_with("template:2:12: `src={src}`: "), "{text}");
    assert!(
        text.contains("template:3:11: `n` is a number; `<for each=…>` takes a list"),
        "{text}"
    );
    assert!(
        text.contains("template:4:7: `obj` is an object, not text"),
        "{text}"
    );
}

#[test]
fn what_the_validator_finds_keeps_its_path_and_names_the_element_that_made_it() {
    let template =
        Template::parse("<form>\n  <input key={a}/>\n  <input key={b}/>\n</form>").unwrap();
    let error = template.render(&json!({"a": "x", "b": "x"})).unwrap_err();
    let RenderError::Invalid {
        problems,
        positions,
        ..
    } = &error
    else {
        panic!("{error}");
    };
    assert_eq!(
        problems.as_slice()[0].path.to_string(),
        "info.elements[1].key"
    );
    assert_eq!(positions[0].map(|p| (p.line, p.column)), Some((3, 4)));
    assert_eq!(
        error.to_string(),
        r#"template:3:4: info.elements[1].key: duplicate key "x" (also used by info.elements[0])"#
    );
}

#[test]
fn every_mistake_of_a_template_is_reported_at_once_with_its_line_and_column() {
    let source = "<form status=\"pending\">\n    <input kye=\"amount\"/>\n    <text>\"a\"</txt>\n    <for each=\"x\"><text>\"b\"</text></for>\n    <text>\"unterminated</text>\n</form>";
    let errors = Template::parse_named("card.cui", source).unwrap_err();
    let text = errors.to_string();
    assert_eq!(
        text,
        [
            "card.cui:3:16: `</txt>` closes `<text>`; write `</text>`",
            "card.cui:3:6: note: `<text>` is opened here",
            "card.cui:5:11: this string is never closed with `\"`",
            "card.cui:5:6: `<text>` is never closed; end it with `</text>`, or write it self-closing: `<text …/>`",
            "card.cui:1:2: `<form>` is never closed; end it with `</form>`, or write it self-closing: `<form …/>`",
            "card.cui:1:14: unknown status `pending`; write \"input\", \"loading\" or \"disable\"",
            "card.cui:2:12: unknown attribute `kye` on `<input>`; did you mean `key`?",
            "card.cui:4:15: `each` takes a path into the data: `each={items}`",
            "card.cui:4:6: `<for>` needs `as`: `<for each={items} as=\"item\">…</for>`",
        ]
        .join("\n"),
    );
}

#[test]
fn a_template_file_names_itself_in_its_errors() {
    let dir = std::env::temp_dir().join(format!("finchat-template-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("card.cui");
    std::fs::write(&good, APPROVAL).unwrap();
    let from_file = Template::from_file(&good).unwrap().render(&approval(false));
    assert!(from_file.is_ok());
    assert_eq!(
        from_file.unwrap(),
        Template::parse(APPROVAL)
            .unwrap()
            .render(&approval(false))
            .unwrap(),
        "the file is read whole and makes the same card"
    );
    let bad = dir.join("bad.cui");
    std::fs::write(&bad, "<form>\n  <slider/>\n</form>\n").unwrap();
    let error = Template::from_file(&bad).unwrap_err();
    assert!(matches!(error, LoadError::Template(_)));
    assert!(
        error
            .to_string()
            .starts_with(&format!("{}:2:4: unknown tag `<slider>`", bad.display()))
    );
    let missing = Template::from_file(dir.join("none.cui")).unwrap_err();
    assert!(matches!(missing, LoadError::Read { .. }));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn each_message_kind_round_trips_to_json() {
    let cases = [
        (
            "textcard",
            r#"<textcard title={t} description="d" url={u} btntext="发送" opentype="inbrowser"/>"#,
        ),
        (
            "image",
            r#"<image name="a.png" src={src} size={size} w=750 h=1334/>"#,
        ),
        (
            "file",
            r#"<file name={name} src="mxc://example.org/def" mimetype="application/pdf"/>"#,
        ),
        ("text", r#"<text>"hello " {name} "\n"</text>"#),
    ];
    let data = json!({
        "t": "标题", "u": "https://example.org/x", "src": "mxc://example.org/abc",
        "size": 1234, "name": "a.pdf",
    });
    let made: Vec<_> = cases
        .iter()
        .map(|(name, source)| {
            let content = Template::parse(source).unwrap().render(&data).unwrap();
            (name, content)
        })
        .collect();
    snapshot("template_messages", &made);
}

#[test]
fn every_failing_binding_of_one_tag_is_reported_not_only_the_first() {
    let failures = |source: &str| {
        let error = Template::parse(source)
            .unwrap()
            .render(&json!({}))
            .unwrap_err();
        error.to_string().lines().count()
    };
    assert_eq!(
        failures(r#"<textcard title={a} description={b} url={c} btntext={d} opentype={e}/>"#),
        5
    );
    assert_eq!(
        failures(r#"<image name={a} src={b} mimetype={c} size={d} w={e} h={f}/>"#),
        6
    );
    assert_eq!(
        failures(r#"<file name={a} src={b} mimetype={c} size={d}/>"#),
        4
    );
    assert_eq!(
        failures(r#"<form><input key={a} placeholder={b} value={c}/></form>"#),
        3
    );
    assert_eq!(
        failures(
            r#"<form><dropdown key={a} placeholder={b} value={c}><option value="x">"x"</option></dropdown></form>"#
        ),
        3
    );
    assert_eq!(
        failures(r#"<form><reply key={a} status={b}>{c}</reply></form>"#),
        3
    );
}

#[test]
fn a_long_string_bound_to_the_wrong_attribute_is_not_repeated_in_the_error() {
    let long = format!("{}\"{}", "说明".repeat(2_000), "x".repeat(2_000));
    let template = Template::parse(
        "<form>\n<divider height={text} background={text}/>\n<image src={text}/>\n</form>",
    )
    .unwrap();
    let error = template.render(&json!({ "text": long })).unwrap_err();
    let text = error.to_string();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.len() < 1_000, "{} bytes: {text:.300}", text.len());
    assert!(
        text.starts_with("template:2:17: `height={text}`: invalid type: string \"说明说明"),
        "{text:.300}"
    );
    assert!(text.contains("…\", expected u32"), "{text:.300}");
}

#[test]
fn nested_loops_that_would_repeat_for_ever_end_with_an_error() {
    // 30 loops over two items: 2^30 pieces of text, hours of rendering without a limit.
    let source = format!(
        "<text>{}\"x\"{}</text>",
        "<for each={two} as=\"a\">".repeat(30),
        "</for>".repeat(30)
    );
    let template = Template::parse(&source).unwrap();
    let started = std::time::Instant::now();
    let error = template.render(&json!({"two": [1, 2]})).unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let text = error.to_string();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with("template:1:")
            && text.contains("`<for each={two}>` repeats more than 100000 children in all"),
        "{text}"
    );
    // A long list alone is fine.
    let options = Template::parse(
        r#"<form><dropdown key="k"><for each={ids} as="i"><option value={i}>{i}</option></for></dropdown></form>"#,
    )
    .unwrap();
    let ids: Vec<String> = (0..2_000).map(|i| i.to_string()).collect();
    let rendered = options.render(&json!({ "ids": ids }));
    assert!(rendered.is_ok());
    let card = rendered.unwrap();
    let Some(finchat_cui::Element::Dropdown(dropdown)) = card.card().unwrap().elements.first()
    else {
        panic!("a dropdown: {card:?}")
    };
    assert_eq!(dropdown.options.len(), 2_000, "no option is cut");
    assert_eq!(dropdown.options[1_999].value, "1999");
}
