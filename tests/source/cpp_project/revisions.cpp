// Two C++ revisions in one file, as a project writes them. The code-hash tests copy and edit
// this file: keep the revisions' text as the tests expect it (revision_hash_test.cpp).
#include <migtest/operations.hpp>
#include <migtest/ops.hpp>
#include <migtest/registry.hpp>

MIGTEST_REVISION(c0de00000001, "", "Create notes") {
  op.create_table("note", {migtest::column("id", migtest::Integer{}, migtest::primary_key),
                           migtest::column("title", migtest::String{100})});
}
MIGTEST_DOWNGRADE(c0de00000001) { op.drop_table("note"); }

MIGTEST_REVISION(c0de00000002, "c0de00000001", "Add body") {
  op.add_column("note", migtest::column("body", migtest::Text{}, migtest::nullable));
}
MIGTEST_DOWNGRADE(c0de00000002) { op.drop_column("note", "body"); }
MIGTEST_REVISION_OPTIONS(c0de00000002) { r.branch_labels = {"notes"}; }
