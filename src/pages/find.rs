//! `/find?q=…`: one person searched on every provider at once. The page says what it took the
//! input for, lists each provider's state (how it was searched, its answer, its error or the
//! sentence saying it cannot be searched that way), and shows every match in one table with a
//! provider column, as each provider answers.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use userdeck_providers::find::{FIND_ROWS, FindPlan, plan_find};
use userdeck_providers::{Total, User};

use crate::api::providers::ProviderListError;
use crate::components::find_box::FindBox;
use crate::components::list_states::scan_text;
use crate::components::sign_in::SignIn;
use crate::format::{count, reveal_bidi};
use crate::nav::user_link;
use crate::state::catalog::ProviderList;
use crate::state::find::{FindRun, Outcome, start_find};

/// The search box, then the results of the search in the URL.
#[component]
pub fn FindPage() -> impl IntoView {
    let query_map = use_query_map();
    let list = expect_context::<ProviderList>();
    let text = Memo::new(move |_| query_map.read().get("q").unwrap_or_default());
    let plan = Memo::new(move |_| {
        let providers = list.0.get().and_then(Result::ok)?;
        plan_find(&text.get(), &providers)
    });
    view! {
        <section class="find-page" aria-labelledby="find-title">
            <h1 id="find-title">"Find a person"</h1>
            {move || view! { <FindBox initial=text.get()/> }}
            {move || match list.0.get() {
                None => view! { <p class="muted" role="status">"Loading the providers…"</p> }.into_any(),
                Some(Err(ProviderListError::SignIn)) => view! { <SignIn/> }.into_any(),
                Some(Err(ProviderListError::Other(message))) => view! {
                    <div class="banner banner-error" role="alert"><p>{message}</p></div>
                }.into_any(),
                Some(Ok(_)) => match plan.get() {
                    Some(plan) => view! { <FindResults plan/> }.into_any(),
                    None => view! {
                        <p class="muted">"Type an e-mail address, a phone number or a name: every provider is searched at once."</p>
                    }.into_any(),
                },
            }}
        </section>
    }
}

/// One provider's state in words.
fn describe(outcome: &Outcome, how: &str) -> String {
    match outcome {
        Outcome::Searching(Some(progress)) if progress.rows > 0 => {
            format!("{} ({how})", scan_text(*progress))
        }
        Outcome::Searching(_) => format!("Searching ({how})…"),
        Outcome::Found(users, total) => {
            let shown = users.len() as u64;
            let matches = |n: u64| match n {
                0 => "No match".to_string(),
                1 => "1 match".to_string(),
                n => format!("{} matches", count(n)),
            };
            match total {
                Total::Exact(n) if *n > shown => {
                    format!(
                        "{}, the first {} shown: narrow the search ({how})",
                        matches(*n),
                        count(shown)
                    )
                }
                Total::Exact(_) => format!("{} ({how})", matches(shown)),
                // Without a total, a page that is not full is the end of the matches.
                _ if shown < u64::from(FIND_ROWS) => format!("{} ({how})", matches(shown)),
                _ => format!(
                    "At least {} matches: narrow the search ({how})",
                    count(shown)
                ),
            }
        }
        Outcome::Failed(error) => error.to_string(),
        Outcome::Cannot(sentence) => sentence.clone(),
        Outcome::Cancelled => "Cancelled before it answered.".to_string(),
    }
}

