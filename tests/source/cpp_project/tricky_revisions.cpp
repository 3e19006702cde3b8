// A C++ revision whose code holds what a naive scanner trips on: braces and quotes inside raw
// strings, strings, character literals and comments, a macro name inside a string and a
// comment, a registry expression with commas. revision_hash_test.cpp edits it.
#include <migtest/operations.hpp>
#include <migtest/registry.hpp>

namespace {
migtest::Registry& pick(migtest::Registry& r, int /*unused*/) { return r; }
}  // namespace

// Not a revision: MIGTEST_REVISION(c0de0000dead, "", "in a comment") { }
/* Nor this: MIGTEST_DOWNGRADE(c0de00000003) { op.execute("DROP TABLE note"); } */
MIGTEST_REVISION_IN(pick(migtest::default_registry(), 1), c0de00000003, "c0de00000002", "Tricky") {
  const char close = '}';  // a brace in a character literal: }
  const char* fake = "MIGTEST_REVISION(c0de0000beef, \"\", \"in a string\") { \" }";
  op.execute(R"sql(UPDATE note SET title = '}{' WHERE title = ")" OR title = 'raw-marker')sql");
  op.execute(R"(UPDATE note SET title = '{' WHERE id < 0)");
  op.execute(R"(
    UPDATE note SET title = title || ' '
    WHERE title LIKE '%"%' -- a quote, then a brace: {
  )");
  if (close != '}' || fake[0] == 0) op.execute("SELECT '\"}' /* not a comment */");
}
// A function after the revision: editing it must not change the revision's checksum.
[[maybe_unused]] static int after_the_revision() { return 1; }
