//! Spec-driven conformance: Prism (`@stoplight/prism-cli`, pinned in package-lock.json and
//! installed by `npm ci`) mocks the repository's Rebilly OpenAPI in dynamic mode, so that the
//! console meets random users valid against the official schema, not only our simulator's.
//!
//! One Prism process serves three variants of the users list, generated here at test time from
//! `docs/providers/rebilly-users.openapi.yaml` (the repository file stays the one source), each
//! under its own organization, which is where the proxy sends a Rebilly provider's requests:
//! - `random`: the list as the spec has it, random users on every request;
//! - `required`: the same list whose users are a copy of `User` with every optional member
//!   removed, so users carry only e-mail, first and last name (no id, no status, no dates);
//! - `ids`: one fixed page whose ids hold `/ ? # % %2F + &`, spaces, non-ASCII and the
//!   console's own key escape, for the encode-once, decode-once test.
//!
//! One process for the three keeps the suite cheap: Node and Prism start once.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::cmd::{self, Result};

const SPEC: &str = include_str!("../../docs/providers/rebilly-users.openapi.yaml");

/// The ids of the fixed page, one a line: every character a key could be encoded or decoded
/// twice on, and the `~` escape the console writes keys with. The console's browser tests and
/// the conformance spec read the same file.
const HOSTILE_IDS: &str = include_str!("../../tests/hostile-ids.txt");

fn hostile_ids() -> impl Iterator<Item = &'static str> {
    HOSTILE_IDS.lines()
}

/// The organizations of the three variants, which the proxy config names.
pub const RANDOM_ORG: &str = "random";
/// See [`RANDOM_ORG`].
pub const REQUIRED_ORG: &str = "required";
/// See [`RANDOM_ORG`].
pub const IDS_ORG: &str = "ids";

fn users_path(org: &str) -> String {
    format!("/organizations/{org}/users")
}

/// `schema` with only the members its `required` list names.
fn required_only(schema: &Value) -> Result<Value> {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if required.is_empty() {
        return Err("the Rebilly OpenAPI's User schema has no `required` list".into());
    }
    let mut schema = schema.clone();
    let properties = schema["properties"]
        .as_object_mut()
        .ok_or("the Rebilly OpenAPI's User schema has no `properties`")?;
    properties.retain(|name, _| required.contains(&name.as_str()));
    if properties.len() != required.len() {
        return Err("the Rebilly OpenAPI's User schema requires members it does not define".into());
    }
    Ok(schema)
}

/// The fixed page of users whose ids are [`HOSTILE_IDS`], valid against `User`.
fn hostile_page() -> Value {
    Value::Array(
        hostile_ids()
            .enumerate()
            .map(|(i, id)| {
                json!({
                    "id": id,
                    "email": format!("user{i}@example.com"),
                    "firstName": "Id",
                    "lastName": format!("Case {i}"),
                    "status": "active",
                })
            })
            .collect(),
    )
}

/// The document Prism serves: the spec with its users list at the three organizations' paths.
fn conformance_spec(yaml: &str) -> Result<Value> {
    let mut doc: Value = serde_norway::from_str(yaml)
        .map_err(|err| format!("the Rebilly OpenAPI is not valid YAML: {err}"))?;
    let list = doc["paths"]["/users"].clone();
    let items = "/get/responses/200/content/application~1json/schema/items/$ref";
    if list.pointer(items).and_then(Value::as_str) != Some("#/components/schemas/User") {
        return Err("the Rebilly OpenAPI's users list no longer answers an array of User".into());
    }
    let user = &doc["components"]["schemas"]["User"];
    let required_user = required_only(user)?;

    let mut required = list.clone();
    if let Some(reference) = required.pointer_mut(items) {
        *reference = json!("#/components/schemas/RequiredUser");
    }

    let mut ids = list.clone();
    let page = hostile_page();
    let total = hostile_ids().count();
    let answer = ids
        .pointer_mut("/get/responses/200")
        .ok_or("the Rebilly OpenAPI's users list has no 200 answer")?;
    answer["content"]["application/json"]["schema"]["const"] = page;
    answer["headers"]["Pagination-Total"] = json!({"schema": {"type": "integer", "const": total}});
    answer["headers"]["Pagination-Offset"] = json!({"schema": {"type": "integer", "const": 0}});

    doc["components"]["schemas"]["RequiredUser"] = required_user;
    doc["paths"] = json!({
        users_path(RANDOM_ORG): list,
        users_path(REQUIRED_ORG): required,
        users_path(IDS_ORG): ids,
    });
    Ok(doc)
}

