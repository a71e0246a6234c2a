//! The state file (issue 12, item 25): written off the lock, durably, with media kept as files of
//! their own beside it; an old file with its media inline still loads; a failed write is reported.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine as _;
use finchat_sandbox::SandboxConfig;
use serde_json::Value;

use crate::support::{client, fcid, room, start};

/// A fresh directory for one test's state.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "finchat-sandbox-state-{}-{name}",
        std::process::id()
    ));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn media_dir(state: &Path) -> PathBuf {
    let mut name = state.file_name().unwrap().to_owned();
    name.push(".media");
    state.with_file_name(name)
}

#[tokio::test]
async fn media_lives_beside_the_state_file_and_an_old_file_with_inline_media_is_migrated() {
    let dir = temp_dir("migrate");
    let path = dir.join("sandbox.json");
    let first = start(SandboxConfig::new().state_file(&path)).await;
    let uri = client(&first)
        .media()
        .upload(b"\x89PNG fake".to_vec(), "image/png")
        .await
        .unwrap();
    first.handle.flush().await.unwrap();
    first.shutdown().await;
    let state = std::fs::read_to_string(&path).unwrap();
    let inline = base64::engine::general_purpose::STANDARD.encode(b"\x89PNG fake");
    assert!(!state.contains(&inline), "no media inside the state file");
    assert_eq!(
        std::fs::read(media_dir(&path).join(uri.media_id())).unwrap(),
        b"\x89PNG fake"
    );

    // The layout of earlier versions: format 1, each file's bytes inline in base64.
    let mut old = read_json(&path);
    old["format"] = 1.into();
    old["media"][uri.media_id()] =
        serde_json::json!({"content_type": "image/png", "bytes": inline});
    std::fs::write(&path, old.to_string()).unwrap();
    std::fs::remove_dir_all(media_dir(&path)).unwrap();

    let second = start(SandboxConfig::new().state_file(&path)).await;
    let download = client(&second).media().download(&uri).await.unwrap();
    assert_eq!(download.bytes.as_ref(), b"\x89PNG fake");
    second.handle.flush().await.unwrap();
    second.shutdown().await;
    let migrated = std::fs::read_to_string(&path).unwrap();
    assert!(
        !migrated.contains(&inline),
        "migrated out of the state file"
    );
    assert_eq!(
        std::fs::read(media_dir(&path).join(uri.media_id())).unwrap(),
        b"\x89PNG fake"
    );
    let third = start(SandboxConfig::new().state_file(&path)).await;
    let again = client(&third).media().download(&uri).await.unwrap();
    assert_eq!(again.bytes.as_ref(), b"\x89PNG fake");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_concurrent_changes_all_land_in_the_state_file() {
    let dir = temp_dir("concurrent");
    let path = dir.join("sandbox.json");
    let sandbox = start(SandboxConfig::new().state_file(&path)).await;
    let handle = Arc::new(sandbox.handle.clone());
    let mut tasks = Vec::new();
    for person in ["alice", "bob", "carol"] {
        for n in 0..40 {
            let handle = Arc::clone(&handle);
            tasks.push(tokio::task::spawn_blocking(move || {
                let room = room(&format!("direct-{person}"));
                handle
                    .say(&fcid(person), &room, &format!("{person} {n}"))
                    .unwrap();
            }));
        }
    }
    let api = client(&sandbox);
    let uploads: Vec<_> = (0..10u8)
        .map(|n| {
            let api = api.clone();
            tokio::spawn(async move { api.media().upload(vec![n; 1000], "image/png").await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let mut uris = Vec::new();
    for upload in uploads {
        uris.push(upload.await.unwrap().unwrap());
    }
    sandbox.handle.flush().await.unwrap();
    let events = sandbox.handle.events();
    sandbox.shutdown().await;

    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "sandbox.json" && name != "sandbox.json.media")
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary files left: {leftovers:?}"
    );
    let restarted = start(SandboxConfig::new().state_file(&path)).await;
    assert_eq!(restarted.handle.events(), events);
    for person in ["alice", "bob", "carol"] {
        let said = restarted
            .handle
            .messages(&room(&format!("direct-{person}")));
        assert_eq!(said.len(), 40, "{person}");
    }
    let api = client(&restarted);
    for (n, uri) in uris.iter().enumerate() {
        let file = api.media().download(uri).await.unwrap();
        assert_eq!(file.bytes.as_ref(), vec![n as u8; 1000].as_slice());
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_state_file_that_cannot_be_written_is_reported_and_the_sandbox_goes_on() {
    let dir = temp_dir("unwritable");
    let state_dir = dir.join("state");
    std::fs::create_dir_all(&state_dir).unwrap();
    let path = state_dir.join("sandbox.json");
    let sandbox = start(SandboxConfig::new().state_file(&path)).await;
    sandbox.handle.flush().await.unwrap();

    // The directory is gone, a file in its place (read-only directories do not stop root).
    std::fs::remove_dir_all(&state_dir).unwrap();
    std::fs::write(&state_dir, "not a directory").unwrap();
    let alice = fcid("alice");
    sandbox
        .handle
        .say(&alice, &room("direct-alice"), "你好")
        .unwrap();
    let error = sandbox.handle.flush().await.unwrap_err();
    assert!(
        error.to_string().contains(&path.display().to_string()),
        "{error}"
    );
    let upload = client(&sandbox)
        .media()
        .upload(b"PNG".to_vec(), "image/png")
        .await;
    assert!(upload.is_err(), "an upload that cannot be kept is refused");

    // Still serving; once the directory is back, the next change writes everything.
    let page = reqwest::get(format!("{}/sandbox/api/rev", sandbox.url))
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    std::fs::remove_file(&state_dir).unwrap();
    std::fs::create_dir_all(&state_dir).unwrap();
    // A flush tries the failed write again, without waiting for another change.
    sandbox.handle.flush().await.unwrap();
    let saved = read_json(&path);
    assert_eq!(
        saved["rooms"][0]["messages"].as_array().unwrap().len(),
        1,
        "{saved}"
    );
    sandbox
        .handle
        .say(&alice, &room("direct-alice"), "在吗")
        .unwrap();
    sandbox.handle.flush().await.unwrap();
    let saved = read_json(&path);
    assert_eq!(
        saved["rooms"][0]["messages"].as_array().unwrap().len(),
        2,
        "{saved}"
    );
    sandbox.shutdown().await;
    std::fs::remove_dir_all(&dir).ok();
}
