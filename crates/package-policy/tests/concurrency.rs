//! One engine shared by 16 threads, each making 100,000 evaluations in its
//! own order: every decision equals the serial run's (issue 8).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use jiff::Timestamp;
use package_policy::reference::Reference;
use package_policy::{Decision, Engine, LayerSource, Request, RequestInput};

const THREADS: usize = 16;
const EVALUATIONS: usize = 100_000;
const REQUESTS: usize = 5_000;

/// A small deterministic generator (no dependency on proptest's RNG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn name(i: usize) -> String {
    format!("pkg-{}", i % 700)
}

/// Three layers: exact denies with versions (merged per name), globs, ranges,
/// cooldown and license rules, and allow exceptions that suppress some of them.
fn policy() -> Vec<LayerSource> {
    let mut feed = String::from("schema_version: 1\nlayer: feed\nrules:\n");
    for i in 0..1_500 {
        let versions = match i % 3 {
            0 => String::new(),
            1 => format!(", versions: \"{}.{}.0\"", i % 4, i % 7),
            _ => format!(", versions: \">={}.0.0 <{}.5.0\"", i % 3, i % 3),
        };
        feed.push_str(&format!(
            "  - {{ id: f{i}, action: deny, enforced: {}, match: {{ ecosystem: npm, package: {}{versions} }} }}\n",
            i % 5 == 0,
            name(i * 7)
        ));
    }
    let instance = "schema_version: 1\nlayer: instance\nrules:\n\
        - { id: internal, action: deny, match: { ecosystem: npm, package: [\"@acme/*\", \"*-internal\"] } }\n\
        - { id: fresh, action: warn, match: { published_within: 72h } }\n\
        - { id: agpl, action: deny, match: { license: AGPL-3.0-only } }\n";
    let mut project = String::from("schema_version: 1\nlayer: project\ndefault: allow\nrules:\n");
    for i in 0..200 {
        project.push_str(&format!(
            "  - {{ id: ok{i}, action: allow, match: {{ ecosystem: npm, package: {}, project: \"acme/web\" }} }}\n",
            name(i * 13)
        ));
    }
    project.push_str(
        "  - { id: mirror, action: allow, match: { ecosystem: npm, package: \"@acme/mirror-*\" } }\n",
    );
    vec![
        LayerSource::new("feed.yaml", feed),
        LayerSource::new("instance.yaml", instance),
        LayerSource::new("project.yaml", project),
    ]
}

fn requests(now: Timestamp) -> Vec<Request> {
    let mut rng = Lcg(7);
    let scoped = ["@acme/core", "@acme/mirror-x", "left-internal", "@other/x"];
    let licenses = ["MIT", "Apache-2.0", "AGPL-3.0-only"];
    let projects = ["acme/web", "acme/api"];
    (0..REQUESTS)
        .map(|_| {
            let name = if rng.next(10) == 0 {
                scoped[rng.next(scoped.len())].to_owned()
            } else {
                name(rng.next(5_000))
            };
            let input = RequestInput {
                ecosystem: "npm".into(),
                name,
                version: Some(format!("{}.{}.0", rng.next(4), rng.next(7))),
                license: Some(licenses[rng.next(licenses.len())].into()),
                published_at: now
                    .checked_sub(jiff::SignedDuration::from_hours(rng.next(200) as i64))
                    .ok(),
                project: Some(projects[rng.next(projects.len())].into()),
                ..RequestInput::default()
            };
            Request::new(input).unwrap()
        })
        .collect()
}

#[test]
fn sixteen_threads_agree_with_a_serial_run() {
    let now: Timestamp = "2026-06-01T00:00:00Z".parse().unwrap();
    let sources = policy();
    let engine = Engine::compile(&sources).unwrap();
    let reqs = requests(now);
    let serial: Vec<Decision> = reqs.iter().map(|r| engine.evaluate(r, now)).collect();

    // The serial run is itself right: it equals the reference evaluator.
    let reference = Reference::compile(&sources).unwrap();
    for (r, d) in reqs.iter().zip(&serial).take(1_000) {
        assert_eq!(d, &reference.evaluate(r, now));
    }
    let decided = serial.iter().filter(|d| !d.matched.is_empty()).count();
    let suppressed = serial.iter().filter(|d| !d.suppressed.is_empty()).count();
    assert!(
        decided > 50 && suppressed > 5,
        "{decided} decided, {suppressed} suppressed"
    );

    let (reqs, serial) = (&reqs, &serial);
    let mismatches: usize = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let engine = engine.clone();
                s.spawn(move || {
                    // Each thread walks the requests with its own stride and start.
                    let stride = [1, 7, 11, 13][t % 4];
                    (0..EVALUATIONS)
                        .filter(|k| {
                            let i = (t * 997 + k * stride) % REQUESTS;
                            engine.evaluate(&reqs[i], now) != serial[i]
                        })
                        .count()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(mismatches, 0, "of {} evaluations", THREADS * EVALUATIONS);
}
