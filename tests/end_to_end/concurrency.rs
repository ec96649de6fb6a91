//! 64 instances at once against one workspace: every volume created exactly once, none lost,
//! none duplicated, and no instance sees another's answers.

use std::collections::BTreeSet;

use tfy_volumes_host::Grant;

use crate::support::{dynamic_request, runtime, seed, ADMIN_KEY, WS};
use truefoundry_emulator::Emulator;

const INSTANCES: usize = 64;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_instances_create_and_list_without_cross_talk() {
    let emulator = Emulator::start(seed()).unwrap();
    let grant = Grant::new(emulator.base_url(), ADMIN_KEY);
    let tasks: Vec<_> = (0..INSTANCES)
        .map(|index| {
            let grant = grant.clone();
            tokio::spawn(async move {
                let mut volumes = runtime().instantiate(&grant).await.unwrap();
                let name = format!("vol-{index:02}");
                let created = volumes
                    .create(&dynamic_request(&name))
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(created.name, name, "instance {index} got another's answer");
                let listed = volumes.list(WS).await.unwrap().unwrap();
                assert!(
                    listed
                        .iter()
                        .any(|volume| volume.id == created.id && volume.name == name),
                    "instance {index} does not see its own volume"
                );
                let mine = volumes.get(&created.id).await.unwrap().unwrap();
                assert_eq!((mine.id, mine.name), (created.id.clone(), name));
                created.id
            })
        })
        .collect();
    let mut ids = BTreeSet::new();
    for task in tasks {
        ids.insert(task.await.unwrap());
    }
    assert_eq!(
        ids.len(),
        INSTANCES,
        "every create returned a distinct volume"
    );

    let stored = emulator.applications_in(WS);
    let names: BTreeSet<String> = stored
        .iter()
        .map(|app| app["name"].as_str().unwrap().to_string())
        .collect();
    let expected: BTreeSet<String> = (0..INSTANCES).map(|i| format!("vol-{i:02}")).collect();
    assert_eq!(stored.len(), INSTANCES, "nothing duplicated");
    assert_eq!(names, expected, "nothing lost");
    let puts = emulator
        .requests()
        .iter()
        .filter(|r| r.method == "PUT")
        .count();
    assert_eq!(puts, INSTANCES, "each volume submitted exactly once");
}
