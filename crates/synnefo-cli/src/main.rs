//! The `snf` binary.

fn main() -> std::process::ExitCode {
    synnefo_cli::main()
}
