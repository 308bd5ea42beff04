//! Status, subscription and expiry badges. A badge only ever shows what the provider sent: a
//! provider without status or subscription data gets no badge rather than an invented one.

use leptos::prelude::*;
use userdeck_providers::model::{Status, Subscription};
use userdeck_providers::time::date::Instant;

use crate::format::{days_until, money};

/// Active green, inactive grey, pending amber; an unknown word is shown as sent, outlined.
#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let (class, text) = match &status {
        Status::Active => ("badge badge-active", "Active".to_string()),
        Status::Inactive => ("badge badge-inactive", "Inactive".to_string()),
        Status::Pending => ("badge badge-pending", "Pending".to_string()),
        Status::Unknown(raw) => ("badge badge-unknown", raw.clone()),
    };
    view! { <span class=class>{text}</span> }
}

/// The words a subscription badge shows: plan · term, then "Trial" or "Inactive" where they
/// apply, then the cost. `None` when the provider sent nothing worth a badge.
pub fn subscription_summary(sub: &Subscription) -> Option<(String, &'static str)> {
    let mut parts: Vec<String> = Vec::new();
    let plan_term: Vec<&str> = [sub.plan.as_deref(), sub.term.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .collect();
    if !plan_term.is_empty() {
        parts.push(plan_term.join(" · "));
    }
    let class = if sub.free_trial == Some(true) {
        parts.push("Trial".to_string());
        "badge badge-trial"
    } else if sub.active == Some(false) {
        parts.push("Inactive".to_string());
        "badge badge-inactive"
    } else {
        "badge badge-plan"
    };
    if let Some(cost) = sub.cost {
        parts.push(money(cost));
    }
    (!parts.is_empty()).then(|| (parts.join(" · "), class))
}

/// One compact badge for a subscription.
#[component]
pub fn SubscriptionBadge(subscription: Subscription) -> impl IntoView {
    subscription_summary(&subscription)
        .map(|(text, class)| view! { <span class=class>{text}</span> })
}

/// "Expired" or "Expires in N days", so an operator sees at a glance whose access is ending.
#[component]
pub fn ExpiryBadge(expires: Instant, now_seconds: i64) -> impl IntoView {
    let days = days_until(expires, now_seconds);
    let (class, text) = match days {
        d if d < 0 => ("badge badge-expired", "Expired".to_string()),
        0 => ("badge badge-pending", "Expires today".to_string()),
        1 => ("badge badge-pending", "Expires in 1 day".to_string()),
        d if d <= 30 => ("badge badge-pending", format!("Expires in {d} days")),
        d => ("badge badge-inactive", format!("Expires in {d} days")),
    };
    view! { <span class=class>{text}</span> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscription_words() {
        let sub = Subscription {
            plan: Some("Gold".into()),
            term: Some("monthly".into()),
            cost: Some(2500.0),
            active: Some(true),
            free_trial: Some(false),
            ..Subscription::default()
        };
        assert_eq!(
            subscription_summary(&sub),
            Some(("Gold · monthly · 2,500.00".to_string(), "badge badge-plan"))
        );
        let trial = Subscription {
            free_trial: Some(true),
            ..sub.clone()
        };
        assert_eq!(
            subscription_summary(&trial).map(|s| s.1),
            Some("badge badge-trial")
        );
        let lapsed = Subscription {
            active: Some(false),
            cost: None,
            ..sub
        };
        assert_eq!(
            subscription_summary(&lapsed),
            Some((
                "Gold · monthly · Inactive".to_string(),
                "badge badge-inactive"
            ))
        );
        assert_eq!(subscription_summary(&Subscription::default()), None);
    }
}
