//! SSH keypairs (wire §3.9): `/os-keypairs`, `/os-keypairs/<name>`.

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::format_description;

use super::world::{IdKind, World};
use super::{Ctx, base64, md5};
use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult, JSON_CONTENT_TYPE};

/// Keys per user (`USERDATA_MAX_SSH_KEYS_PER_USER`).
const MAX_KEYS: usize = 10;
/// Longest key content (`USERDATA_SSH_KEY_MAX_CONTENT_LENGTH`).
const MAX_CONTENT: usize = 30_000;

/// A stored public key.
#[derive(Clone, Debug)]
pub(crate) struct Keypair {
    /// Integer id.
    pub(crate) id: u64,
    /// Name, unique per user.
    pub(crate) name: String,
    /// The public key line.
    pub(crate) content: String,
    /// MD5 fingerprint or `unknown fingerprint`.
    pub(crate) fingerprint: String,
    /// Creation time.
    pub(crate) created: OffsetDateTime,
    /// Last change.
    pub(crate) updated: OffsetDateTime,
}

/// Reads one SSH wire string (`u32` length + bytes) from `blob`.
fn ssh_string<'a>(blob: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = u32::from_be_bytes(blob.get(..4)?.try_into().ok()?) as usize;
    let value = blob.get(4..4usize.checked_add(len)?)?;
    *blob = &blob[4 + len..];
    Some(value)
}

/// The fingerprint of a public key line: MD5 of the key blob as colon-joined
/// hex, for well-formed `ssh-rsa` and `ssh-dss` keys; `unknown fingerprint`
/// for anything else.
pub(crate) fn fingerprint(content: &str) -> String {
    let unknown = || "unknown fingerprint".to_owned();
    let mut parts = content.split_whitespace();
    let (Some(kind), Some(data)) = (parts.next(), parts.next()) else {
        return unknown();
    };
    let fields = match kind {
        "ssh-rsa" => 2,
        "ssh-dss" => 4,
        _ => return unknown(),
    };
    let Some(blob) = base64::decode(data) else {
        return unknown();
    };
    let mut rest = blob.as_slice();
    if ssh_string(&mut rest) != Some(kind.as_bytes()) {
        return unknown();
    }
    for _ in 0..fields {
        if ssh_string(&mut rest).is_none() {
            return unknown();
        }
    }
    if !rest.is_empty() {
        return unknown();
    }
    md5::digest(&blob)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Whether a name passes the server's key name pattern: printable, with a
/// non-space character before any unprintable one.
fn valid_name(name: &str) -> bool {
    name.chars()
        .take_while(|c| !c.is_control())
        .any(|c| !c.is_whitespace())
}

/// A naive ISO timestamp (`2013-06-19T15:23:59.975572`, no offset), as the
/// keypair views write them.
fn naive_iso(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let base = t
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]"
        ))
        .unwrap_or_default();
    match t.microsecond() {
        0 => base,
        micros => format!("{base}.{micros:06}"),
    }
}

/// A generated RSA-looking keypair: (public key line, private key PEM).
fn generate(world: &mut World) -> (String, String) {
    let mut modulus = vec![0u8];
    modulus.extend(world.random_bytes(256));
    modulus[1] |= 0x80;
    let mut blob = Vec::new();
    for field in [&b"ssh-rsa"[..], &[0x01, 0x00, 0x01], &modulus] {
        blob.extend_from_slice(&(field.len() as u32).to_be_bytes());
        blob.extend_from_slice(field);
    }
    let public = format!("ssh-rsa {}", base64::encode(&blob));
    let body = base64::encode(&world.random_bytes(1190));
    let mut private = String::from("-----BEGIN RSA PRIVATE KEY-----\n");
    for line in body.as_bytes().chunks(64) {
        private.push_str(&String::from_utf8_lossy(line));
        private.push('\n');
    }
    private.push_str("-----END RSA PRIVATE KEY-----\n");
    (public, private)
}

/// `{"keypair": {name, fingerprint, public_key[, details]}}`.
fn keypair_json(keypair: &Keypair, details: bool) -> Value {
    let mut value = json!({
        "name": keypair.name,
        "fingerprint": keypair.fingerprint,
        "public_key": keypair.content,
    });
    if details {
        value["deleted"] = json!(false);
        value["id"] = json!(keypair.id);
        value["created_at"] = json!(naive_iso(keypair.created));
        value["deleted_at"] = Value::Null;
        value["updated_at"] = json!(naive_iso(keypair.updated));
    }
    json!({ "keypair": value })
}

/// Whether a URL segment can be a key name (else the URL matches nothing).
pub(crate) fn is_name_segment(segment: &str) -> bool {
    valid_name(segment)
}

