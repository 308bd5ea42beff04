//! Two `userdeck` replicas sharing one `redis-server` (`[shared_state]`), against one set of
//! simulators that count what reaches them: the provider's rate limit and concurrency bound and
//! the failed sign-in limit hold across both, and losing the store gives the documented
//! behaviour (503 for sign-ins, each replica's share of a provider limit) until it is back.

mod behind_nginx;
mod harness;

use std::time::{Duration, Instant};

use harness::{Auth, Redis, Replica, Sim, burst, config, count, free_port, get, list};
use userdeck_providers::ProviderKind;

const HOUR_LIMIT: u32 = 12;

/// Two replicas with the same configuration. Each is signed in to once (a route that calls no
/// provider), so a burst is not also a burst of first verifications.
async fn pair(config_text: &str, auth: Auth, base: u16, taken: &[u16]) -> (Replica, Replica) {
    let a = free_port(base, taken);
    let a = Replica::start(config_text, a).await;
    let b = free_port(base, &[taken, &[a.addr.port()]].concat());
    let b = Replica::start(config_text, b).await;
    let client = reqwest::Client::new();
    for replica in [&a, &b] {
        let (status, body) = get(
            &client,
            &replica.url("/api/providers"),
            &auth,
            Some(harness::TOKEN),
        )
        .await;
        assert!(status == 200, "{status}: {body}");
    }
    (a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_split_across_two_replicas_stays_within_the_providers_limit() {
    let redis = Redis::start(free_port(18600, &[]));
    let sim = Sim::start().await;
    let text = config(&sim, Some(&redis), &Auth::Bearer(10), HOUR_LIMIT, 16, 5000);
    let (a, b) = pair(&text, Auth::Bearer(10), 18600, &[redis.port]).await;

    let statuses = burst(&[&a, &b], 40, Auth::Bearer(10)).await;

    let reached = sim.state.requests(ProviderKind::Nameshield);
    println!(
        "simulator counted {reached} of limit {HOUR_LIMIT} across 2 replicas (40 sent: {} × 200, {} × 429)",
        count(&statuses, 200),
        count(&statuses, 429)
    );
    assert_eq!(
        reached,
        u64::from(HOUR_LIMIT),
        "{statuses:?}\n{}\n{}",
        a.log(),
        b.log()
    );
    assert_eq!(count(&statuses, 200), HOUR_LIMIT as usize, "{statuses:?}");
    assert_eq!(
        count(&statuses, 429),
        40 - HOUR_LIMIT as usize,
        "{statuses:?}"
    );
}

/// The control for the test above: without the store each replica has the whole limit, so the
/// provider gets twice it. This is what `[shared_state]` exists to prevent.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_the_store_each_replica_keeps_a_whole_limit_of_its_own() {
    let sim = Sim::start().await;
    let text = config(&sim, None, &Auth::Bearer(10), HOUR_LIMIT, 16, 5000);
    let (a, b) = pair(&text, Auth::Bearer(10), 18610, &[]).await;

    let statuses = burst(&[&a, &b], 40, Auth::Bearer(10)).await;

    assert_eq!(
        sim.state.requests(ProviderKind::Nameshield),
        2 * u64::from(HOUR_LIMIT),
        "{statuses:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn failed_sign_ins_are_counted_across_both_replicas() {
    let redis = Redis::start(free_port(18620, &[]));
    let sim = Sim::start().await;
    let auth = Auth::Bearer(4);
    let text = config(&sim, Some(&redis), &auth, HOUR_LIMIT, 16, 5000);
    let (a, b) = pair(&text, auth, 18620, &[redis.port]).await;
    let client = reqwest::Client::new();

    let mut statuses = Vec::new();
    for n in 0..12 {
        let replica = if n % 2 == 0 { &a } else { &b };
        let wrong = format!("wrong-token-{n}");
        statuses.push(
            get(&client, &replica.url(harness::USERS), &auth, Some(&wrong))
                .await
                .0,
        );
    }
    println!(
        "12 wrong tokens alternating between 2 replicas, 4 allowed per client: {} × 401, {} × 429",
        count(&statuses, 401),
        count(&statuses, 429)
    );
    assert_eq!(count(&statuses, 401), 4, "{statuses:?}");
    assert_eq!(count(&statuses, 429), 8, "{statuses:?}");
    for replica in [&a, &b] {
        let (status, body) = list(&client, replica, &auth).await;
        assert_eq!(
            status, 429,
            "locked out on every replica, right token included: {body}"
        );
    }
    assert_eq!(sim.state.requests(ProviderKind::Nameshield), 0);
}

/// Polls `check` every 50 ms until it holds or `within` has passed; how long it took.
async fn eventually<F, Fut>(within: Duration, mut check: F) -> Option<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while started.elapsed() < within {
        if check().await {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn losing_the_store_fails_sign_ins_closed_and_recovery_is_automatic() {
    let mut redis = Redis::start(free_port(18630, &[]));
    let sim = Sim::start().await;
    let auth = Auth::Bearer(10);
    let text = config(&sim, Some(&redis), &auth, 1000, 16, 5000);
    let (a, b) = pair(&text, auth, 18630, &[redis.port]).await;
    let client = reqwest::Client::new();
    for replica in [&a, &b] {
        assert_eq!(list(&client, replica, &auth).await.0, 200);
        assert_eq!(replica.store_state().await, "reachable");
    }

    redis.kill();
    for replica in [&a, &b] {
        let (status, body) = list(&client, replica, &auth).await;
        assert_eq!(status, 503, "{body}");
        assert!(
            body.contains("sign-in-unavailable")
                && body.contains(
                    "cannot check sign-ins right now because its shared state store is unreachable"
                ),
            "{body}"
        );
        let (status, _) = get(
            &client,
            &replica.url(harness::USERS),
            &auth,
            Some("a-guess"),
        )
        .await;
        assert_eq!(
            status, 503,
            "a guess is not verified without the store either"
        );
        assert_eq!(replica.store_state().await, "unreachable");
        assert!(
            replica.log().contains("shared state store unreachable"),
            "{}",
            replica.log()
        );
    }

    redis.restart();
    let recovered = eventually(Duration::from_secs(10), || async {
        list(&client, &a, &auth).await.0 == 200 && list(&client, &b, &auth).await.0 == 200
    })
    .await;
    println!("sign-ins answered again {recovered:?} after the store came back");
    assert!(recovered.is_some(), "{}", a.log());
    for replica in [&a, &b] {
        assert_eq!(replica.store_state().await, "reachable");
        assert!(replica.log().contains("shared state store reachable"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn losing_the_store_leaves_each_replica_its_share_of_the_provider_limit() {
    let mut redis = Redis::start(free_port(18640, &[]));
    let sim = Sim::start().await;
    let auth = Auth::TrustedHeader;
    let limit: u32 = 10;
    let text = config(&sim, Some(&redis), &auth, limit, 16, 5000);
    let (a, b) = pair(&text, auth, 18640, &[redis.port]).await;

    // Shared: 4 of the 10 go out, 2 through each replica.
    let before = burst(&[&a, &b], 4, auth).await;
    assert_eq!(count(&before, 200), 4, "{before:?}");

    // Lost: each replica keeps half the limit (10 / 2 replicas), less what it already sent.
    redis.kill();
    let during = burst(&[&a, &b], 20, auth).await;
    let reached = sim.state.requests(ProviderKind::Nameshield);
    println!(
        "store down: {} of 20 passed; simulator counted {reached} of limit {limit} in the window",
        count(&during, 200)
    );
    assert_eq!(count(&during, 200), 6, "{during:?}");
    assert_eq!(count(&during, 429), 14, "{during:?}");
    assert_eq!(reached, u64::from(limit));
    for replica in [&a, &b] {
        assert_eq!(replica.store_state().await, "unreachable");
        assert!(
            replica
                .log()
                .contains("provider limits fall back to each replica's share"),
            "{}",
            replica.log()
        );
    }

    // Back (empty, as a store without persistence restarts): the shared bucket is full again
    // and counted jointly; each replica's own share is spent, so only sharing lets these pass.
    redis.restart();
    let recovered = eventually(Duration::from_secs(10), || async {
        a.store_state().await == "reachable" && b.store_state().await == "reachable"
    })
    .await;
    assert!(recovered.is_some(), "{}", a.log());
    let after = burst(&[&a, &b], 20, auth).await;
    assert_eq!(count(&after, 200), limit as usize, "{after:?}");
    assert_eq!(
        sim.state.requests(ProviderKind::Nameshield),
        2 * u64::from(limit)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_concurrency_bound_is_shared_and_a_crashed_replicas_slots_expire() {
    let redis = Redis::start(free_port(18650, &[]));
    let sim = Sim::start().await;
    let auth = Auth::TrustedHeader;
    // Two slots between both replicas; a lease lasts the upstream timeout and one second.
    let text = config(&sim, Some(&redis), &auth, 1000, 2, 2000);
    let (mut a, b) = pair(&text, auth, 18650, &[redis.port]).await;
    let slow = userdeck_sim::Faults {
        latency_ms: 200,
        ..userdeck_sim::Faults::default()
    };
    sim.state.set_faults(ProviderKind::Nameshield, slow.clone());

    let statuses = burst(&[&a, &b], 6, auth).await;
    println!(
        "6 calls of 200 ms across 2 replicas with 2 shared slots: at most {} in flight",
        sim.most_in_flight()
    );
    assert_eq!(count(&statuses, 200), 6, "{statuses:?}");
    assert_eq!(sim.most_in_flight(), 2);

    // Replica a takes both slots with calls that will not finish, then dies holding them.
    sim.state.set_faults(
        ProviderKind::Nameshield,
        userdeck_sim::Faults {
            latency_ms: 10_000,
            ..userdeck_sim::Faults::default()
        },
    );
    let url = a.url(harness::USERS);
    let holders: Vec<_> = (0..2)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move {
                let _ = reqwest::Client::new()
                    .get(url)
                    .header("X-Forwarded-User", "ops")
                    .send()
                    .await;
            })
        })
        .collect();
    let held = eventually(Duration::from_secs(2), || async { sim.in_flight() == 2 }).await;
    assert!(held.is_some(), "replica a did not take both slots");
    a.crash();
    let crashed = Instant::now();
    sim.state
        .set_faults(ProviderKind::Nameshield, userdeck_sim::Faults::default());
    let client = reqwest::Client::new();

    let (status, body) = list(&client, &b, &auth).await;
    assert_eq!(status, 503, "the dead replica's leases still count: {body}");
    assert!(body.contains("in flight"), "{body}");
    let freed = eventually(Duration::from_secs(5), || async {
        list(&client, &b, &auth).await.0 == 200
    })
    .await;
    println!(
        "slots of a crashed replica were free again {:?} after the crash (lease: 3 s)",
        crashed.elapsed()
    );
    assert!(freed.is_some(), "{}", b.log());
    assert!(crashed.elapsed() >= Duration::from_millis(2500));
    for holder in holders {
        holder.abort();
    }
}

/// The store's script applies the same rule as the in-process limiter, decision for decision:
/// 9 rounds of guesses from 30 addresses against 10 per client and 20 in total, then a client
/// with a clean record, which is verified whatever the others did.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shared_sign_in_rule_decides_exactly_as_the_in_process_one() {
    use userdeck_proxy::config::FailureLimits;
    use userdeck_proxy::shared_state::Store;
    use userdeck_proxy::shared_state::config::SharedStateSettings;
    use userdeck_proxy::shared_state::failed_logins::SignInLimits;

    let redis = Redis::start(free_port(18670, &[]));
    let store = Store::start(&SharedStateSettings {
        url: redis.url(),
        replicas: 2,
        timeout: Duration::from_secs(1),
        key_prefix: "parity".into(),
        username: None,
        password: None,
    })
    .expect("store");
    assert!(store.connected_within(Duration::from_secs(5)).await);
    let limits = FailureLimits {
        per_client: 10,
        total: 20,
    };
    let local = SignInLimits::new(limits, None);
    let shared = SignInLimits::new(limits, Some(&store));
    let now = Instant::now();
    let mut decisions = [Vec::new(), Vec::new()];
    for (limiter, decided) in [&local, &shared].into_iter().zip(decisions.iter_mut()) {
        for _ in 0..9 {
            for n in 0..30 {
                let client = format!("10.1.0.{n}").parse().expect("ip");
                let place = limiter.begin(client, now).await.expect("store reachable");
                decided.push(place.is_ok());
                if let Ok(place) = place {
                    limiter.failed(place);
                }
            }
        }
        let admin = "192.0.2.10".parse().expect("ip");
        let place = limiter.begin(admin, now).await.expect("store reachable");
        decided.push(place.is_ok());
        if let Ok(place) = place {
            limiter.succeeded(place).await;
        }
        assert_eq!(
            limiter.blocked(admin, now).await.expect("store reachable"),
            None
        );
    }
    let verified = decisions[1].iter().filter(|ok| **ok).count();
    println!(
        "shared: {verified} of 271 attempts verified (each address's first, 20 of them in the shared allowance, and the admin)"
    );
    assert_eq!(decisions[0], decisions[1]);
    assert_eq!(
        decisions[1].last(),
        Some(&true),
        "the clean client is verified"
    );
    assert!(verified <= 20 + 30 + 1, "{verified}");
}
