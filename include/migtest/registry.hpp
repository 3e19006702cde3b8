// migtest/registry.hpp: C++ revisions, in the same graph as revision files (the bodies
// use op, so include <migtest/operations.hpp> too).
//   MIGTEST_REVISION(c0ffee000001, "a1b2c3d4e5f6", "Backfill") { op.execute("UPDATE t SET k=1"); }
//   MIGTEST_DOWNGRADE(c0ffee000001) { op.execute("UPDATE t SET k = 0"); }
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "migtest/graph.hpp"
#include "migtest/source.hpp"

namespace migtest {

/// A set of C++ revisions. load_history(dir, &registry) puts them in one graph
/// with the revision files of dir.
class Registry {
 public:
  /// Adds a revision whose upgrade/downgrade are C++ functions. Without `down`
  /// the revision is irreversible (revision.reversible is set to false).
  /// revision.file is left as given ("" is usual). Duplicates and unknown parents
  /// are reported when the graph is built (load_history).
  Registry& add(Revision revision, std::function<void(Operations&)> up,
                std::function<void(Operations&)> down = {});
  /// The same, with the header written as in a revision file: down_revision is
  /// "" or "none" for a base, "a, b" for a merge.
  Registry& add(std::string id, std::string_view down_revision, std::string message,
                std::function<void(Operations&)> up, std::function<void(Operations&)> down = {});
  /// Gives (or replaces) the downgrade of an added revision and makes it reversible.
  /// state_error when `id` was not added.
  Registry& set_downgrade(std::string_view id, std::function<void(Operations&)> down);
  /// Edits an added revision's header (branch_labels, depends_on, transactional, ...).
  Registry& configure(std::string_view id, const std::function<void(Revision&)>& edit);
  /// Names the source file that holds an added revision's code (the macros pass __FILE__): the
  /// key, with the id, of the hash migtest_hash_revisions() computed for it at build time.
  Registry& set_source_file(std::string_view id, std::string file);
  /// In the order added, with the checksum of what they declare (RevisionScript::code_hash "").
  const std::vector<RevisionScript>& revisions() const { return revisions_; }
  /// The same as load_history takes them: each revision whose code migtest_hash_revisions()
  /// hashed at build time gets that hash in code_hash and in its checksum. Looked up now, not
  /// at registration: the generated tables register at static initialisation, in any order.
  std::vector<RevisionScript> revisions_with_code_hashes() const;
  bool empty() const { return revisions_.empty(); }

 private:
  RevisionScript& find(std::string_view id, const char* what);
  std::vector<RevisionScript> revisions_;
  std::vector<std::string> source_files_;  // one per revision, "" when not known
};

/// The registry MIGTEST_REVISION adds to (a function-local static).
Registry& default_registry();

/// What the MIGTEST_REVISION macros and the tables migtest_hash_revisions() generates expand
/// to: called by that code, not by you (use Registry's own functions instead).
namespace registration {
// Each returns true so that it can initialise a static.
bool register_upgrade(Registry& registry, const char* id, const char* down_revision,
                      const char* message, void (*up)(Operations&), const char* file);
bool register_downgrade(Registry& registry, const char* id, void (*down)(Operations&));
bool register_options(Registry& registry, const char* id, void (*configure)(Revision&));

/// One row of the table migtest_hash_revisions() generates into a target
/// (cmake/migtestHashRevisions.cmake): the SHA-256 of revision `id`'s code in `file`.
struct CodeHash {
  const char* file;
  const char* id;
  const char* sha256;
};
/// Called by a generated table at static initialisation; `table` must outlive the program.
bool register_code_hashes(const CodeHash* table, std::size_t size);
}  // namespace registration

}  // namespace migtest

/// Defines and registers (in default_registry(), at static initialisation) a C++
/// revision; the block that follows is its upgrade, with `op` a migtest::Operations&.
/// ID is written bare (a1b2c3d4e5f6, no quotes); DOWN_REVISION is a string as in a
/// file header ("" for a base, "a, b" for a merge).
///   MIGTEST_REVISION(ID, "parent", "message") { op.execute(...); }
///   MIGTEST_DOWNGRADE(ID) { op.execute(...); }          // optional: else irreversible
///   MIGTEST_REVISION_OPTIONS(ID) { r.transactional = false; r.branch_labels = {"billing"}; }
/// Each must follow the MIGTEST_REVISION of its ID in the same source file (static
/// initialisation runs in order within a file). Put revisions in the executable's
/// own sources (or link their library with --whole-archive): a linker drops
/// unreferenced objects of a static library. migtest_hash_revisions(<target>) in CMake
/// makes each revision's checksum cover its code (else only what it declares).
#define MIGTEST_REVISION(ID, DOWN_REVISION, MESSAGE) \
  MIGTEST_REVISION_IN(::migtest::default_registry(), ID, DOWN_REVISION, MESSAGE)
#define MIGTEST_DOWNGRADE(ID) MIGTEST_DOWNGRADE_IN(::migtest::default_registry(), ID)
#define MIGTEST_REVISION_OPTIONS(ID) MIGTEST_REVISION_OPTIONS_IN(::migtest::default_registry(), ID)

/// The same into another registry (an expression giving a migtest::Registry&).
#define MIGTEST_REVISION_IN(REGISTRY, ID, DOWN_REVISION, MESSAGE)                        \
  static void migtest_upgrade_##ID(::migtest::Operations&);                              \
  [[maybe_unused]] static const bool migtest_registered_##ID =                           \
      ::migtest::registration::register_upgrade((REGISTRY), #ID, DOWN_REVISION, MESSAGE, \
                                                &migtest_upgrade_##ID, __FILE__);        \
  static void migtest_upgrade_##ID([[maybe_unused]] ::migtest::Operations& op)
#define MIGTEST_DOWNGRADE_IN(REGISTRY, ID)                                                   \
  static void migtest_downgrade_##ID(::migtest::Operations&);                                \
  [[maybe_unused]] static const bool migtest_registered_downgrade_##ID =                     \
      ::migtest::registration::register_downgrade((REGISTRY), #ID, &migtest_downgrade_##ID); \
  static void migtest_downgrade_##ID([[maybe_unused]] ::migtest::Operations& op)
#define MIGTEST_REVISION_OPTIONS_IN(REGISTRY, ID)                                        \
  static void migtest_options_##ID(::migtest::Revision&);                                \
  [[maybe_unused]] static const bool migtest_registered_options_##ID =                   \
      ::migtest::registration::register_options((REGISTRY), #ID, &migtest_options_##ID); \
  static void migtest_options_##ID([[maybe_unused]] ::migtest::Revision& r)
