//! GoBelieve, client side and customer service: the `/client/groups` calls with the user's Bearer
//! token, the groups list read forgivingly, the customer token without authentication, supporters,
//! history and the offline count.

use finchat_client::gobelieve::{
    CustomerRequest, Member, MemberSetting, NewGroup, OfflineQuery, Platform,
};
use serde_json::json;

use finchat_test_support::gobelieve::answer;

use crate::gobelieve::{all_shown, client, shown};
use crate::server::{Reply, TestServer};
use crate::support::snapshot;

#[tokio::test]
async fn every_client_group_call_carries_the_users_bearer_token() {
    let server = TestServer::start(|r, _| answer(r)).await;
    let client = client(&server);
    let alice = client.as_user("user-token-1");
    let groups = alice.groups();
    let group = NewGroup::new(1001, "读书会").super_group(true).member(1001);
    assert_eq!(groups.create(group).await.unwrap(), 42);
    groups.rename(42, "读书会 2").await.unwrap();
    groups.set_notice(42, "周五见").await.unwrap();
    groups
        .add_members(42, [Member::new(1002).name("Bob")])
        .await
        .unwrap();
    groups
        .remove_members(42, [Member::new(1002).name("Bob")])
        .await
        .unwrap();
    groups.leave(42, 1001).await.unwrap();
    groups
        .member_settings(42, 1001, MemberSetting::Nickname("A".into()))
        .await
        .unwrap();
    groups.dissolve(42).await.unwrap();
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("authorization") == Some("Bearer user-token-1"))
    );
    snapshot("gobelieve_client_groups", &all_shown(&server));
    assert!(!format!("{alice:?}").contains("user-token-1"));
}

#[tokio::test]
async fn the_client_side_has_no_mute_setting() {
    let server = TestServer::start(|r, _| answer(r)).await;
    let client = client(&server);
    let error = client
        .as_user("t")
        .groups()
        .member_settings(42, 1001, MemberSetting::Mute(true))
        .await
        .unwrap_err();
    assert!(error.is_refused());
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn the_groups_list_asks_for_members_and_quiet_and_reads_numbers_and_flags_forgivingly() {
    let server = TestServer::start(|_, _| {
        Reply::ok(json!({"data": [
            {"id": 42, "master": "1001", "super": 1, "name": "读书会", "notice": "周五见",
             "members": [{"uid": 1001, "name": "Alice", "nickname": "A"}, {"uid": "1002"}],
             "do_not_disturb": 0, "timestamp": 1700000000},
            {"id": "43", "super": false}
        ]}))
    })
    .await;
    let client = client(&server);
    let groups = client
        .as_user("user-token-1")
        .groups()
        .list()
        .await
        .unwrap();
    assert_eq!(groups.len(), 2);
    let first = &groups[0];
    assert_eq!(
        (first.id, first.master, first.super_group),
        (42, Some(1001), Some(true))
    );
    assert_eq!(first.members[1].uid, 1002);
    assert_eq!(first.members[0].nickname.as_deref(), Some("A"));
    assert_eq!(first.do_not_disturb, Some(false));
    assert_eq!(
        first.extra["timestamp"], 1700000000,
        "unknown fields are kept"
    );
    assert_eq!((groups[1].id, groups[1].super_group), (43, Some(false)));
    let request = &server.requests()[0];
    assert_eq!(
        (
            request.method.as_str(),
            request.path.as_str(),
            request.query.as_deref()
        ),
        ("GET", "/client/groups", Some("fields=members%2Cquiet"))
    );
}

#[tokio::test]
async fn customer_service_calls_use_no_auth_server_auth_or_the_customers_token() {
    let server = TestServer::start(|request, _| match request.path.as_str() {
        "/auth/customer" => Reply::ok(
            json!({"data": {"token": "customer-token-1", "store_id": 5, "client_id": "c-9"}}),
        ),
        "/supporters" => Reply::ok(
            json!({"data": {"seller_id": 3, "name": "客服小王", "avatar": "", "status": "online"}}),
        ),
        "/messages/offline" => Reply::ok(json!({"data": {"new": "1"}})),
        "/messages" => Reply::ok(json!({"data": [
            {"id": 11, "content": "{\"text\":\"您好\"}", "timestamp": 1700000000},
            {"id": "12", "content": "在吗", "timestamp": "1700000060"}
        ]})),
        _ => crate::server::not_expected(request),
    })
    .await;
    let client = client(&server);
    let service = client.customer_service();
    let request = CustomerRequest::new("c-42", "访客42", "https://example.org/v.png")
        .platform(Platform::Web)
        .device_id("browser-7");
    let customer = service.token(request).await.unwrap();
    assert_eq!(customer.token.expose(), "customer-token-1");
    assert_eq!(
        (customer.store_id.as_deref(), customer.client_id.as_deref()),
        (Some("5"), Some("c-9"))
    );
    let count = service
        .offline_count(
            OfflineQuery::new("c-42")
                .platform(Platform::Ios)
                .device_id("d 1"),
        )
        .await
        .unwrap();
    assert_eq!(count, 1);
    let session = client.as_user(customer.token);
    let supporters = session.supporters("5").await.unwrap();
    assert_eq!(supporters.len(), 1, "one object is a list of one");
    assert_eq!(supporters[0].status.as_deref(), Some("online"));
    assert_eq!(supporters[0].seller_id.as_deref(), Some("3"));
    let history = session.history(Some("5")).await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|m| (m.id, m.timestamp))
            .collect::<Vec<_>>(),
        [(11, Some(1700000000)), (12, Some(1700000060))]
    );
    session.history(None).await.unwrap();
    let requests = server.requests();
    assert_eq!(
        requests[0].header("authorization"),
        None,
        "no auth for /auth/customer"
    );
    snapshot(
        "gobelieve_customer",
        &requests.iter().map(shown).collect::<Vec<_>>(),
    );
}

#[tokio::test]
async fn a_token_answer_of_the_wrong_shape_is_never_quoted() {
    let server = TestServer::start(|request, _| match request.path.as_str() {
        "/auth/grant" => Reply::ok(json!({"data": {"token": ["SECRET-XYZ"]}})),
        "/auth/customer" => Reply::ok(json!({"data": {"tok": "SECRET-XYZ"}})),
        _ => crate::server::not_expected(request),
    })
    .await;
    let client = client(&server);
    let grant = client
        .users()
        .grant(finchat_client::gobelieve::GrantRequest::new(1001, "alice"))
        .await
        .unwrap_err();
    let customer = client
        .customer_service()
        .token(CustomerRequest::new("c-42", "访客42", ""))
        .await
        .unwrap_err();
    for (error, named) in [(grant, "token"), (customer, "missing field `token`")] {
        let shown = crate::token_answers::everything_shown(&error);
        assert!(error.is_malformed_response(), "{shown}");
        assert!(!shown.contains("SECRET-XYZ"), "{shown}");
        assert!(shown.contains(named), "{shown}");
    }
}

#[tokio::test]
async fn a_call_with_the_server_credentials_does_not_follow_a_redirect() {
    let target = TestServer::start(|r, _| answer(r)).await;
    let redirecting = crate::token_in_transit::redirecting_to(&target).await;
    let error = client(&redirecting)
        .users()
        .grant(finchat_client::gobelieve::GrantRequest::new(1001, "alice"))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("redirect"), "{error}");
    assert!(target.requests().is_empty(), "{:?}", target.requests());
}
