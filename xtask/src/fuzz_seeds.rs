//! The first corpus of each fuzz target, from the providers' documented example responses
//! (`docs/providers/fixtures/`, and for Rebilly the examples in its OpenAPI definition), the
//! example proxy config and URLs the console writes. Written afresh before every run, so the
//! fixtures stay the one source.

use std::path::Path;

use crate::cmd::{Result, root};

/// A Rebilly user list built from the example values in `rebilly-users.openapi.yaml` (the id,
/// `AclPermissions`, `AllowedIps` and the `Pagination-*` header examples), since that file
/// gives examples per field rather than one whole response.
const REBILLY_LIST: &str = "200\nPagination-Total: 332\nPagination-Limit: 100\nPagination-Offset: 2\n\n\
[{\"id\":\"usr_0YVCEENYJ3D7Q9EN6BN16HA0G4\",\"email\":\"ann@example.com\",\"firstName\":\"Ann\",\
\"lastName\":\"Lee\",\"businessPhone\":\"+1 555 0100\",\"mobilePhone\":null,\"status\":\"pending-confirmation\",\
\"country\":\"US\",\"reportingCurrency\":\"USD\",\"permissions\":[\"PostFile\",\"StorefrontGetAccount\"],\
\"allowedIps\":[\"153.12.32.33\",\"201.54.122.0/24\",\"2001:db8:abcd:12::0/64\"],\"totpRequired\":false,\
\"createdTime\":\"2024-01-15T10:30:00Z\",\"updatedTime\":\"2024-01-15T10:30:00+02:00\",\"loginTime\":null,\
\"_links\":[{\"href\":\"/users/usr_0YVCEENYJ3D7Q9EN6BN16HA0G4\",\"rel\":\"self\"}]}]";

const REBILLY_ERRORS: [&str; 2] = [
    "422\nContent-Type: application/problem+json\n\n{\"type\":\"about:blank\",\"title\":\"Invalid data\",\
     \"status\":422,\"detail\":\"Filter is invalid.\",\"invalidFields\":[{\"field\":\"filter\",\"message\":\"bad\"}]}",
    "429 1700000000\nX-RateLimit-Retry-After: 1700000060\n\n{\"title\":\"Too Many Requests\",\"status\":429}",
];

/// Answers every provider can send besides its list.
const COMMON_ERRORS: [&str; 4] = [
    "429\nRetry-After: 30\n\n{\"message\":\"Too Many Requests\"}",
    "401\n\n{\"message\":\"Unauthorized\",\"success\":false}",
    "500\nContent-Type: text/html\n\n<html><body>Internal Server Error</body></html>",
    "204\n\n",
];

const URLS: [&str; 4] = [
    "q=ann&sort=-created,name&page=3&size=50",
    "f.status=in:active,pending&f.created=range:2024-01-01..2024-12-31T23:59:59Z&f.email=has:@example",
    "f.free_trial=eq:true&f.first_name=not:Bob&f.country=eq:GB&f.plan=in:a\\,b,c\\\\d",
    "page=0&size=1000000&sort=-bogus,<script>,name&f.nope=eq:x&q=%E2%9C%93%20%2F%3F%23",
];

/// A config with every section the example leaves commented out.
const PROXY_CONFIG: &str = "[server]\nallowed_origins = [\"http://127.0.0.1:8080\"]\n\
upstream_timeout_ms = 2000\nmax_response_bytes = 1048576\n\n[auth]\nmode = \"basic\"\n\
failed_logins_per_minute = 5\n[[auth.users]]\nname = \"ops\"\npassword_hash = \"$argon2id$v=19$m=19456,t=2,p=1$MokTOm8RA28xwmFesUwnKg$RrS8JvKBr52h8UKDDumsVrcA3eVpN9El5dtLEdyGj+o\"\n\n\
[[providers]]\nid = \"rebilly\"\nkind = \"rebilly\"\nbase_url = \"https://api.rebilly.com/organizations/org_1\"\n\
organization_id = \"org_1\"\nsecret_file = \"rebilly.key\"\nmax_page_size = 100\n\
rate_limit = { requests = 10, per_seconds = 1 }\n\n[[providers]]\nid = \"ns\"\nkind = \"nameshield\"\n\
base_url = \"https://api.nameshield.net\"\ncustomer_id = 42\nsecret_env = \"NS_TOKEN\"\n";

