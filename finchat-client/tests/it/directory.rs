//! The directory: contacts (authorities, organizations, departments), users and the app's own
//! rooms and visibility. Each call's exact request, and the API's sample answers read.

use finchat_client::ErrorClass;
use finchat_cui::{Fcid, RoomId};
use serde_json::{Value, json};

use crate::server::{Recorded, Reply, TestServer, not_expected};

const OPEN_API: &str = "/api/v1/finchat/open-api";

fn fcid(id: &str) -> Fcid {
    id.parse().unwrap()
}

fn room(id: &str) -> RoomId {
    id.parse().unwrap()
}

/// A server that answers `GET {OPEN_API}{path}` with `answer` and nothing else.
async fn serving(path: &'static str, answer: Value) -> TestServer {
    TestServer::with_tokens(move |r, _| {
        if r.method == "GET" && r.path == format!("{OPEN_API}{path}") {
            Reply::ok(answer.clone())
        } else {
            not_expected(r)
        }
    })
    .await
}

/// The one call made: a GET with the app's token, no body, and exactly this query.
fn assert_one_get(server: &TestServer, path: &str, query: Option<&str>) {
    let calls = server.calls();
    assert_eq!(calls.len(), 1);
    let call: &Recorded = &calls[0];
    assert_eq!(
        (
            call.method.as_str(),
            call.path.as_str(),
            call.query.as_deref()
        ),
        ("GET", format!("{OPEN_API}{path}").as_str(), query)
    );
    assert_eq!(call.header("authorization"), Some("Bearer tok-1"));
    assert_eq!(call.header("content-type"), None);
    assert!(call.body.is_empty());
}

#[tokio::test]
async fn users_by_authority_lists_fcids() {
    let server = serving(
        "/contact/get-users-by-authority",
        json!(["@test001:dev.finogeeks.club", "@test002:dev.finogeeks.club"]),
    )
    .await;
    let client = server.client().build().unwrap();
    let users = client
        .contacts()
        .users_by_authority("审批 权限")
        .await
        .unwrap();
    assert_one_get(
        &server,
        "/contact/get-users-by-authority",
        Some("authority_name=%E5%AE%A1%E6%89%B9+%E6%9D%83%E9%99%90&app_id=app-1"),
    );
    assert_eq!(
        users,
        [
            fcid("@test001:dev.finogeeks.club"),
            fcid("@test002:dev.finogeeks.club")
        ]
    );
}

#[tokio::test]
async fn organizations_by_type_reads_the_list() {
    let server = serving(
        "/contact/get-organizations-by-type",
        json!([{
            "organization_id": "00f3",
            "organization_name": "74564564",
            "organization_type": 3,
            "dispatch_supervision_organizations": ["00f0"]
        }]),
    )
    .await;
    let client = server.client().build().unwrap();
    let organizations = client
        .contacts()
        .organizations_by_type(&fcid("@alice:example.org"), 3)
        .await
        .unwrap();
    assert_one_get(
        &server,
        "/contact/get-organizations-by-type",
        Some("app_id=app-1&fcid=%40alice%3Aexample.org&organization_type=3"),
    );
    let [organization] = organizations.as_slice() else {
        panic!("{organizations:?}")
    };
    assert_eq!(organization.organization_id, "00f3");
    assert_eq!(organization.organization_name, "74564564");
    assert_eq!(organization.organization_type, Some(3));
    assert_eq!(organization.dispatch_supervision_organizations, ["00f0"]);
}

#[tokio::test]
async fn organization_reads_one() {
    let id = "55c22c00-09e9-11ea-ab7d-a15ba0c1027b";
    let server = serving(
        "/contact/organizations/55c22c00-09e9-11ea-ab7d-a15ba0c1027b",
        json!({
            "organization_id": id,
            "organization_name": "九九九",
            "organization_type": 0,
            "dispatch_supervision_organizations": ["0a072670-ca61-11e9-af7f-877a0c9dfbd0"]
        }),
    )
    .await;
    let client = server.client().build().unwrap();
    let organization = client.contacts().organization(id).await.unwrap();
    assert_one_get(
        &server,
        &format!("/contact/organizations/{id}"),
        Some("app_id=app-1"),
    );
    assert_eq!(organization.organization_name, "九九九");
    assert_eq!(organization.organization_type, Some(0));
}