/// `GET /os-keypairs`: the caller's keys by name.
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World) -> ApiResult {
    let keypairs: Vec<Value> = world
        .keypairs
        .iter()
        .filter(|((user, _), _)| user == ctx.user)
        .map(|(_, keypair)| keypair_json(keypair, false))
        .collect();
    Ok(ApiResponse::json(200, &json!({ "keypairs": keypairs })))
}

/// `POST /os-keypairs`: import a public key or generate a pair.
pub(crate) fn create(ctx: &Ctx<'_>, world: &mut World) -> ApiResult {
    let owned = world.keypairs.keys().filter(|(u, _)| u == ctx.user).count();
    if owned >= MAX_KEYS {
        // A plain Django 500 whose body is text, typed JSON by the API layer.
        return Ok(ApiResponse::with_body(
            500,
            JSON_CONTENT_TYPE,
            crate::body::ResponseBody::Full(bytes::Bytes::from_static(b"SSH keys limit exceeded")),
        ));
    }
    let body = ctx.req.json_body()?;
    let malformed = || Fault::bad_request("Malformed request.");
    let keypair = body.get("keypair").ok_or_else(malformed)?;
    let name = keypair.get("name").ok_or_else(malformed)?;
    let name = name
        .as_str()
        .filter(|n| valid_name(n))
        .ok_or_else(|| Fault::bad_request("Invalid name format"))?;
    let key = (ctx.user.to_owned(), name.to_owned());
    if world.keypairs.contains_key(&key) {
        return Err(Fault::new(409, "A keypair with that name already exists"));
    }
    let (content, private) = match keypair.get("public_key") {
        Some(Value::String(content)) => (content.clone(), None),
        Some(_) => return Err(malformed()),
        None => {
            let (public, private) = generate(world);
            (public, Some(private))
        }
    };
    if content.chars().count() > MAX_CONTENT {
        return Err(Fault::bad_request(format!(
            "Public key is too long (more than {MAX_CONTENT} characters)"
        )));
    }
    let stored = Keypair {
        id: world.ids.next(IdKind::Keypair),
        name: name.to_owned(),
        fingerprint: fingerprint(&content),
        content,
        created: ctx.now,
        updated: ctx.now,
    };
    let mut reply = keypair_json(&stored, false);
    if let Some(private) = private {
        reply["keypair"]["private_key"] = json!(private);
    }
    world.keypairs.insert(key, stored);
    Ok(ApiResponse::json(201, &reply))
}

/// The caller's key named `name` (404 otherwise).
fn find<'a>(ctx: &Ctx<'_>, world: &'a World, name: &str) -> Result<&'a Keypair, Fault> {
    world
        .keypairs
        .get(&(ctx.user.to_owned(), name.to_owned()))
        .ok_or_else(|| Fault::item_not_found(format!("Keypair {name} not found.")))
}

/// `GET /os-keypairs/<name>`.
pub(crate) fn get(ctx: &Ctx<'_>, world: &mut World, name: &str) -> ApiResult {
    let keypair = find(ctx, world, name)?;
    Ok(ApiResponse::json(200, &keypair_json(keypair, true)))
}

/// `DELETE /os-keypairs/<name>`.
pub(crate) fn delete(ctx: &Ctx<'_>, world: &mut World, name: &str) -> ApiResult {
    find(ctx, world, name)?;
    world
        .keypairs
        .remove(&(ctx.user.to_owned(), name.to_owned()));
    Ok(ApiResponse::empty(204))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints() {
        // A well-formed key: MD5 of its blob.
        let blob = [
            &[0, 0, 0, 7][..],
            b"ssh-rsa",
            &[0, 0, 0, 1, 3],
            &[0, 0, 0, 2, 0, 0xc1],
        ]
        .concat();
        let line = format!("ssh-rsa {} me@host", base64::encode(&blob));
        let expected: Vec<String> = md5::digest(&blob)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(fingerprint(&line), expected.join(":"));
        // Truncated, unknown type, garbage.
        assert_eq!(
            fingerprint("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7 t@e"),
            "unknown fingerprint"
        );
        assert_eq!(fingerprint("ssh-ed25519 AAAA"), "unknown fingerprint");
        assert_eq!(fingerprint("nonsense"), "unknown fingerprint");
    }

    #[test]
    fn names_and_dates() {
        assert!(valid_name("my key"));
        assert!(valid_name("  x"));
        assert!(!valid_name("   "));
        assert!(!valid_name(""));
        assert!(!valid_name("\u{1}abc"));
        assert_eq!(
            naive_iso(time::macros::datetime!(2020-01-02 03:04:05.000006 UTC)),
            "2020-01-02T03:04:05.000006"
        );
    }
}
