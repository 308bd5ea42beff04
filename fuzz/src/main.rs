//! The one fuzz binary: `userdeck-fuzz <target>` feeds AFL's inputs to that target (or, outside
//! AFL, standard input once, to replay a saved input); `--list` names the targets. One binary
//! for all targets means one instrumented build; AFL runs it once per target.

use std::process::ExitCode;

use userdeck_fuzz::alloc_cap::CappedAllocator;
use userdeck_fuzz::targets::Target;

#[global_allocator]
static ALLOCATOR: CappedAllocator = CappedAllocator;

fn main() -> ExitCode {
    let name = std::env::args().nth(1).unwrap_or_default();
    if name == "--list" {
        for target in Target::ALL {
            println!("{}", target.name());
        }
        return ExitCode::SUCCESS;
    }
    let Some(target) = Target::from_name(&name) else {
        eprintln!(
            "usage: userdeck-fuzz <target>; targets: {}",
            Target::ALL.map(Target::name).join(", ")
        );
        return ExitCode::from(2);
    };
    afl::fuzz!(|data: &[u8]| target.run(data));
    ExitCode::SUCCESS
}
