//! Table-driven: for each provider and kind of query, the exact first request on the wire
//! (path, percent-encoded query, headers with credentials) and what the planner pushes down.

use userdeck_providers::query::Value;
use userdeck_providers::{
    Capabilities, Credentials, Direction, Execution, Field, Filter, FilterOp, PageRequest,
    PlanConfig, ProviderKind, Query, SortKey, Strategy, Timestamp, plan,
};

fn eq(field: Field, v: &str) -> Filter {
    Filter {
        field,
        op: FilterOp::Equals(Value::Text(v.into())),
    }
}

fn contains(field: Field, v: &str) -> Filter {
    Filter {
        field,
        op: FilterOp::Contains(v.into()),
    }
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("valid timestamp")
}

fn range(field: Field, from: Option<&str>, to: Option<&str>) -> Filter {
    Filter {
        field,
        op: FilterOp::Range {
            from: from.map(|s| Value::Instant(ts(s))),
            to: to.map(|s| Value::Instant(ts(s))),
        },
    }
}

fn sort(field: Field, direction: Direction) -> SortKey {
    SortKey { field, direction }
}

fn page(index: u64, size: u32) -> PageRequest {
    PageRequest { index, size }
}

/// The first request a plan sends, with credentials, as `path?query` and headers.
fn first_request(kind: ProviderKind, query: &Query) -> (String, Vec<(String, String)>) {
    let caps = Capabilities::of(kind);
    let mut execution = Execution::new(plan(query, &caps, &PlanConfig::default()));
    let batch = execution.next_fetches().expect("plans a request");
    let mut request = batch.into_iter().next().expect("one request").request;
    Credentials::for_kind(kind, "KEY")
        .apply(kind, &mut request)
        .expect("credentials fit");
    (request.path_and_query(), request.headers)
}

#[test]
fn exact_requests_per_provider_and_operation() {
    use Direction::*;
    use ProviderKind::*;
    type Case<'a> = (ProviderKind, Query, &'a str, Vec<(&'a str, &'a str)>);
    let cases: Vec<Case> = vec![
        (
            PressOne,
            Query::default(),
            "/api/third-party/partner/user/?page_index=1&page_size=50",
            vec![
                ("Authorization", "Bearer KEY"),
                ("Pressone-X-Api-Key", "KEY"),
            ],
        ),
        (
            PressOne,
            Query {
                filters: vec![eq(Field::Email, "a+b@x.io")],
                page: page(2, 20),
                ..Query::default()
            },
            "/api/third-party/partner/user/?email=a%2Bb%40x.io&page_index=3&page_size=20",
            vec![
                ("Authorization", "Bearer KEY"),
                ("Pressone-X-Api-Key", "KEY"),
            ],
        ),
        (
            PressOne,
            Query {
                filters: vec![eq(Field::Phone, "+2348012345678")],
                ..Query::default()
            },
            "/api/third-party/partner/user/?mobile=%2B2348012345678&page_index=1&page_size=50",
            vec![
                ("Authorization", "Bearer KEY"),
                ("Pressone-X-Api-Key", "KEY"),
            ],
        ),
        (
            PressOne,
            Query {
                page: page(0, 500),
                ..Query::default()
            },
            "/api/third-party/partner/user/?page_index=1&page_size=100",
            vec![
                ("Authorization", "Bearer KEY"),
                ("Pressone-X-Api-Key", "KEY"),
            ],
        ),
        (
            Pngme,
            Query {
                search: Some(" ali ".into()),
                filters: vec![eq(Field::DeviceId, "b53b"), eq(Field::Phone, "234")],
                ..Query::default()
            },
            "/users?search=ali&device_id=b53b&phone_number=234&page=1",
            vec![("Authorization", "Bearer KEY")],
        ),
        (
            Pngme,
            Query {
                filters: vec![range(
                    Field::Created,
                    Some("2021-11-16T21:00:00.5Z"),
                    Some("2021-12-01T00:00:00Z"),
                )],
                ..Query::default()
            },
            "/users?created_after=2021-11-16T20%3A59%3A59Z&created_before=2021-12-01T00%3A00%3A01Z&page=1",
            vec![("Authorization", "Bearer KEY")],
        ),
        (
            Nameshield,
            Query {
                filters: vec![
                    contains(Field::FirstName, "ali"),
                    eq(Field::Email, "j@x.fr"),
                ],
                sort: vec![
                    sort(Field::LastName, Descending),
                    sort(Field::FirstName, Ascending),
                ],
                page: page(2, 25),
                ..Query::default()
            },
            "/user/v1/users?firstname=%2Aali%2A&email=j%40x.fr&sort%5B%5D=lastname%3Adesc&sort%5B%5D=firstname%3Aasc&limit=25&offset=50",
            vec![("Authorization", "Bearer KEY")],
        ),
        (
            Nameshield,
            Query {
                filters: vec![eq(Field::LastName, "a*b")],
                ..Query::default()
            },
            "/user/v1/users?lastname=a%2Ab&limit=500&offset=0",
            vec![("Authorization", "Bearer KEY")],
        ),
        (
            Rebilly,
            Query {
                search: Some("doe".into()),
                filters: vec![
                    eq(Field::Status, "pending"),
                    Filter {
                        field: Field::Country,
                        op: FilterOp::OneOf(vec![
                            Value::Text("FR".into()),
                            Value::Text("DE".into()),
                        ]),
                    },
                    range(Field::Created, Some("2024-01-01T00:00:00Z"), None),
                    Filter {
                        field: Field::Id,
                        op: FilterOp::Not(Value::Text("usr_1".into())),
                    },
                ],
                sort: vec![
                    sort(Field::Created, Descending),
                    sort(Field::LastName, Ascending),
                ],
                page: page(1, 50),
            },
            // `id:!usr_1` only narrows (Rebilly's negation also matches a blank id), so the
            // page is cut from a scan that still sends it to fetch less.
            "/users?limit=1000&offset=0&sort=-createdTime%2ClastName&filter=status%3Apending-confirmation%3Bcountry%3AFR%2CDE%3BcreatedTime%3A2024-01-01T00%3A00%3A00Z..%3Bid%3A%21usr_1&q=doe",
            vec![("REB-APIKEY", "KEY")],
        ),
        (
            Rebilly,
            Query {
                page: page(30, 50),
                ..Query::default()
            },
            "/users?limit=550&offset=1000",
            vec![("REB-APIKEY", "KEY")],
        ),
        (
            ActivePlatform,
            Query {
                filters: vec![eq(Field::Status, "Inactive"), eq(Field::Email, "o@ap.com")],
                sort: vec![sort(Field::Email, Descending)],
                page: page(2, 100),
                ..Query::default()
            },
            "/api/vendor/v1/users.json?api_token=KEY&page=3&per_page=100&sorting%5Bfield%5D=email&sorting%5Breversed%5D=true&filters%5Bstatus%5D=inactive&filters%5Bemail%5D=o%40ap.com",
            vec![],
        ),
    ];
    for (kind, query, url, headers) in cases {
        let (got_url, got_headers) = first_request(kind, &query);
        assert_eq!(got_url, url, "{kind:?} {query:?}");
        let want: Vec<(String, String)> = headers
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(got_headers, want, "{kind:?}");
    }
}

