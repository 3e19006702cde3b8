// A project's own migtest command, with C++ revisions (revisions.cpp, tricky_revisions.cpp) and
// models, as a user builds it. CMakeLists.txt builds it with migtest_hash_revisions() and
// without; revision_hash_test.cpp and tests/cli/cpp_head_test.cpp run both.
//   migtest_cpp_project --unhashed-code    History::unhashed_code(), one id a line
//   migtest_cpp_project <migtest arguments>
#include <iostream>
#include <migtest/cli.hpp>
#include <migtest/metadata.hpp>
#include <migtest/registry.hpp>
#include <migtest/source.hpp>
#include <string>

int main(int argc, char** argv) {
  if (argc == 2 && std::string(argv[1]) == "--unhashed-code") {
    for (const auto& id : migtest::load_history(migtest::default_registry()).unhashed_code()) {
      std::cout << id << "\n";
    }
    return 0;
  }
  // The revisions' note table plus one column: what `revision --autogenerate` adds.
  migtest::Metadata models;
  models.table("note")
      .column("id", migtest::Integer{}, migtest::primary_key)
      .column("title", migtest::String(100))
      .column("body", migtest::Text{}, migtest::nullable)
      .column("pinned", migtest::Integer{}, migtest::server_default("0"));
  return migtest::cli::main(argc, argv, migtest::default_registry(), models);
}