/// The running Prism, stopped when dropped.
pub struct Prism {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    log: PathBuf,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes the conformance document into `dir` and starts Prism on `port` without waiting for
/// it, so that it comes up while the other servers start; [`Prism::wait`] waits.
pub fn spawn(dir: &Path, port: u16) -> Result<Prism> {
    std::fs::create_dir_all(dir)
        .map_err(|err| format!("cannot create {}: {err}", dir.display()))?;
    let spec = dir.join("rebilly-conformance.json");
    let text = serde_json::to_string_pretty(&conformance_spec(SPEC)?)
        .map_err(|err| format!("cannot write the conformance OpenAPI: {err}"))?;
    std::fs::write(&spec, text).map_err(|err| format!("cannot write {}: {err}", spec.display()))?;
    let log = dir.join("prism.log");
    let prism = cmd::root().join("node_modules").join(".bin").join("prism");
    let port_text = port.to_string();
    let spec_text = spec.to_string_lossy();
    let mut command = cmd::command(
        &prism.to_string_lossy(),
        &[
            "mock",
            "--dynamic",
            "-h",
            "127.0.0.1",
            "-p",
            &port_text,
            &spec_text,
        ],
    );
    command.stdin(Stdio::null());
    cmd::log_to(&mut command, &log)?;
    let child = command.spawn().map_err(|err| {
        format!("could not start Prism ({err}); run `cargo xtask setup`, which runs npm ci")
    })?;
    Ok(Prism {
        child,
        addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        log,
    })
}

impl Prism {
    /// Waits until `answers` says Prism serves HTTP, for at most a minute.
    pub fn wait(&mut self, answers: impl Fn(SocketAddr) -> bool) -> Result {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !answers(self.addr) {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "Prism exited early ({status}); see {}",
                    self.log.display()
                ));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "Prism did not answer on {} within 60 s; see {}",
                    self.addr,
                    self.log.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Value {
        conformance_spec(SPEC).expect("the repository's OpenAPI transforms")
    }

    #[test]
    fn the_list_is_served_at_each_organization() {
        let spec = spec();
        let paths = spec["paths"].as_object().expect("paths");
        let mut names: Vec<&str> = paths.keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "/organizations/ids/users",
                "/organizations/random/users",
                "/organizations/required/users"
            ]
        );
        let items = "/get/responses/200/content/application~1json/schema/items/$ref";
        assert_eq!(
            spec["paths"]["/organizations/random/users"].pointer(items),
            Some(&json!("#/components/schemas/User"))
        );
        assert_eq!(
            spec["paths"]["/organizations/required/users"].pointer(items),
            Some(&json!("#/components/schemas/RequiredUser"))
        );
        assert!(conformance_spec("openapi: 3.1.1\n").is_err());
        assert!(conformance_spec("paths: [").is_err());
    }

    #[test]
    fn required_only_keeps_just_the_required_members() {
        let spec = spec();
        let user = &spec["components"]["schemas"]["RequiredUser"];
        let mut kept: Vec<&str> = user["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .map(String::as_str)
            .collect();
        kept.sort_unstable();
        assert_eq!(kept, ["email", "firstName", "lastName"]);
        let full = &spec["components"]["schemas"]["User"]["properties"];
        assert!(full["id"].is_object() && full["loginTime"].is_object());
        assert!(required_only(&json!({"properties": {"id": {}}})).is_err());
        assert!(required_only(&json!({"required": ["id"], "properties": {}})).is_err());
    }

    #[test]
    fn the_fixed_page_holds_every_hostile_id_and_describes_itself() {
        let spec = spec();
        let answer = &spec["paths"]["/organizations/ids/users"]["get"]["responses"]["200"];
        let page = answer["content"]["application/json"]["schema"]["const"]
            .as_array()
            .expect("a fixed page");
        let ids: Vec<&str> = page.iter().filter_map(|u| u["id"].as_str()).collect();
        assert_eq!(ids, hostile_ids().collect::<Vec<_>>());
        assert_eq!(ids.len(), 11);
        let required = spec["components"]["schemas"]["User"]["required"]
            .as_array()
            .expect("required");
        for user in page {
            for name in required {
                let name = name.as_str().expect("a name");
                assert!(user[name].is_string(), "{user} lacks {name}");
            }
        }
        assert_eq!(
            answer["headers"]["Pagination-Total"]["schema"]["const"],
            json!(ids.len())
        );
        assert_eq!(
            answer["headers"]["Pagination-Offset"]["schema"]["const"],
            json!(0)
        );
    }
}