#[tokio::test]
async fn ids_in_the_path_are_escaped_and_dot_segments_refused() {
    let server =
        TestServer::with_tokens(|_, _| Reply::ok(json!({"organization_id": "a/b?c"}))).await;
    let client = server.client().build().unwrap();
    client.contacts().organization("a/b?c").await.unwrap();
    assert_eq!(
        server.calls()[0].path,
        format!("{OPEN_API}/contact/organizations/a%2Fb%3Fc")
    );
    for bad in ["", ".", ".."] {
        let error = client.contacts().organization(bad).await.unwrap_err();
        assert_eq!(error.class(), ErrorClass::Local, "{bad:?}");
    }
    assert_eq!(server.calls().len(), 1);
}

fn department_answer() -> Value {
    json!({
        "department_id": "55c22c00-09e9-11ea-ab7d-a15ba0c1027b",
        "department_name": "九九九",
        "parent_department": "0a072670-ca61-11e9-af7f-877a0c9dfbd0",
        "sub_departments": [
            "55c38b90-09e9-11ea-ab7d-a15ba0c1027b",
            "55c49d00-09e9-11ea-ab7d-a15ba0c1027b",
            "030b9770-09ea-11ea-ab7d-a15ba0c1027b",
            "7f5dff90-517d-11ea-8022-2f1b1e84209f"
        ],
        "fcids": [
            "@tai01:dev.finogeeks.club",
            "@qqq1110:dev.finogeeks.club",
            "@test0007:dev.finogeeks.club",
            "@test001:dev.finogeeks.club",
            "@test005:dev.finogeeks.club",
            "@czr02:dev.finogeeks.club"
        ]
    })
}

#[tokio::test]
async fn department_with_sub_departments() {
    let path = "/contact/departments/55c22c00-09e9-11ea-ab7d-a15ba0c1027b";
    let server = serving(path, department_answer()).await;
    let client = server.client().build().unwrap();
    let department = client
        .contacts()
        .department("55c22c00-09e9-11ea-ab7d-a15ba0c1027b")
        .include_sub_departments(true)
        .send()
        .await
        .unwrap();
    assert_one_get(
        &server,
        path,
        Some("app_id=app-1&include_sub_departments=true"),
    );
    assert_eq!(department.department_name, "九九九");
    assert_eq!(
        department.parent_department.as_deref(),
        Some("0a072670-ca61-11e9-af7f-877a0c9dfbd0")
    );
    assert_eq!(department.sub_departments.len(), 4);
    assert_eq!(department.fcids.len(), 6);
    assert_eq!(department.fcids[0], fcid("@tai01:dev.finogeeks.club"));
}

#[tokio::test]
async fn department_says_false_when_sub_departments_are_not_wanted() {
    let path = "/contact/departments/d1";
    let server = serving(path, json!({"department_id": "d1"})).await;
    let client = server.client().build().unwrap();
    let department = client.contacts().department("d1").send().await.unwrap();
    assert_one_get(
        &server,
        path,
        Some("app_id=app-1&include_sub_departments=false"),
    );
    assert!(department.fcids.is_empty() && department.parent_department.is_none());
}

#[tokio::test]
async fn user_detail_reads_the_profile() {
    let path = "/users/@linian002:dev.finogeeks.club";
    let server = serving(
        path,
        json!({
            "fcid": "@linian002:dev.finogeeks.club",
            "account": "linian002",
            "name": "linian002",
            "gender": "male",
            "mobile": "12346278569",
            "landline": "020-7789898",
            "position": "产品总监",
            "email": "222@qq.com",
            "job_number": "001",
            "roles": ["b6539010-ca68-11e9-af7f-877a0c9dfbd0", "bc8c4670-ca68-11e9-af7f-877a0c9dfbd0"],
            "departments": ["d7646430-53b8-11ea-8719-19c1a365f2ff"],
            "organization_id": "00001"
        }),
    )
    .await;
    let client = server.client().build().unwrap();
    let user = client
        .users()
        .detail(&fcid("@linian002:dev.finogeeks.club"))
        .await
        .unwrap();
    assert_one_get(&server, path, Some("app_id=app-1"));
    assert_eq!(user.fcid, fcid("@linian002:dev.finogeeks.club"));
    assert_eq!(user.account.as_deref(), Some("linian002"));
    assert_eq!(user.position.as_deref(), Some("产品总监"));
    assert_eq!(user.job_number.as_deref(), Some("001"));
    assert_eq!(user.roles.len(), 2);
    assert_eq!(user.departments, ["d7646430-53b8-11ea-8719-19c1a365f2ff"]);
    assert_eq!(user.organization_id.as_deref(), Some("00001"));
    assert!(user.extra.is_empty());
}

