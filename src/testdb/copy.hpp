// A copy of a template this process holds for its tests, with the connection kept open on it:
// a temporary database (SQLite, or PostgreSQL without a pool) or a pool database.
#pragma once

#include <memory>
#include <string>

#include "migtest/connection.hpp"
#include "migtest/testdb/config.hpp"
#include "testdb/reset.hpp"
#include "testdb/template.hpp"

namespace migtest::detail {

class HeldCopy {
 public:
  explicit HeldCopy(std::shared_ptr<const Template> tpl) : tpl_(std::move(tpl)) {}
  /// Lets it go as discard() does when nothing else did; never throws (failures printed).
  virtual ~HeldCopy() = default;
  HeldCopy(const HeldCopy&) = delete;
  HeldCopy& operator=(const HeldCopy&) = delete;

  const std::shared_ptr<const Template>& tpl() const { return tpl_; }
  /// The URL (with the server's password, if any) and the file path or database name.
  virtual const std::string& url() const = 0;
  virtual const std::string& name() const = 0;
  std::string redacted_url() const;
  /// The connection kept open on it, opened again when a reset had to close it.
  Connection& connection();

  /// After a test: the template's state again, its connection too, for this process's
  /// next test. False when that cannot be (the caller then discards it); never throws.
  virtual bool restore() = 0;
  /// Done with it, in the template's state (after restore()): a pool's goes back to the
  /// pool, a temporary one is deleted. Throws when deleting fails.
  virtual void give_back() = 0;
  /// Done with it, in whatever state: deleted, or dropped (a pool's: in the background,
  /// its place refilled). Throws when deleting fails.
  virtual void discard() = 0;
  /// Kept for a person to look at (migtest_kept_...); returns where it is. Throws when it
  /// cannot be renamed.
  virtual std::string keep() = 0;

  /// Rollback mode on PostgreSQL: no other connection may open to the copy until it is let
  /// go of (ALLOW_CONNECTIONS false), so that nothing can commit behind a test's
  /// transaction. No-op on SQLite. Throws when the server refuses.
  void seal();
  /// After rollback-mode tests whose transactions all rolled back on a sealed copy: its rows
  /// and schema are the template's, so only the session and the sequences (nextval is not
  /// rolled back) are set back, without the comparison restore() makes. Falls back to
  /// restore() when the copy is not sealed. Never throws.
  bool restore_rolled_back();
  /// Fresh mode, on a copy in the template's state (a new one, or one restore() put back):
  /// reads its write mark (PostgreSQL with a clean state), so that restore() after a test
  /// that wrote nothing skips the inspection. Never throws (without a mark, it inspects).
  void watch_writes() noexcept;

 protected:
  /// PostgreSQL: reset_copy() against the clean state (false without one); other
  /// connections allowed again first.
  bool reset_postgres();
  /// Other connections allowed again (after seal()); never throws (false on failure).
  bool unseal() noexcept;
  std::shared_ptr<const CleanState> clean_;  // PostgreSQL: what reset_postgres() compares with

  virtual std::unique_ptr<Connection> open() const = 0;
  void adopt(std::unique_ptr<Connection> connection) { conn_ = std::move(connection); }
  /// The copy's write mark, known without reading it (a pool database's COMMENT).
  void know_writes(std::string mark) { mark_ = std::move(mark); }
  /// The write mark as the last reset left it ("" unknown): what the next holder starts from.
  const std::string& write_mark_now() const { return mark_; }
  void close() { conn_.reset(); }
  bool connected() const { return conn_ != nullptr; }

 private:
  std::shared_ptr<const Template> tpl_;
  std::unique_ptr<Connection> conn_;
  std::string mark_;  // write_mark() when the copy was last known clean; "" unknown
  bool sealed_ = false;
};

/// A copy of `tpl` for one fresh-mode test or a rollback-mode suite: from the template's
/// pool (PostgreSQL with config.pool_size() > 0), else a temporary database cloned from it.
std::unique_ptr<HeldCopy> make_copy(const std::shared_ptr<const Template>& tpl,
                                    const TestConfig& config);

}  // namespace migtest::detail