/// The running search: what the input was taken for, each provider's state, and the matches.
#[component]
fn FindResults(plan: FindPlan) -> impl IntoView {
    let FindRun {
        plan,
        outcomes,
        cancel,
        retry,
    } = start_find(plan);
    let took = format!(
        "Searching for {} \u{201c}{}\u{201d}.",
        plan.needle.described(),
        plan.needle.text()
    );
    let searches = plan.searches;
    let states = outcomes.clone();
    let searching = move || {
        states
            .iter()
            .any(|o| o.with(|o| matches!(o, Outcome::Searching(_))))
    };
    let still_searching = searching.clone();
    let answered = {
        let outcomes = outcomes.clone();
        move || {
            let waiting = outcomes
                .iter()
                .filter(|o| o.with(|o| matches!(o, Outcome::Searching(_))))
                .count();
            match waiting {
                0 => "Every provider has answered.".to_string(),
                1 => "Waiting for 1 provider…".to_string(),
                n => format!("Waiting for {n} providers…"),
            }
        }
    };
    let notes = searches
        .iter()
        .zip(&outcomes)
        .enumerate()
        .map(|(index, (search, outcome))| {
            let outcome = *outcome;
            let how = search.how.clone();
            let label = search.info.label.clone();
            let again = move || {
                outcome.with(|o| matches!(o, Outcome::Failed(_) | Outcome::Cancelled))
            };
            view! {
                <li data-provider=search.info.id.clone() class:find-error=move || outcome.with(|o| matches!(o, Outcome::Failed(_)))>
                    <span class="find-provider">{label.clone()}</span>
                    <span>{move || outcome.with(|o| describe(o, &how))}</span>
                    {move || again().then(|| view! {
                        <button type="button" class="button button-small" aria-label=format!("Search {label} again")
                            on:click=move |_| retry.run(index)>"Retry"</button>
                    })}
                </li>
            }
        })
        .collect_view();
    let rows = move || {
        searches
            .iter()
            .zip(&outcomes)
            .flat_map(|(search, outcome)| {
                let found: Vec<User> = outcome.with(|o| match o {
                    Outcome::Found(users, _) => users.clone(),
                    _ => Vec::new(),
                });
                let (id, label) = (search.info.id.clone(), search.info.label.clone());
                found.into_iter().map(move |user| {
                    let href = user_link(&id, &user.key);
                    let phone = user.phones.first().map(|p| p.number.clone()).unwrap_or_default();
                    view! {
                        <tr data-provider=id.clone()>
                            <th scope="row" class="cell-name"><A href=href><bdi>{reveal_bidi(&user.display_name)}</bdi></A></th>
                            <td>{label.clone()}</td>
                            <td><bdi>{user.email.as_deref().map(reveal_bidi).unwrap_or_default()}</bdi></td>
                            <td>{phone}</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    view! {
        <p class="find-took" data-testid="find-took">{took}</p>
        <div class="scan-status" role="status">
            <span>{answered}</span>
            {move || still_searching().then(|| view! {
                <button type="button" class="button button-small" on:click=move |_| cancel.run(())>"Cancel"</button>
            })}
        </div>
        <ul class="find-providers" aria-label="Providers searched" data-testid="find-providers">{notes}</ul>
        <div class="table-scroll" tabindex="0" role="region" aria-label="People found">
            <table class="user-table find-table" data-testid="find-table">
                <thead>
                    <tr>
                        <th scope="col" class="col-name">"Name"</th>
                        <th scope="col">"Provider"</th>
                        <th scope="col">"E-mail"</th>
                        <th scope="col">"Phone"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::list::Progress;

    #[test]
    fn each_state_reads_as_a_sentence() {
        let how = "exact e-mail filter";
        assert_eq!(
            describe(&Outcome::Searching(None), how),
            "Searching (exact e-mail filter)…"
        );
        assert_eq!(
            describe(&Outcome::Found(Vec::new(), Total::Exact(0)), how),
            "No match (exact e-mail filter)"
        );
        assert_eq!(
            describe(&Outcome::Found(Vec::new(), Total::Exact(140)), how),
            "140 matches, the first 0 shown: narrow the search (exact e-mail filter)"
        );
        assert_eq!(
            describe(&Outcome::Found(Vec::new(), Total::AtLeast(0)), how),
            "No match (exact e-mail filter)"
        );
        let progress = Progress {
            rows: 400,
            expected: Some(2000),
        };
        assert_eq!(
            describe(&Outcome::Searching(Some(progress)), "a scan"),
            "Loading 400 of ~2,000 users… (a scan)"
        );
        assert_eq!(
            describe(
                &Outcome::Cannot("Nameshield cannot be searched by phone.".into()),
                how
            ),
            "Nameshield cannot be searched by phone."
        );
    }
}