/// The hostile `config.json` bodies the browser test serves (`tests/e2e/hostile-config.spec.ts`),
/// its megabyte of junk cut to just past the size limit, and a direct-only config.
const CONSOLE_CONFIGS: [&str; 6] = [
    "{\"proxy\": 42, \"providers\": {\"a\": 1}}",
    "{\"providers\":[{\"id\":\"s\",\"kind\":\"stripe\",\"mode\":\"direct\",\"base_url\":\"https://x.example\"}]}",
    "{\"providers\":[{\"id\":\"r\",\"kind\":\"rebilly\",\"mode\":\"direct\",\"base_url\":\"javascript:alert(1)\"}]}",
    "{\"proxy\": \"javascript:alert(document.domain)\"}",
    "<?xml version=\"1.0\"?><config/>",
    "{\"proxy\": null, \"providers\": [{\"id\": \"p\", \"kind\": \"pngme\", \"mode\": \"direct\", \"base_url\": \"http://127.0.0.1:9/\", \"max_page_size\": 20, \"label\": null}], \"embed\": {\"allowed_parents\": [\"http://127.0.0.1:18310\"]}, \"theme\": \"dark\", \"support_url\": \"https://help.example.com/userdeck\"}",
];

/// The browser test's junk pattern, repeated until the body is just over the console's 64 KiB
/// limit: enough to reach the size refusal without AFL spending its time on a megabyte.
fn oversized_config() -> Vec<u8> {
    b"\0{]".repeat(64 * 1024 / 3 + 1)
}

fn read(relative: &str) -> Result<Vec<u8>> {
    let path = root().join(relative);
    std::fs::read(&path).map_err(|err| format!("cannot read the seed {}: {err}", path.display()))
}

/// A response seed: `200` and the fixture for a provider's list.
fn fixture_list(provider: &str) -> Result<Vec<u8>> {
    let mut seed = b"200\nContent-Type: application/json\n\n".to_vec();
    seed.extend(read(&format!(
        "docs/providers/fixtures/{provider}-users.json"
    ))?);
    Ok(seed)
}

fn seeds(target: &str) -> Result<Vec<Vec<u8>>> {
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    match target {
        "rebilly" => {
            seeds.push(REBILLY_LIST.into());
            seeds.extend(REBILLY_ERRORS.map(Vec::from));
            seeds.extend(COMMON_ERRORS.map(Vec::from));
        }
        "url_state" => seeds.extend(URLS.map(Vec::from)),
        "proxy_toml" => {
            seeds.push(read("config/userdeck.example.toml")?);
            seeds.push(PROXY_CONFIG.into());
        }
        "console_config" => {
            seeds.push(read("config/console.example.json")?);
            seeds.extend(CONSOLE_CONFIGS.map(Vec::from));
            seeds.push(oversized_config());
        }
        "rebilly_filter" => {
            // Structured input is read from raw bytes: any bytes are a start, and the URLs
            // and the Rebilly list give the fuzzer field values and dates to splice.
            seeds.push((0u8..=255).collect());
            seeds.push(REBILLY_LIST.into());
            seeds.extend(URLS.map(Vec::from));
        }
        provider => {
            let list = fixture_list(provider)?;
            // The list cut in half: a truncated body must be a typed error.
            seeds.push(list[..list.len() / 2].to_vec());
            seeds.push(list);
            seeds.extend(COMMON_ERRORS.map(Vec::from));
        }
    }
    Ok(seeds)
}

/// Writes `target`'s seeds into `dir`, replacing whatever an earlier run left there.
pub fn write(target: &str, dir: &Path) -> Result {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)
        .map_err(|err| format!("cannot create the seed folder {}: {err}", dir.display()))?;
    for (i, seed) in seeds(target)?.iter().enumerate() {
        let path = dir.join(format!("seed-{i:02}"));
        std::fs::write(&path, seed)
            .map_err(|err| format!("cannot write the seed {}: {err}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzz::TARGETS;

    #[test]
    fn every_target_has_seeds_and_provider_seeds_hold_the_fixture() {
        for target in TARGETS {
            let seeds = seeds(target).expect("the seed files are in the repository");
            assert!(seeds.len() >= 2, "{target}");
        }
        let pngme = seeds("pngme").expect("valid");
        assert!(pngme[1].starts_with(b"200\n"));
        assert_eq!(pngme[1].len(), pngme[0].len() * 2 + pngme[1].len() % 2);
        let configs = seeds("console_config").expect("valid");
        assert!(configs[0].starts_with(b"{\n  \"$comment\""));
        assert!(configs.last().is_some_and(|junk| junk.len() > 64 * 1024));
    }
}