#[tokio::test]
async fn user_detail_of_an_older_server_reads_groups_as_departments() {
    let server = serving(
        "/users/@linian002:dev.finogeeks.club",
        json!({"fcid": "@linian002:dev.finogeeks.club", "name": "linian002", "roles": [], "groups": ["d7646430"]}),
    )
    .await;
    let client = server.client().build().unwrap();
    let user = client
        .users()
        .detail(&fcid("@linian002:dev.finogeeks.club"))
        .await
        .unwrap();
    assert_eq!(user.departments, ["d7646430"]);
    assert_eq!(user.account, None);
}

#[tokio::test]
async fn user_friendships_read_rooms_and_bots() {
    let path = "/users/@linian002:dev.finogeeks.club/friendships";
    let server = serving(
        path,
        json!([
            {"to_fcid": "@vsadf-bot:dev.finogeeks.club", "room_id": "!224069434157826048:dev.finogeeks.club", "is_bot": true},
            {"to_fcid": "@linian002:dev.finogeeks.club", "room_id": "!230427174354550784:dev.finogeeks.club", "is_bot": false}
        ]),
    )
    .await;
    let client = server.client().build().unwrap();
    let friends = client
        .users()
        .friendships(&fcid("@linian002:dev.finogeeks.club"))
        .await
        .unwrap();
    assert_one_get(&server, path, Some("app_id=app-1"));
    assert_eq!(friends.len(), 2);
    assert!(friends[0].is_bot && !friends[1].is_bot);
    assert_eq!(
        friends[1].room_id,
        room("!230427174354550784:dev.finogeeks.club")
    );
}

#[tokio::test]
async fn app_friendships_are_its_direct_rooms() {
    let path = "/apps/app-1/friendships";
    let server = serving(
        path,
        json!([
            {"to_fcid": "@vsadf-bot:dev.finogeeks.club", "room_id": "!224069434157826048:dev.finogeeks.club"},
            {"to_fcid": "@linian002:dev.finogeeks.club", "room_id": "!230427174354550784:dev.finogeeks.club"}
        ]),
    )
    .await;
    let client = server.client().build().unwrap();
    let rooms = client.apps().friendships().await.unwrap();
    assert_one_get(&server, path, None);
    assert_eq!(rooms[0].to_fcid, fcid("@vsadf-bot:dev.finogeeks.club"));
    assert_eq!(
        rooms[1].room_id,
        room("!230427174354550784:dev.finogeeks.club")
    );
}

#[tokio::test]
async fn app_visibility_lists_departments_and_members() {
    let path = "/apps/app-1/visibility";
    let server = serving(
        path,
        json!({
            "unlimited": false,
            "fcids": ["@rcstest1:dev.finogeeks.club"],
            "departments": ["55c22c00-09e9-11ea-ab7d-a15ba0c1027b"]
        }),
    )
    .await;
    let client = server.client().build().unwrap();
    let visibility = client.apps().visibility().await.unwrap();
    assert_one_get(&server, path, None);
    assert!(!visibility.unlimited);
    assert_eq!(visibility.fcids, [fcid("@rcstest1:dev.finogeeks.club")]);
    assert_eq!(
        visibility.departments,
        ["55c22c00-09e9-11ea-ab7d-a15ba0c1027b"]
    );
}

#[tokio::test]
async fn unlimited_visibility_has_no_lists() {
    let server = serving("/apps/app-1/visibility", json!({"unlimited": true})).await;
    let client = server.client().build().unwrap();
    let visibility = client.apps().visibility().await.unwrap();
    assert!(
        visibility.unlimited && visibility.fcids.is_empty() && visibility.departments.is_empty()
    );
}