/// Which filter fields are pushed, which stay in memory, and the strategy.
#[test]
fn push_down_versus_residual() {
    use Direction::*;
    use ProviderKind::*;
    struct Case {
        kind: ProviderKind,
        query: Query,
        pushed: Vec<Field>,
        residual: Vec<Field>,
        sort_pushed: bool,
        search_pushed: Option<bool>,
        strategy: Strategy,
    }
    let q = |filters: Vec<Filter>, sort: Vec<SortKey>, search: Option<&str>| Query {
        search: search.map(String::from),
        filters,
        sort,
        page: PageRequest::default(),
    };
    let cases = vec![
        // PressOne: e-mail or mobile, never both; no sort, no search.
        Case {
            kind: PressOne,
            query: q(
                vec![eq(Field::Email, "a@b.c"), eq(Field::Phone, "1")],
                vec![],
                None,
            ),
            pushed: vec![Field::Email],
            residual: vec![Field::Phone],
            sort_pushed: false,
            search_pushed: None,
            strategy: Strategy::FullScan,
        },
        Case {
            kind: PressOne,
            query: q(vec![contains(Field::Email, "a")], vec![], Some("x")),
            pushed: vec![],
            residual: vec![Field::Email],
            sort_pushed: false,
            search_pushed: Some(false),
            strategy: Strategy::FullScan,
        },
        Case {
            kind: PressOne,
            query: q(vec![eq(Field::Phone, "1")], vec![], None),
            pushed: vec![Field::Phone],
            residual: vec![],
            sort_pushed: false,
            search_pushed: None,
            strategy: Strategy::Direct,
        },
        // Pngme: search and exact ids pushed; dates narrowed and re-checked; never sorts.
        Case {
            kind: Pngme,
            query: q(
                vec![
                    eq(Field::ExternalId, "003"),
                    range(Field::Created, Some("2021-01-01T00:00:00Z"), None),
                ],
                vec![],
                Some("ali"),
            ),
            pushed: vec![Field::ExternalId, Field::Created],
            residual: vec![Field::Created],
            sort_pushed: false,
            search_pushed: Some(true),
            strategy: Strategy::FullScan,
        },
        Case {
            kind: Pngme,
            query: q(vec![], vec![sort(Field::Name, Ascending)], None),
            pushed: vec![],
            residual: vec![],
            sort_pushed: false,
            search_pushed: None,
            strategy: Strategy::FullScan,
        },
        // Nameshield: wildcards for contains; a literal * is narrowed; display-name sort stays
        // in memory.
        Case {
            kind: Nameshield,
            query: q(
                vec![
                    contains(Field::LastName, "do"),
                    eq(Field::Email, "a*b@x.fr"),
                    eq(Field::Language, "fr"),
                ],
                vec![sort(Field::Created, Descending)],
                None,
            ),
            pushed: vec![Field::LastName, Field::Email],
            residual: vec![Field::Email, Field::Language],
            sort_pushed: true,
            search_pushed: None,
            strategy: Strategy::FullScan,
        },
        Case {
            kind: Nameshield,
            query: q(
                vec![eq(Field::Id, "5ec2")],
                vec![
                    sort(Field::LastName, Ascending),
                    sort(Field::FirstName, Ascending),
                ],
                None,
            ),
            pushed: vec![Field::Id],
            residual: vec![],
            sort_pushed: true,
            search_pushed: None,
            strategy: Strategy::Direct,
        },
        // Rebilly: grammar punctuation is never sent; contains is not a Rebilly operation.
        Case {
            kind: Rebilly,
            query: q(
                vec![
                    eq(Field::LastName, "Smith, Jr."),
                    eq(Field::FirstName, "Ann"),
                    contains(Field::Email, "@x"),
                ],
                vec![sort(Field::LastName, Ascending)],
                Some("doe"),
            ),
            pushed: vec![Field::FirstName],
            residual: vec![Field::LastName, Field::Email],
            sort_pushed: true,
            search_pushed: Some(true),
            strategy: Strategy::FullScan,
        },
        Case {
            kind: Rebilly,
            query: q(
                vec![eq(Field::Email, "a..b@x.io"), eq(Field::Status, "active")],
                vec![],
                None,
            ),
            pushed: vec![Field::Status],
            residual: vec![Field::Email],
            sort_pushed: false,
            search_pushed: None,
            strategy: Strategy::FullScan,
        },
        // Rebilly negates only fields every user has.
        Case {
            kind: Rebilly,
            query: q(
                vec![
                    Filter {
                        field: Field::Country,
                        op: FilterOp::Not(Value::Text("FR".into())),
                    },
                    Filter {
                        field: Field::Status,
                        op: FilterOp::Not(Value::Text("inactive".into())),
                    },
                ],
                vec![],
                None,
            ),
            pushed: vec![Field::Status],
            residual: vec![Field::Country],
            sort_pushed: false,
            search_pushed: None,
            strategy: Strategy::FullScan,
        },
        // ActivePlatform: one sort key only; status only in its two words.
        Case {
            kind: ActivePlatform,
            query: q(
                vec![eq(Field::Status, "pending"), eq(Field::Email, "o@ap.com")],
                vec![sort(Field::Created, Ascending), sort(Field::Id, Ascending)],
                None,
            ),
            pushed: vec![Field::Email],
            residual: vec![Field::Status],
            sort_pushed: false,
            search_pushed: None,
            strategy: Strategy::FullScan,
        },
        Case {
            kind: ActivePlatform,
            query: q(
                vec![eq(Field::Status, "active")],
                vec![sort(Field::Created, Descending)],
                None,
            ),
            pushed: vec![Field::Status],
            residual: vec![],
            sort_pushed: true,
            search_pushed: None,
            strategy: Strategy::Direct,
        },
    ];
    for case in cases {
        let caps = Capabilities::of(case.kind);
        let p = plan(&case.query, &caps, &PlanConfig::default());
        let pushed: Vec<Field> = p.pushed.filters.iter().map(|f| f.field).collect();
        let residual: Vec<Field> = p.residual.filters.iter().map(|f| f.field).collect();
        let label = format!("{:?} {:?}", case.kind, case.query);
        assert_eq!(pushed, case.pushed, "{label}");
        assert_eq!(residual, case.residual, "{label}");
        assert_eq!(!p.pushed.sort.is_empty(), case.sort_pushed, "{label}");
        assert_eq!(
            p.pushed.sort.is_empty() && p.residual.sort.is_empty(),
            case.query.sort.is_empty(),
            "{label}"
        );
        match case.search_pushed {
            Some(true) => assert!(
                p.pushed.search.is_some() && p.residual.search.is_none(),
                "{label}"
            ),
            Some(false) => assert!(
                p.pushed.search.is_none() && p.residual.search.is_some(),
                "{label}"
            ),
            None => assert!(
                p.pushed.search.is_none() && p.residual.search.is_none(),
                "{label}"
            ),
        }
        assert_eq!(p.strategy, case.strategy, "{label}");
        assert_eq!(
            p.strategy == Strategy::FullScan,
            !p.in_memory.is_empty(),
            "{label}"
        );
    }
}

#[test]
fn totals_are_promised_only_where_true() {
    let q = Query::default();
    let exact: Vec<bool> = ProviderKind::ALL
        .into_iter()
        .map(|k| plan(&q, &Capabilities::of(k), &PlanConfig::default()).total_is_exact())
        .collect();
    assert_eq!(exact, [true, false, true, true, false]);
    let scan = Query {
        sort: vec![sort(Field::Name, Direction::Ascending)],
        ..Query::default()
    };
    let p = plan(
        &scan,
        &Capabilities::of(ProviderKind::ActivePlatform),
        &PlanConfig::default(),
    );
    assert!(p.total_is_exact());
    assert_eq!(p.page_size, Some(100));
}
