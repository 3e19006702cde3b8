// Two C++ revisions; consumer_test.cmake edits the second and rebuilds.
#include <migtest/operations.hpp>
#include <migtest/registry.hpp>

MIGTEST_REVISION(ab0000000001, "", "Create items") {
  op.execute("CREATE TABLE item (id INTEGER PRIMARY KEY)");
}
MIGTEST_DOWNGRADE(ab0000000001) { op.execute("DROP TABLE item"); }

MIGTEST_REVISION(ab0000000002, "ab0000000001", "Add a label") {
  op.execute("ALTER TABLE item ADD COLUMN label TEXT");
}
