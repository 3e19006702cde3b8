// Test support for verify's tests: histories a test writes into a temporary directory, among
// them a long one with a failure of each kind early on.
#pragma once

#include <fmt/format.h>

#include <string>

#include "support/files.hpp"
#include "support/revisions.hpp"

namespace migtest::test {

/// Revision k of the linear histories below: 9a0000000001, 9a0000000002, ...
inline std::string long_id(int k) { return fmt::format("9a{:010d}", k); }

/// Writes revision k (parent k - 1) of a linear migtest history with id long_id(k).
inline void write_revision(const TempDir& dir, int k, const std::string& up,
                           const std::string& down, const std::string& header = "") {
  dir.write(
      fmt::format("{}_r{}.sql", long_id(k), k),
      revision_headers(long_id(k), k == 1 ? "" : long_id(k - 1), "r" + std::to_string(k), header) +
          up_down(up, down));
}

// What the long history plants, by revision number.
constexpr int kFailingDown = 3;    // its down fails (a table that does not exist): rolled back
constexpr int kTempTable = 5;      // leaves a TEMP table to its session (its down drops it)
constexpr int kForgetsIndex = 10;  // its down forgets an index, so its second upgrade fails
constexpr int kEmptyDown = 20;     // -- migrate:down holds no statement
constexpr int kPartialDown = 25;   // runs outside a transaction; its down fails half-way
constexpr int kLongHistory = 40;

/// 40 revisions, revision k creating table tk, with the faults above. After revision 10,
/// the database the walk stands on is not where a deploy leaves one; emptied in place
/// (every table dropped), its session still holds revision 5's TEMP table, so upgrading
/// revision 5 again there fails; a fresh database has no such leftover.
inline void write_long_history(const TempDir& dir) {
  for (int k = 1; k <= kLongHistory; ++k) {
    std::string up = fmt::format(
        "CREATE TABLE t{0} (id INTEGER NOT NULL, v INTEGER, CONSTRAINT pk_t{0} PRIMARY KEY (id));",
        k);
    std::string down = fmt::format("DROP TABLE t{};", k);
    std::string header;
    switch (k) {
      case kFailingDown:
        down = "DROP TABLE no_such_table;";
        break;
      case kTempTable:
        up +=
            "\nCREATE TEMP TABLE t5_scratch (id INTEGER);\nINSERT INTO t5_scratch (id) VALUES (1);";
        down += "\nDROP TABLE t5_scratch;";
        break;
      case kForgetsIndex:
        up += "\nCREATE INDEX ix_t1_v ON t1 (v);";
        header = "-- migtest:allow index_not_concurrent\n";
        break;
      case kEmptyDown:
        down = "-- nothing to undo";
        break;
      case kPartialDown:
        up += "\nCREATE INDEX ix_t25_v ON t25 (v);";
        down = "DROP INDEX ix_t25_v;\nDROP TABLE no_such_table;";
        header = no_transaction;
        break;
      default:
        break;
    }
    write_revision(dir, k, up, down, header);
  }
}

}  // namespace migtest::test
