//! The configured providers, read at run time from the proxy: one static build serves any
//! deployment's list.

use userdeck_providers::{ProviderCatalog, ProviderInfo};

/// Why the provider list could not be read, as a sentence for the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderListError {
    /// The proxy wants an administrator sign-in.
    SignIn,
    /// Anything else, already phrased for people.
    Other(String),
}

/// Reads `GET {base}/api/providers`. A provider whose path is not under the proxy's forwarding
/// prefix is dropped rather than trusted, so a bad answer cannot point the console elsewhere.
pub async fn load(base: &str) -> Result<Vec<ProviderInfo>, ProviderListError> {
    let url = format!("{base}/api/providers");
    let mut request = gloo_net::http::Request::get(&url);
    if let Some(authorization) = crate::auth::authorization() {
        request = request.header("Authorization", &authorization);
    }
    let response = request.send().await.map_err(|err| {
        ProviderListError::Other(format!(
            "Could not reach the Userdeck server ({err}). Check your connection and reload."
        ))
    })?;
    match response.status() {
        200 => {}
        401 => return Err(ProviderListError::SignIn),
        status => {
            return Err(ProviderListError::Other(format!(
                "The Userdeck server answered {status} for the provider list. Reload, or ask your administrator to check the server's configuration."
            )));
        }
    }
    // Bytes, not `json()`: every other reader in the console parses bytes, so one JSON reader
    // is compiled in, not two.
    let unreadable = || {
        ProviderListError::Other("The Userdeck server sent a provider list this console cannot read. Reload; if it persists, the server and console versions may differ.".into())
    };
    let bytes = response.binary().await.map_err(|_| unreadable())?;
    let list: ProviderCatalog = serde_json::from_slice(&bytes).map_err(|_| unreadable())?;
    Ok(list
        .providers
        .into_iter()
        .filter(|p| p.path.starts_with("/api/p/") && !p.path.contains(".."))
        .collect())
}
