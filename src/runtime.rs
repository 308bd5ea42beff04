//! Deployment facts read at run time, never baked into the build: one static build serves many
//! deployments, under any sub-path.

/// The path prefix the console is served under, taken from the document's base URI (set by
/// `<base href>` in `index.html`, which a deployment may rewrite without rebuilding).
/// Returns `""` for the root, or a prefix like `/admin/users` without a trailing slash.
pub fn router_base() -> String {
    let base_uri = leptos::prelude::document().base_uri().ok().flatten();
    base_uri.map(|uri| base_path(&uri)).unwrap_or_default()
}

/// The provider an embed frame is locked to, when the page's path is `{base}/embed/p/{id}…`.
pub fn embedded_provider(base: &str) -> Option<String> {
    let path = leptos::prelude::window().location().pathname().ok()?;
    embed_provider_in(&path, base)
}

fn embed_provider_in(path: &str, base: &str) -> Option<String> {
    let rest = path.strip_prefix(base)?.strip_prefix("/embed/p/")?;
    let id = rest.split('/').next().unwrap_or_default();
    (!id.is_empty()).then(|| id.to_string())
}

/// Extracts the path of an absolute URL and trims its trailing slash, so `http://h/a/` is `/a`.
fn base_path(uri: &str) -> String {
    let after_scheme = uri.split_once("://").map(|(_, rest)| rest).unwrap_or(uri);
    let path = after_scheme
        .find('/')
        .map(|slash| &after_scheme[slash..])
        .unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    path.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::{base_path, embed_provider_in};

    #[test]
    fn embed_paths_name_their_provider() {
        assert_eq!(
            embed_provider_in("/admin/embed/p/rebilly/u/7", "/admin"),
            Some("rebilly".into())
        );
        assert_eq!(
            embed_provider_in("/embed/p/pngme", ""),
            Some("pngme".into())
        );
        assert_eq!(embed_provider_in("/embed/p/", ""), None);
        assert_eq!(embed_provider_in("/p/rebilly", ""), None);
        assert_eq!(embed_provider_in("/other/embed/p/x", "/admin"), None);
    }

    #[test]
    fn base_paths() {
        assert_eq!(base_path("http://127.0.0.1:8080/"), "");
        assert_eq!(
            base_path("https://portal.example/admin/users/"),
            "/admin/users"
        );
        assert_eq!(base_path("https://portal.example/admin/?x=1#y"), "/admin");
        assert_eq!(base_path("https://portal.example"), "");
        assert_eq!(base_path("not a url"), "");
    }
}
