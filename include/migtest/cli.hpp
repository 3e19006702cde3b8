// migtest/cli.hpp: the migtest command line as a function, for a project's own migtest
// program. Use it when the project has C++ revisions (a Registry) or models (`check` and
// `revision --autogenerate` compare against them); the plain `migtest` binary is this with
// neither.
//   int main(int argc, char** argv) { return migtest::cli::main(argc, argv, my_registry()); }
#pragma once

namespace migtest {
class Registry;
class Metadata;
}  // namespace migtest

namespace migtest::cli {

/// Runs the migtest command line. Exit codes: 0 success, 1 a failed migration
/// or check, 2 usage, configuration or connection errors.
int main(int argc, char** argv);
int main(int argc, char** argv, const Registry& registry);
/// With the project's models: `check` and `revision --autogenerate` compare against them.
int main(int argc, char** argv, const Registry& registry, const Metadata& models);

}  // namespace migtest::cli
